"""Editors' view of attribution records: articles with their citations, sources, publishers."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from attribution.lib.admin import RecordAdmin
from attribution.linkcheck.services import request_check, set_override
from attribution.models import Article, Citation, LinkCheck, OutboxEmail, Publisher, SourceURL


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


BADGE_COLOURS = {
    "ok": "#1a7f37",
    "redirected": "#0b5cad",
    "blocked": "#57606a",
    "failing": "#9a6700",
    "dead": "#b42318",
    "invalid": "#b42318",
    "unchecked": "#57606a",
}


def status_badge(source: SourceURL):
    """The link's status as a coloured label; an editor's override is shown beside it."""
    label = format_html(
        '<span class="cw-link cw-link-{}" style="color:{};font-weight:600">{}</span>',
        source.status,
        BADGE_COLOURS.get(source.status, "#57606a"),
        source.get_status_display(),
    )
    if source.override:
        return format_html("{} <small>({})</small>", label, source.get_override_display())
    return label


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
    fields = ["position", "text_as_written", "source_url", "publisher", "quality", "link_status"]
    readonly_fields = ["position", "text_as_written", "source_url", "publisher", "quality", "link_status"]
    ordering = ["position"]
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source_url__publisher")

    def has_add_permission(self, request, obj=None):
        # Citations change through the import service or the API, which keep
        # positions, duplicates and quality flags consistent.
        return False

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
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "published_on", "status", "source_count", "quality"]
    list_filter = ["status", QualityFilter, "published_on"]
    search_fields = ["headline", "slug", "body", "citations__source_url__url"]
    date_hierarchy = "published_on"
    readonly_fields = ["slug", "status", "imported_from", "fingerprint", "quality", "created_at", "updated_at"]
    fields = [
        "headline",
        "slug",
        "published_on",
        "status",
        "body",
        "quality",
        "imported_from",
        "created_at",
        "updated_at",
    ]
    inlines = [CitationInline]
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

    @admin.display(description=_("sources"), ordering="source_total")
    def source_count(self, article):
        return article.source_total

    @admin.display(description=_("attribution quality"))
    def quality(self, article):
        flags = article.quality_flags
        if not flags:
            return format_html('<span style="color:#1a7f37">{}</span>', _("OK"))
        return format_html_join(", ", '<span style="color:#b42318">{}</span>', ((flag,) for flag in flags))


@admin.register(SourceURL)
class SourceURLAdmin(admin.ModelAdmin):
    list_display = [
        "url",
        "link_status",
        "failure_kind",
        "http_status",
        "failing_since",
        "last_checked_at",
        "host",
        "publisher",
        "citation_count",
    ]
    list_filter = ["status", "failure_kind", "override", HostFilter, ("publisher", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["url", "url_as_cited", "host"]
    list_select_related = ["publisher"]
    fieldsets = [
        (None, {"fields": ["url", "url_as_cited", "host", "publisher", "is_valid", "invalid_reason", "is_homepage"]}),
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
        (_("Editorial override"), {"fields": ["override", "override_by", "override_at"]}),
        (None, {"fields": ["url_hash", "created_at"]}),
    ]
    # Everything shown is computed by the import or the checker; only the publisher is an editor's call.
    readonly_fields = [name for _title, options in fieldsets for name in options["fields"] if name != "publisher"]
    autocomplete_fields = ["publisher"]
    inlines = [LinkCheckInline]
    actions = ["check_now", "mark_ignored", "mark_verified_ok", "clear_override"]
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

    @admin.display(description=_("failing since"), ordering="first_failure_at")
    def failing_since(self, source):
        return source.first_failure_at or "—"

    @admin.action(description=_("Check now"), permissions=["change"])
    def check_now(self, request, queryset):
        queued = request_check(list(queryset.values_list("id", flat=True)), actor=request.user)
        self.message_user(request, _("%(count)d links queued for a check.") % {"count": len(queued)})

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
        self.message_user(request, _("%(count)d links updated.") % {"count": len(sources)})


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    list_display = ["name", "host", "contact_email", "source_count"]
    search_fields = ["name", "host"]
    fields = ["name", "host", "contact_email"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_total=Count("sources"))

    @admin.display(description=_("source URLs"), ordering="source_total")
    def source_count(self, publisher):
        return publisher.source_total


@admin.register(OutboxEmail)
class OutboxEmailAdmin(RecordAdmin):
    """Operators see what was sent, what waits for a retry and what failed (and why); nothing is edited here."""

    list_display = ["template", "topic", "created_at", "sent_at", "attempts", "next_attempt_at", "failed_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), ("failed_at", admin.EmptyFieldListFilter), "template"]
    search_fields = ["topic", "template"]
    readonly_fields = [field.name for field in OutboxEmail._meta.fields]
    ordering = ["-id"]
    show_full_result_count = False
