"""A read-only view of requests for staff with the model's view permission.

Deliberately minimal: the editorial workflow (triage, transitions, replies)
is built on top of this in the workflow issue. Everything is read-only here
because status must only change through takedowns.services. Requester text is
shown through Django's escaping (format_html), never marked safe.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from takedowns.models import Attachment, Message, RequestEvent, TakedownRequest


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = RequestEvent
    fields = ["created_at", "actor_label", "actor", "kind", "from_status", "to_status", "note", "visible_to_requester"]
    readonly_fields = fields
    ordering = ["created_at", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ["created_at", "direction", "author", "body"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["created_at", "download", "content_type", "size", "sha256", "uploaded_by"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, attachment):
        url = reverse("takedowns:attachment", kwargs={"pk": attachment.pk})
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


@admin.register(TakedownRequest)
class TakedownRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "request_type", "organisation", "domain_match", "created_at"]
    list_filter = ["status", "request_type", "domain_match"]
    search_fields = ["requester_name", "requester_email", "organisation", "token"]
    list_select_related = ["assignee"]
    date_hierarchy = "created_at"
    inlines = [EventInline, MessageInline, AttachmentInline]
    show_full_result_count = False
    exclude = ["token", "confirmation_token"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.concrete_fields if field.name not in self.exclude] + [
            "article_list",
        ]

    @admin.display(description=_("articles"))
    def article_list(self, takedown):
        articles = [(article.get_absolute_url(), article.headline) for article in takedown.articles.all()]
        return format_html_join(", ", '<a href="{}">{}</a>', articles) if articles else "—"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # The request and its audit trail are a legal record; the retention purge anonymises instead.
        return False
