from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from attribution.api import ArticleViewSet
from attribution.feeds.api import FeedViewSet
from attribution.importing.api import ImportConflictViewSet
from attribution.linkcheck.api import SourceViewSet
from attribution.moves.api import MoveViewSet
from config.pages import favicon
from takedowns.api.requests import TakedownRequestViewSet
from takedowns.api.workflow import RequestEventsView, RequestTransitionView
from takedowns.transparency import transparency_csv, transparency_report

# The admin is registered here, when the URLs load, not at django.setup(): workers and management
# commands never pay for importing it (config/apps.py).
admin.autodiscover()

# No ".json" suffix routes: they were a second spelling of every address that custom actions
# (history, check) did not accept, a 500; "?format=json" or an Accept header chooses the format.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("articles", ArticleViewSet, basename="article")
router.register("sources", SourceViewSet, basename="source")
router.register("feeds", FeedViewSet, basename="feed")
router.register("import-conflicts", ImportConflictViewSet, basename="importconflict")
router.register("moves", MoveViewSet, basename="move")
router.register("requests", TakedownRequestViewSet, basename="takedownrequest")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from a URL of its own (?script), not
    # inline, so the Content-Security-Policy needs no exception for it.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # The editorial workflow's staff endpoints, beside the router's /api/requests/ routes.
    path("api/requests/<int:pk>/transitions/", RequestTransitionView.as_view(), name="request-transitions"),
    path("api/requests/<int:pk>/events/", RequestEventsView.as_view(), name="request-events"),
    path("api/", include(router.urls)),
    path("requests/", include("takedowns.urls")),
    path("transparency/", transparency_report, name="transparency"),
    path("transparency/report.csv", transparency_csv, name="transparency-csv"),
    path("favicon.ico", favicon, name="favicon"),
    # The language switcher posts to set_language (django.conf.urls.i18n), which keeps the choice in a cookie.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("attribution.urls")),
]

# What Django itself refuses (a body over the limit, broken multipart, too many fields) is
# answered in words, as JSON under /api/ (config/hostile.py).
handler400 = "config.hostile.bad_request"
handler404 = "config.api.not_found"
