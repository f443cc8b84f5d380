"""REST API for source URLs and their check history: ``/api/sources/``.

Anyone may read the sources of published articles; staff see every source,
and staff holding ``attribution.change_sourceurl`` (what the admin's "Check
now" action needs) may ask for a check now.
"""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from attribution.lib.permissions import AdminModelPermissions
from attribution.linkcheck.services import request_check
from attribution.models import Article, Citation, LinkCheck, SourceURL


class SourceSerializer(serializers.ModelSerializer):
    publisher = serializers.CharField(source="publisher.host", allow_null=True, default=None)
    shown_status = serializers.CharField(help_text=_("The status after an editor's override."))

    class Meta:
        model = SourceURL
        fields = [
            "id",
            "url",
            "host",
            "publisher",
            "status",
            "shown_status",
            "http_status",
            "final_url",
            "redirect_chain",
            "failure_kind",
            "consecutive_failures",
            "first_failure_at",
            "last_success_at",
            "last_checked_at",
            "next_check_at",
            "override",
            "archive_url",
            # Drift since cited (attribution/snapshots/drift.py): "", same, changed or corrected.
            "drift",
            "drift_score",
            "drift_notice",
            "drift_checked_at",
            "drift_detected_at",
        ]


class LinkCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = LinkCheck
        fields = ["checked_at", "status", "http_status", "elapsed_ms", "final_url", "failure_kind", "detail"]


CHECK_ANSWER = inline_serializer(
    "CheckRequested",
    {
        "queued": serializers.BooleanField(help_text=_("Waiting for a worker.")),
        "checked": serializers.BooleanField(help_text=_("Already checked; status is the result.")),
        "status": serializers.ChoiceField(choices=SourceURL.Status.choices),
    },
)


class SourceFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SourceURL.Status.choices)
    failure_kind = django_filters.ChoiceFilter(choices=SourceURL.FailureKind.choices[1:])
    host = django_filters.CharFilter(method="filter_host", help_text=_("Exact host, e.g. news.example."))
    publisher = django_filters.CharFilter(field_name="publisher__host", help_text=_("Publisher by host."))
    drift = django_filters.ChoiceFilter(
        choices=SourceURL.Drift.choices[1:], help_text=_("Since cited: same, changed or corrected.")
    )

    class Meta:
        model = SourceURL
        fields = ["status", "failure_kind", "host", "publisher", "drift"]

    def filter_host(self, queryset, name, value):
        return queryset.filter(host=value.strip().lower())


class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cited source URLs with their link-check state."""

    serializer_class = SourceSerializer
    permission_classes = [AdminModelPermissions]
    # "Check now" changes the source's schedule: the admin's action of that name needs the change permission.
    action_permissions = {"check": ["attribution.change_sourceurl"]}
    filterset_class = SourceFilter
    search_fields = ["url"]
    ordering_fields = ["id", "last_checked_at", "first_failure_at", "next_check_at", "drift_detected_at"]
    ordering = ["id"]

    def get_queryset(self):
        sources = SourceURL.objects.select_related("publisher")
        if not self.request.user.is_staff:
            # A source cited only by a removed or unpublished article is not public.
            published = Citation.objects.filter(source_url=OuterRef("pk"), article__status=Article.Status.PUBLISHED)
            sources = sources.filter(Exists(published))
        return sources

    @extend_schema(responses=LinkCheckSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Check history of one source, newest first."""
        checks = LinkCheck.objects.filter(source_url=self.get_object()).order_by("-checked_at", "-id")
        page = self.paginate_queryset(checks)
        return self.get_paginated_response(LinkCheckSerializer(page, many=True).data)

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(CHECK_ANSWER, description=_("Checked already (no broker: checks run in-process).")),
            202: OpenApiResponse(CHECK_ANSWER, description=_("Queued for a worker.")),
            409: OpenApiResponse(description=_("A check of this source is already running.")),
        },
    )
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        """Check this source now (staff with attribution.change_sourceurl): 200 once checked, 202 while queued."""
        source = self.get_object()
        started = timezone.now()
        if not request_check([source.pk], actor=request.user):
            return Response(
                {"detail": _("A check of this source is already running.")}, status=status.HTTP_409_CONFLICT
            )
        source.refresh_from_db()
        # Without a broker the check has run by now (unless a transaction still holds it back): say which.
        checked = source.last_checked_at is not None and source.last_checked_at >= started
        answer = {"queued": not checked, "checked": checked, "status": source.status}
        return Response(answer, status=status.HTTP_200_OK if checked else status.HTTP_202_ACCEPTED)
