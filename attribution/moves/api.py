"""API for moved links (staff): ``/api/moves/``.

POST without ``"confirm": true`` is the preview (200, nothing changes); with it, the move is made (201).
``POST /api/moves/<id>/undo/`` puts the articles back.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

from attribution.lib.permissions import AdminModelPermissions
from attribution.models import SourceURL
from attribution.moves.admin import MOVE_PERMISSIONS
from attribution.moves.models import MoveBatch
from attribution.moves.services import MoveError, apply_move, preview_host_move, preview_source_move, undo_move


class MoveBatchSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField()
    undone_by = serializers.StringRelatedField()

    class Meta:
        model = MoveBatch
        fields = ["id", "kind", "old", "new", "changes", "created_by", "created_at", "undone_at", "undone_by"]


class MoveRequestSerializer(serializers.Serializer):
    source = serializers.IntegerField(
        required=False, help_text=_("A redirected source: replace it with its final URL.")
    )
    old_outlet = serializers.CharField(required=False, max_length=300, help_text=_("e.g. http://news.example"))
    new_outlet = serializers.CharField(required=False, max_length=300, help_text=_("e.g. https://news.example"))
    confirm = serializers.BooleanField(default=False, help_text=_("false (default): preview only."))

    def validate(self, data):
        by_host = "old_outlet" in data or "new_outlet" in data
        if "source" in data and by_host:
            raise serializers.ValidationError(_("Give either a source or an old and new outlet, not both."))
        if by_host and not ("old_outlet" in data and "new_outlet" in data):
            raise serializers.ValidationError(_("A move by outlet needs both old_outlet and new_outlet."))
        if "source" not in data and not by_host:
            raise serializers.ValidationError(_("Give a source id, or an old_outlet and a new_outlet."))
        return data


class MovePreviewSerializer(serializers.Serializer):
    kind = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()
    articles = serializers.ListField(child=serializers.DictField(), help_text=_("slug and citations old → new"))
    left_alone = serializers.ListField(child=serializers.CharField(), help_text=_("Removed articles, not rewritten."))


def preview_data(plan) -> dict:
    articles = [
        {
            "slug": change.article.slug,
            "citations": [{"position": p, "old": old, "new": new} for p, old, new in change.citations],
        }
        for change in plan.changes
    ]
    left_alone = [article.slug for article in plan.left_alone]
    return {"kind": plan.kind, "old": plan.old, "new": plan.new, "articles": articles, "left_alone": left_alone}


class MoveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff: moved links rewritten in every citing article, and their undo."""

    serializer_class = MoveBatchSerializer
    permission_classes = [IsAdminUser, AdminModelPermissions]
    action_permissions = {"create": MOVE_PERMISSIONS, "undo": MOVE_PERMISSIONS}
    filterset_fields = ["kind"]
    ordering = ["-id"]

    def get_queryset(self):
        return MoveBatch.objects.select_related("created_by", "undone_by")

    @extend_schema(
        request=MoveRequestSerializer,
        responses={
            200: OpenApiResponse(MovePreviewSerializer, description=_("Preview: nothing changed.")),
            201: MoveBatchSerializer,
            400: OpenApiResponse(description=_("The move cannot be made; the message says why.")),
        },
    )
    def create(self, request):
        """Preview (default) or make a move: one redirected source, or a whole outlet by scheme and host."""
        asked = MoveRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        try:
            if "source" in data:
                plan = preview_source_move(get_object_or_404(SourceURL, pk=data["source"]))
            else:
                plan = preview_host_move(data["old_outlet"], data["new_outlet"])
            if not data["confirm"]:
                return Response(preview_data(plan))
            batch = apply_move(plan, actor=request.user)
        except MoveError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(MoveBatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: MoveBatchSerializer, 409: OpenApiResponse(description=_("Refused."))})
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        """Put every article back as it was before the move (refused if one changed since)."""
        batch = self.get_object()
        try:
            undo_move(batch, actor=request.user)
        except MoveError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        batch.refresh_from_db()
        return Response(MoveBatchSerializer(batch).data)
