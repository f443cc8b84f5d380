"""Save Page Now in the admin: read-only, so editors see which sources are archived, pending or failed, and why."""

from django.contrib import admin

from attribution.lib.admin import RecordAdmin
from attribution.snapshots.archive_submissions import ArchiveSubmission


@admin.register(ArchiveSubmission)
class ArchiveSubmissionAdmin(RecordAdmin):
    list_display = ["source_url", "status", "attempts", "submitted_at", "archived_at", "next_attempt_at", "last_error"]
    list_filter = ["status"]
    search_fields = ["source_url__url", "job_id", "last_error"]
    list_select_related = ["source_url"]
    fields = ["source_url", "status", "job_id", "attempts", "submitted_at", "archived_at", "next_attempt_at"]
    fields += ["last_error", "created_at"]
    readonly_fields = fields
    show_full_result_count = False
    # Rows are written only by the sweep (attribution/snapshots/save_page_now.py); deleting one would lose
    # the record of what was sent to the Internet Archive, so RecordAdmin allows no add, change or delete.
