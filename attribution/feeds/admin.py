"""Editors manage feeds here: add a CMS, pause it, see when it last synced and why it failed, sync now."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from attribution.feeds.models import Feed
from attribution.feeds.sync import request_sync

SYNC_STATE_FIELDS = [
    "last_sync_at",
    "next_sync_at",
    "last_attempt_at",
    "last_result",
    "last_error",
    "consecutive_failures",
    "etag",
    "last_modified",
    "wordpress_modified_after",
    "created_at",
]


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "enabled", "interval", "last_sync_at", "next_sync_at", "consecutive_failures"]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "url"]
    # The sync writes these; an editor changing them by hand would only confuse the schedule.
    readonly_fields = SYNC_STATE_FIELDS
    fieldsets = [
        (None, {"fields": ["name", "url", "kind", "enabled", "interval"]}),
        (_("Last syncs"), {"fields": SYNC_STATE_FIELDS}),
    ]
    actions = ["sync_now"]
    # A feed address typed without a scheme is an https one (and Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.action(description=_("Sync now"), permissions=["change"])
    def sync_now(self, request, queryset):
        for feed in queryset:
            request_sync(feed)
        self.message_user(
            request,
            ngettext("%(count)d feed will sync shortly.", "%(count)d feeds will sync shortly.", queryset.count())
            % {"count": queryset.count()},
            messages.SUCCESS,
        )
