from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from attribution.api import ArticleViewSet
from attribution.linkcheck.api import SourceViewSet
from takedowns.api import TakedownRequestViewSet

router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("sources", SourceViewSet, basename="source")
router.register("requests", TakedownRequestViewSet, basename="takedownrequest")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include(router.urls)),
    path("requests/", include("takedowns.urls")),
    path("", include("attribution.urls")),
]
