"""The article's admin page: a read-only table of how much of its text each cited source's snapshot contains."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from attribution.lib.when import when
from attribution.overlap.display import shown_overlaps
from attribution.overlap.models import CopyOverlap


def passage_html(row: CopyOverlap):
    """The longest shared passage, folded away (it can be long), in whatever direction its script reads."""
    if not row.longest_passage:
        return "—"
    return format_html(
        '<details class="cw-overlap-passage"><summary>{}</summary><blockquote dir="auto">{}</blockquote></details>',
        _("Show the passage"),
        row.longest_passage,
    )


class CopyOverlapInline(admin.TabularInline):
    model = CopyOverlap
    extra = 0
    fields = ["source", "snapshot_taken", "overlap", "passage"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("copy overlap with cited sources (evidence for copyright triage, not a legal finding)")

    def get_queryset(self, request):
        # Sources still cited, current or not (a stale row says so), in one query; the formset adds the article.
        return shown_overlaps()

    def has_add_permission(self, request, obj=None):
        return False  # computed from snapshots (attribution/overlap/services.py), never typed in

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("source"))
    def source(self, row):
        return row.position

    @admin.display(description=_("snapshot of"))
    def snapshot_taken(self, row):
        return when(row.snapshot.taken_at)

    @admin.display(description=_("overlap"))
    def overlap(self, row):
        if getattr(row, "is_current", True):
            return row.summary()
        return format_html("{} <em>({})</em>", row.summary(), _("computed on an earlier version; being recomputed"))

    @admin.display(description=_("longest shared passage"))
    def passage(self, row):
        return passage_html(row)
