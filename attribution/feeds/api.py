"""/api/feeds/: staff manage CMS feeds; writes need the Feed model's Django permissions, as in the admin."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from attribution.feeds.admin import SYNC_STATE_FIELDS
from attribution.feeds.models import Feed
from attribution.feeds.sync import request_sync
from attribution.lib.permissions import AdminModelPermissions


class FeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feed
        fields = ["id", "name", "url", "kind", "enabled", "interval", *SYNC_STATE_FIELDS]
        read_only_fields = SYNC_STATE_FIELDS

    def validate(self, attrs):
        """The model's own rules (Feed.clean: a URL the SSRF guard will fetch, an interval of a minute or more)."""
        candidate = copy.copy(self.instance) if self.instance else Feed()
        for name, value in attrs.items():
            setattr(candidate, name, value)
        try:
            candidate.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs


class FeedViewSet(viewsets.ModelViewSet):
    """CMS feeds (RSS, Atom, JSON Feed, WordPress). Staff only; the sync fields are read-only."""

    queryset = Feed.objects.all()
    serializer_class = FeedSerializer
    permission_classes = [permissions.IsAdminUser, AdminModelPermissions]
    action_permissions = {"sync": ["attribution.change_feed"]}

    @extend_schema(
        request=None,
        responses={202: OpenApiResponse(description=_("The feed is due now; a worker syncs it shortly."))},
    )
    @action(detail=True, methods=["post"])
    def sync(self, request, pk=None):
        """Sync this feed now (in the background): the same as the admin's "Sync now"."""
        feed = self.get_object()
        request_sync(feed)
        return Response({"detail": _("The feed will sync shortly.")}, status=status.HTTP_202_ACCEPTED)
