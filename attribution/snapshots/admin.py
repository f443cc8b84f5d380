"""Snapshots in the admin, staff only: the list (read-only), the text page, the WARC download, and the
inline on a source's page (``SnapshotInline``, added to SourceURLAdmin in attribution/admin.py).

Snapshots are evidence of what was cited: nobody edits or deletes one here.
Retention and the storage budget delete drift snapshots (retention.py); a
source's deletion deletes its snapshots.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from attribution.lib.admin import RecordAdmin
from attribution.lib.when import when
from attribution.snapshots import retention, views
from attribution.snapshots.models import SnapshotAttempt, SourceSnapshot

SHOWN_FIELDS = [
    "source_link",
    "taken_at",
    "reason",
    "fetched_url",
    "http_status",
    "content_type",
    "title",
    "text_hash",
    "body_bytes",
    "truncated",
    "warc_bytes",
    "text_bytes",
    "read_links",
]


def read_links(snapshot: SourceSnapshot) -> str:
    """Links to the text page and the WARC download (both staff-only views of this admin)."""
    text_url = reverse("admin:attribution_sourcesnapshot_text", args=[snapshot.pk])
    links = format_html('<a href="{}">{}</a>', text_url, _("Read the text"))
    if snapshot.warc:
        warc_url = reverse("admin:attribution_sourcesnapshot_warc", args=[snapshot.pk])
        links = format_html('{} · <a href="{}">{}</a>', links, warc_url, _("Download WARC"))
    return links


@admin.register(SourceSnapshot)
class SourceSnapshotAdmin(RecordAdmin):
    list_display = ["taken", "source_link", "reason", "http_status", "short_title", "size", "truncated"]
    list_filter = ["reason", "truncated", "content_type"]
    search_fields = ["source_url__url", "title", "fetched_url"]
    list_select_related = ["source_url"]
    fields = SHOWN_FIELDS
    readonly_fields = SHOWN_FIELDS
    date_hierarchy = "taken_at"
    show_full_result_count = False

    def changelist_view(self, request, extra_context=None):
        status = retention.budget_status()
        if status["full"]:
            # Said where editors look: a full budget means new sources go without a citation-time snapshot.
            self.message_user(
                request,
                _(
                    "Snapshot storage is full (%(used)s of %(budget)s, SNAPSHOTS_STORAGE_BUDGET_BYTES): "
                    "no new snapshot is taken until there is room."
                )
                % {"used": filesizeformat(status["used"]), "budget": filesizeformat(status["budget"])},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("taken"), ordering="taken_at")
    def taken(self, snapshot):
        return when(snapshot.taken_at)

    @admin.display(description=_("source"), ordering="source_url__url")
    def source_link(self, snapshot):
        url = reverse("admin:attribution_sourceurl_change", args=[snapshot.source_url_id])
        return format_html('<a href="{}">{}</a>', url, Truncator(snapshot.source_url.url).chars(70))

    @admin.display(description=_("title"))
    def short_title(self, snapshot):
        return format_html('<span dir="auto">{}</span>', Truncator(snapshot.title).chars(80))

    @admin.display(description=_("stored"), ordering="warc_bytes")
    def size(self, snapshot):
        return filesizeformat(snapshot.warc_bytes + snapshot.text_bytes)

    @admin.display(description=_("read"))
    def read_links(self, snapshot):
        return read_links(snapshot)

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/text/",
                self.admin_site.admin_view(self.text_view),
                name="attribution_sourcesnapshot_text",
            ),
            path(
                "<path:object_id>/warc/",
                self.admin_site.admin_view(self.warc_view),
                name="attribution_sourcesnapshot_warc",
            ),
        ]
        return own + super().get_urls()

    def _viewable(self, request, object_id) -> SourceSnapshot:
        snapshot = self.get_object(request, unquote(object_id))
        if snapshot is None:
            raise Http404(_("No such snapshot."))
        if not self.has_view_permission(request, snapshot):
            raise PermissionDenied
        return snapshot

    def text_view(self, request, object_id):
        snapshot = self._viewable(request, object_id)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "original": snapshot}
        return views.snapshot_text(request, snapshot, context)

    def warc_view(self, request, object_id):
        return views.snapshot_warc(self._viewable(request, object_id))


class SnapshotInline(admin.TabularInline):
    """A source's snapshots on its admin page, newest first, with links to read and download each."""

    model = SourceSnapshot
    fields = ["taken_at", "reason", "http_status", "title", "stored", "truncated", "links"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("snapshots (what the page said when cited, and when it drifted)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("stored"))
    def stored(self, snapshot):
        return filesizeformat(snapshot.warc_bytes + snapshot.text_bytes)

    @admin.display(description=_("read"))
    def links(self, snapshot):
        return read_links(snapshot)


@admin.register(SnapshotAttempt)
class SnapshotAttemptAdmin(RecordAdmin):
    """Why a source has no citation-time snapshot yet: the queue's last attempt, and when it tries again.

    Written only by the snapshot queue: deleting a row would reset its back-off, so it cannot be deleted here.
    """

    list_display = ["source_url", "outcome", "attempts", "last_attempt_at", "next_attempt_at"]
    list_filter = ["attempts"]
    search_fields = ["source_url__url", "outcome"]
    list_select_related = ["source_url"]
    readonly_fields = ["source_url", "outcome", "attempts", "last_attempt_at", "next_attempt_at"]
    show_full_result_count = False
