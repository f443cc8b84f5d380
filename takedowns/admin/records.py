"""Admin pages of the records around requests: editable reply texts, and the (read-only) article revisions."""

from django.contrib import admin

from attribution.lib.admin import RecordAdmin
from takedowns.models import ArticleRevision, ReplyTemplate


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "action", "language", "updated_at"]
    list_filter = ["language"]
    search_fields = ["name", "body"]
    fields = ["name", "action", "language", "body"]


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(RecordAdmin):
    """Append-only snapshots: the request workflow writes them, reinstatement reads them."""

    list_display = ["article", "request", "reason", "status", "actor", "created_at"]
    list_filter = ["reason"]
    list_select_related = ["article", "actor"]
    search_fields = ["article__slug", "article__headline"]
    readonly_fields = [f.name for f in ArticleRevision._meta.fields]
    show_full_result_count = False
