"""Admin for import conflicts (accept or dismiss, with a diff) and the old addresses of renamed articles."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from attribution.importing.conflicts import ConflictNotOpen, accept_conflict, dismiss_conflict
from attribution.importing.diff import html_diff
from attribution.importing.models import ArticleSlugRedirect, ImportConflict
from attribution.lib.admin import RecordAdmin


@admin.register(ImportConflict)
class ImportConflictAdmin(RecordAdmin):
    list_display = ["headline", "article", "status", "origin", "created_at", "resolved_by"]
    list_filter = ["status", "created_at"]
    list_select_related = ["article", "resolved_by"]
    search_fields = ["headline", "article__slug", "origin"]
    readonly_fields = ["article", "status", "origin", "created_at", "resolved_at", "resolved_by", "differences"]
    fields = readonly_fields
    actions = ["accept_selected", "dismiss_selected"]
    change_form_template = "admin/attribution/importconflict/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    def has_change_permission(self, request, obj=None):
        # Deciding is the only change: every field stays read-only, the buttons call the services.
        return request.user.has_perm("attribution.change_importconflict")

    @admin.display(description=_("what would change"))
    def differences(self, conflict):
        tables = html_diff(conflict)
        if not tables:
            return _("Nothing: the article already reads like this.")
        # difflib escapes the compared text itself; the tables are its HTML.
        return format_html_join("", "<h3>{}</h3>{}", ((label, mark_safe(table)) for label, table in tables))

    @admin.action(description=_("Accept: apply the incoming version"), permissions=["change"])
    def accept_selected(self, request, queryset):
        self._resolve(request, queryset, accept_conflict, _("accepted"))

    @admin.action(description=_("Dismiss: keep the article as it is"), permissions=["change"])
    def dismiss_selected(self, request, queryset):
        self._resolve(request, queryset, dismiss_conflict, _("dismissed"))

    def _resolve(self, request, queryset, service, done) -> None:
        count = 0
        for conflict in queryset.filter(status=ImportConflict.Status.OPEN):
            try:
                service(conflict, actor=request.user)
                count += 1
            except ValueError as exc:  # ConflictNotOpen too: someone decided a moment ago
                self.message_user(request, f"{conflict.article.slug}: {exc}", messages.ERROR)
        text = ngettext("%(n)d import conflict %(done)s.", "%(n)d import conflicts %(done)s.", count)
        self.message_user(request, text % {"n": count, "done": done})

    def response_change(self, request, obj):
        """The detail page's Accept / Dismiss buttons."""
        service = (
            accept_conflict if "_accept" in request.POST else dismiss_conflict if "_dismiss" in request.POST else None
        )
        if service is None or not self.has_change_permission(request, obj):
            return super().response_change(request, obj)
        try:
            service(obj, actor=request.user)
            self.message_user(request, _("Done: the import conflict is %(s)s.") % {"s": obj.get_status_display()})
        except (ConflictNotOpen, ValueError) as exc:
            self.message_user(request, str(exc), messages.ERROR)
        return HttpResponseRedirect(request.path)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["conflict_is_open"] = obj is not None and obj.status == ImportConflict.Status.OPEN
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


@admin.register(ArticleSlugRedirect)
class ArticleSlugRedirectAdmin(RecordAdmin):
    list_display = ["old_slug", "article_link", "created_at"]
    search_fields = ["old_slug", "article__slug"]
    list_select_related = ["article"]

    @admin.display(description=_("now at"))
    def article_link(self, redirect):
        return format_html('<a href="{}">{}</a>', redirect.article.get_absolute_url(), redirect.article.slug)
