"""Editors' view of attribution records: articles with their citations, sources, publishers."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from attribution.models import Article, Citation, Publisher, SourceURL


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


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = ["position", "text_as_written", "source_url", "publisher", "quality"]
    readonly_fields = ["position", "text_as_written", "source_url", "publisher", "quality"]
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
    list_display = ["url", "host", "publisher", "is_valid", "is_homepage", "citation_count"]
    list_filter = ["is_valid", "is_homepage"]
    search_fields = ["url", "url_as_cited", "host"]
    list_select_related = ["publisher"]
    readonly_fields = [
        "url",
        "url_hash",
        "url_as_cited",
        "host",
        "is_valid",
        "invalid_reason",
        "is_homepage",
        "created_at",
    ]
    autocomplete_fields = ["publisher"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_total=Count("citations"))

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("citations"), ordering="citation_total")
    def citation_count(self, source):
        return source.citation_total


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
