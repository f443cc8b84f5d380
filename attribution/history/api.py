"""``GET /api/articles/<slug>/history/``: an article's recorded changes, newest first, for staff."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from attribution.history.changes import with_changes
from attribution.models import Article

KINDS = {"+": "created", "~": "changed", "-": "deleted"}


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("The field: headline, body, status, removed_at, sources…"))
    before = serializers.JSONField(allow_null=True, help_text=_("Null when the record started here."))
    after = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField(allow_null=True, help_text=_("User name; null for no user (an import, a job)."))
    via = serializers.CharField(
        help_text=_('Through what: an import file or feed, "api", "admin", "request #N", "command", "baseline".')
    )
    kind = serializers.ChoiceField(choices=list(KINDS.values()))
    reason = serializers.CharField(allow_null=True)
    changes = FieldChangeSerializer(many=True)


class HistoryPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = HistoryEntrySerializer(many=True)


def article_history(view, slug: str):
    """The paginated response for the article ``slug`` (any status); 404 if there is none. Constant query count."""
    article = Article.objects.filter(slug=slug).only("pk").first()
    if article is None:
        raise Http404
    rows = Article.history.filter(id=article.pk).select_related("history_user").order_by("-history_date", "-history_id")
    page = view.paginate_queryset(rows)
    entries = [_entry(record, changes) for record, changes in with_changes(list(page), rows)]
    return view.get_paginated_response(HistoryEntrySerializer(entries, many=True).data)


def _entry(record, changes: list[dict]) -> dict:
    user = record.history_user
    return {
        "when": record.history_date,
        "who": user.get_username() if user else None,
        "via": record.history_via,
        "kind": KINDS[record.history_type],
        "reason": record.history_change_reason,
        "changes": changes,
    }
