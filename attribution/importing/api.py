"""API for import conflicts (staff), and the article API's answers about identity, moves and held versions."""

from urllib.parse import quote

from django.http import HttpResponsePermanentRedirect
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

from attribution.importing.conflicts import ConflictNotOpen, accept_conflict, dismiss_conflict
from attribution.importing.diff import unified_diff
from attribution.importing.models import ArticleSlugRedirect, ImportConflict
from attribution.importing.plan import PlanError, existing_article
from attribution.lib.permissions import AdminModelPermissions


def moved_response(request, slug: str, method: str = "GET"):
    """301 to the article's new address when ``slug`` is one it had before (None if it is not)."""
    moved = ArticleSlugRedirect.objects.filter(old_slug=slug).select_related("article").first()
    if moved is None:
        return None
    base = request.path[: request.path.rstrip("/").rindex("/") + 1]
    location = request.build_absolute_uri(base + quote(moved.article.slug) + "/")
    if method != "GET":
        # A write must not follow a redirect silently: say where the article is now.
        detail = _("This article moved to “%(slug)s”; send the request to %(url)s.")
        return Response(
            {"detail": detail % {"slug": moved.article.slug, "url": location}}, status=status.HTTP_409_CONFLICT
        )
    return HttpResponsePermanentRedirect(location)


def refuse_duplicate(data):
    """A 400 naming the existing article when a create would in fact update one (same identity or story)."""
    try:
        article = existing_article(data)
    except PlanError as exc:
        return identity_error(exc)
    if article is None:
        return None
    detail = _("This article already exists as “%(slug)s”; PUT /api/articles/%(slug)s/ updates it.")
    return Response({"slug": [detail % {"slug": article.slug}]}, status=status.HTTP_400_BAD_REQUEST)


def identity_error(exc: ValueError):
    return Response({"slug": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)


def held_response(article):
    """409: the request workflow changed this article, so the new version waits for an editor's decision."""
    conflict = article.import_conflicts.filter(status=ImportConflict.Status.OPEN).order_by("-id").first()
    detail = _(
        "This article was changed by the request workflow; your version is held as import conflict #%(id)s. "
        "Accept it with POST /api/import-conflicts/%(id)s/accept/."
    )
    return Response(
        {"detail": detail % {"id": conflict.pk}, "import_conflict": conflict.pk}, status=status.HTTP_409_CONFLICT
    )


class ImportConflictSerializer(serializers.ModelSerializer):
    article = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    resolved_by = serializers.StringRelatedField()

    class Meta:
        model = ImportConflict
        fields = [
            "id",
            "article",
            "status",
            "headline",
            "published_on",
            "origin",
            "fingerprint",
            "created_at",
            "resolved_at",
            "resolved_by",
        ]


class ImportConflictDetailSerializer(ImportConflictSerializer):
    diff = serializers.SerializerMethodField(
        help_text=_("Unified diff per differing field: - article now, + incoming.")
    )

    class Meta(ImportConflictSerializer.Meta):
        fields = [*ImportConflictSerializer.Meta.fields, "body", "sources", "external_id", "canonical_url", "diff"]

    def get_diff(self, conflict) -> dict[str, list[str]]:
        return unified_diff(conflict)


class ImportConflictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff: incoming versions of articles the request workflow changed, held until accepted or dismissed."""

    permission_classes = [IsAdminUser, AdminModelPermissions]
    action_permissions = {
        "accept": ["attribution.change_importconflict", "attribution.change_article"],
        "dismiss": ["attribution.change_importconflict"],
    }
    filterset_fields = ["status"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return ImportConflict.objects.select_related("article", "resolved_by")

    def get_serializer_class(self):
        return ImportConflictSerializer if self.action == "list" else ImportConflictDetailSerializer

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Apply the incoming version to the article (through the import service)."""
        return self._resolve(accept_conflict)

    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Keep the article as it is; the same incoming content is never raised again."""
        return self._resolve(dismiss_conflict)

    def _resolve(self, service):
        conflict = self.get_object()
        try:
            service(conflict, actor=self.request.user)
        except ConflictNotOpen as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except ValueError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        conflict.refresh_from_db()
        return Response(ImportConflictDetailSerializer(conflict, context=self.get_serializer_context()).data)
