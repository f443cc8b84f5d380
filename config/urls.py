from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from attribution.api import ArticleViewSet
from attribution.linkcheck.api import SourceViewSet
from takedowns.api.requests import TakedownRequestViewSet
from takedowns.api.workflow import RequestEventsView, RequestTransitionView
from takedowns.transparency import transparency_csv, transparency_report

router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("sources", SourceViewSet, basename="source")
router.register("requests", TakedownRequestViewSet, basename="takedownrequest")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    # The editorial workflow's staff endpoints, beside the router's /api/requests/ routes.
    path("api/requests/<int:pk>/transitions/", RequestTransitionView.as_view(), name="request-transitions"),
    path("api/requests/<int:pk>/events/", RequestEventsView.as_view(), name="request-events"),
    path("api/", include(router.urls)),
    path("requests/", include("takedowns.urls")),
    path("transparency/", transparency_report, name="transparency"),
    path("transparency/report.csv", transparency_csv, name="transparency-csv"),
    path("", include("attribution.urls")),
]
