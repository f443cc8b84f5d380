"""Editors' view of attribution records: articles with their citations, sources, publishers."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import Count, Q
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from attribution import admin_site  # noqa: F401  (the Citewatch name and one date format on every admin page)
from attribution.history.admin import RecordHistoryAdmin
from attribution.lib.admin import RecordAdmin
from attribution.linkcheck.admin import LinkCheckAdminMixin, RecentChangeFilter
from attribution.linkcheck.services import set_override
from attribution.models import Article, Citation, LinkCheck, OutboxEmail, Publisher, SourceURL
from attribution.moves.admin import MovesAdminMixin
from attribution.overlap.admin import CopyOverlapInline
from attribution.publishers import merge_publishers
from attribution.snapshots.admin import SnapshotInline
from attribution.snapshots.drift_admin import DRIFT_FIELDS, DriftAdminMixin


class QualityFilter(admin.SimpleListFilter):
    title = _("attribution quality")
    parameter_name = "quality"
    FLAGS = {
        "no_sources": ("has_no_sources", _("No sources")),
        "homepage": ("has_homepage_source", _("Cites a bare homepage")),
        "duplicate": ("has_duplicate_source", _("Same source twice")),
        "invalid": ("has_invalid_source", _("Invalid or non-web URL")),
    }

    def lookups(self, request, model_admin):
        return [("any", _("Any problem"))] + [(key, label) for key, (_field, label) in self.FLAGS.items()]

    def queryset(self, request, queryset):
        if self.value() == "any":
            any_flag = Q()
            for field, _label in self.FLAGS.values():
                any_flag |= Q(**{field: True})
            return queryset.filter(any_flag)
        if self.value() in self.FLAGS:
            return queryset.filter(**{self.FLAGS[self.value()][0]: True})
        return queryset


def status_badge(source: SourceURL):
    """The link's status as a coloured label; an editor's override is shown beside it."""
    label = format_html(
        # Colours live in static/admin-citewatch/citewatch-admin.css (no inline styles under the CSP).
        '<span class="cw-link cw-link-{}">{}</span>',
        source.status,
        source.get_status_display(),
    )
    if source.override:
        return format_html("{} <small>({})</small>", label, source.get_override_display())
    return label


def auto_direction(text: str, *, block: bool = False):
    """Text in whatever script it was written in (Arabic reads right to left): dir="auto" lets the browser decide."""
    if block:
        return format_html('<div dir="auto">{}</div>', linebreaksbr(text))
    return format_html('<span dir="auto">{}</span>', text)


class HostFilter(admin.SimpleListFilter):
    """Hosts with broken links (the useful short list); any host works through ?host=."""

    title = _("host")
    parameter_name = "host"

    def lookups(self, request, model_admin):
        broken = SourceURL.objects.filter(status__in=[SourceURL.Status.DEAD, SourceURL.Status.FAILING])
        hosts = broken.values("host").annotate(n=Count("id")).order_by("-n")[:15]
        return [(row["host"], f"{row['host']} ({row['n']})") for row in hosts if row["host"]]

    def queryset(self, request, queryset):
        return queryset.filter(host=self.value()) if self.value() else queryset


class LinkCheckInline(admin.TabularInline):
    model = LinkCheck
    extra = 0
    fields = ["checked_at", "status", "http_status", "failure_kind", "elapsed_ms", "final_url", "detail"]
    readonly_fields = fields
    ordering = ["-checked_at"]
    can_delete = False
    verbose_name_plural = _("check history")

    def has_add_permission(self, request, obj=None):
        return False


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = ["position", "cited_as", "source_url", "publisher", "quality", "link_status"]
    readonly_fields = ["position", "cited_as", "source_url", "publisher", "quality", "link_status"]
    ordering = ["position"]
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source_url__publisher")

    def has_add_permission(self, request, obj=None):
        # Citations change through the import service or the API, which keep
        # positions, duplicates and quality flags consistent.
        return False

    @admin.display(description=_("text as written"))
    def cited_as(self, citation):
        return auto_direction(citation.text_as_written)

    @admin.display(description=_("publisher"))
    def publisher(self, citation):
        return citation.source_url.publisher or "—"

    @admin.display(description=_("quality"))
    def quality(self, citation):
        flags = citation.quality_flags
        if not flags:
            return "✓"
        return format_html_join(" ", '<span class="cw-flag">{}</span>', ((flag,) for flag in flags))

    @admin.display(description=_("link"))
    def link_status(self, citation):
        return status_badge(citation.source_url)


@admin.register(Article)
class ArticleAdmin(RecordHistoryAdmin):
    list_display = ["headline", "published_on", "status", "source_count", "quality"]
    list_filter = ["status", QualityFilter, "published_on"]
    search_fields = ["headline", "slug", "external_id", "body", "citations__source_url__url"]
    date_hierarchy = "published_on"
    readonly_fields = ["slug", "status", "imported_from", "fingerprint", "quality", "created_at", "updated_at"]
    # Identity and the import/workflow state (attribution/importing/): shown, never edited.
    readonly_fields += ["external_id", "canonical_url", "edited_by_workflow_at"]
    # Headline and body through auto_direction: an Arabic article reads right to left here too.
    readonly_fields += ["headline_text", "body_text"]
    fields = [
        "headline_text",
        "slug",
        "external_id",
        "canonical_url",
        "edited_by_workflow_at",
        "published_on",
        "status",
        "body_text",
        "quality",
        "imported_from",
        "created_at",
        "updated_at",
    ]
    inlines = [CitationInline, CopyOverlapInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_total=Count("citations"))

    def has_add_permission(self, request):
        # New articles come in through import_articles or the API, which parse
        # and normalise sources; a bare admin form would bypass that.
        return False

    def has_change_permission(self, request, obj=None):
        # Read-only here: text changes come from re-import or the API (which keep
        # the fingerprint and quality flags true), and changes made because of a
        # request go through the request workflow, which keeps revisions.
        return False

    def has_delete_permission(self, request, obj=None):
        # The attribution record is a legal record; removal is a workflow outcome.
        return False

    @admin.display(description=_("headline"), ordering="headline")
    def headline_text(self, article):
        return auto_direction(article.headline)

    @admin.display(description=_("body"))
    def body_text(self, article):
        return auto_direction(article.body, block=True)

    @admin.display(description=_("sources"), ordering="source_total")
    def source_count(self, article):
        return article.source_total

    @admin.display(description=_("attribution quality"))
    def quality(self, article):
        flags = article.quality_flags
        if not flags:
            return format_html('<span class="cw-quality-ok">{}</span>', _("OK"))
        return format_html_join(", ", '<span class="cw-quality-flag">{}</span>', ((flag,) for flag in flags))


@admin.register(SourceURL)
class SourceURLAdmin(MovesAdminMixin, DriftAdminMixin, LinkCheckAdminMixin, RecordHistoryAdmin):
    # Columns, "Check now" and the "changed recently" filter: attribution/linkcheck/admin.py. Seven columns
    # fit a 1280 px screen beside the filters; the host is in the URL, the HTTP status beside the failure.
    list_display = [
        "shown_url",
        "link_status",
        "failure",
        "failing_since",
        "last_checked",
        "publisher",
        "citation_count",
    ]
    list_filter = ["status", RecentChangeFilter, "drift", "failure_kind", "override", HostFilter]
    list_filter += [("publisher", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["url", "url_as_cited", "host"]
    list_select_related = ["publisher"]
    fieldsets = [
        (
            None,
            {"fields": ["url", "url_as_cited", "shown_host", "publisher", "is_valid", "invalid_reason", "is_homepage"]},
        ),
        (
            _("Link check"),
            {
                "fields": [
                    "link_status",
                    "http_status",
                    "failure_kind",
                    "final_url",
                    "redirect_chain",
                    "failing_since",
                    "consecutive_failures",
                    "last_success_at",
                    "last_checked_at",
                    "next_check_at",
                    "archive_url",
                ]
            },
        ),
        # Drift since cited, and the link to the side-by-side comparison: attribution/snapshots/drift_admin.py.
        (_("Drift since cited"), {"fields": DRIFT_FIELDS}),
        (_("Editorial override"), {"fields": ["override", "override_by", "override_at"]}),
        (None, {"fields": ["url_hash", "created_at"]}),
    ]
    # Everything shown is computed by the import or the checker; only the publisher is an editor's call.
    readonly_fields = [name for _title, options in fieldsets for name in options["fields"] if name != "publisher"]
    autocomplete_fields = ["publisher"]
    inlines = [LinkCheckInline, SnapshotInline]
    actions = ["check_now", "mark_ignored", "mark_verified_ok", "clear_override", "replace_with_final_url"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_total=Count("citations"))

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("citations"), ordering="citation_total")
    def citation_count(self, source):
        return source.citation_total

    @admin.display(description=_("link"), ordering="status")
    def link_status(self, source):
        return status_badge(source)

    @admin.action(description=_("Ignore (stop flagging)"), permissions=["change"])
    def mark_ignored(self, request, queryset):
        self._override(request, queryset, SourceURL.Override.IGNORE)

    @admin.action(description=_("Verified OK by an editor"), permissions=["change"])
    def mark_verified_ok(self, request, queryset):
        self._override(request, queryset, SourceURL.Override.VERIFIED_OK)

    @admin.action(description=_("Clear editorial override"), permissions=["change"])
    def clear_override(self, request, queryset):
        self._override(request, queryset, SourceURL.Override.NONE)

    def _override(self, request, queryset, override):
        sources = list(queryset)
        for source in sources:
            set_override(source, override, actor=request.user)
        done = ngettext("%(count)d link updated.", "%(count)d links updated.", len(sources))
        self.message_user(request, done % {"count": len(sources)})


class PublisherActionForm(ActionForm):
    merge_into = forms.CharField(
        required=False, label=_("into (host)"), help_text=_("For a merge: the host of the publisher to keep.")
    )


@admin.register(Publisher)
class PublisherAdmin(RecordHistoryAdmin):
    action_form = PublisherActionForm
    actions = ["merge"]
    list_display = ["name", "host", "contact_email", "source_count"]
    search_fields = ["name", "host"]
    fields = ["name", "host", "contact_email"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_total=Count("sources"))

    @admin.display(description=_("source URLs"), ordering="source_total")
    def source_count(self, publisher):
        return publisher.source_total

    @admin.action(description=_("Merge selected publishers into the one named below"), permissions=["delete"])
    def merge(self, request, queryset):
        host = request.POST.get("merge_into", "").strip().lower()
        target = next((p for p in queryset if p.host == host), None)
        if target is None:
            self.message_user(
                request, _("Type the host of one of the selected publishers in “into (host)”."), messages.ERROR
            )
            return
        moved = merge_publishers(target, list(queryset), actor=request.user)
        text = ngettext(
            "Merged into %(host)s; %(n)d source moved.", "Merged into %(host)s; %(n)d sources moved.", moved
        )
        self.message_user(request, text % {"host": host, "n": moved})


@admin.register(OutboxEmail)
class OutboxEmailAdmin(RecordAdmin):
    """Operators see what was sent, what waits for a retry and what failed (and why); nothing is edited here."""

    list_display = ["template", "topic", "created_at", "sent_at", "attempts", "next_attempt_at", "failed_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), ("failed_at", admin.EmptyFieldListFilter), "template"]
    search_fields = ["topic", "template"]
    readonly_fields = [field.name for field in OutboxEmail._meta.fields]
    ordering = ["-id"]
    show_full_result_count = False


# Feeds have their admin in their own package; imported here so autodiscovery registers it.
from attribution.feeds import admin as _feeds_admin  # noqa: E402, F401

# Import conflicts and slug redirects have their admin with the import; imported here so autodiscovery registers it.
from attribution.importing import admin as _importing_admin  # noqa: E402, F401

# Save Page Now submissions have their admin beside the sweep; imported here so autodiscovery registers it.
from attribution.snapshots import save_page_now_admin as _save_page_now_admin  # noqa: E402, F401

# API tokens have their admin in their own package; imported here so autodiscovery registers it.
from attribution.tokens import admin as _tokens_admin  # noqa: E402, F401
