"""Save Page Now submissions: one row per source sent to the Wayback Machine (attribution/snapshots/save_page_now.py).

The table is the queue: the sweep finds rows whose ``next_attempt_at`` has come, so a lost
task or a crashed worker only delays a submission.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArchiveSubmission(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SUBMITTED = "submitted", _("Sent; the archive is capturing it")
        ARCHIVED = "archived", _("Archived")
        FAILED = "failed", _("Failed")

    source_url = models.OneToOneField(
        "attribution.SourceURL", on_delete=models.CASCADE, related_name="archive_submission", editable=False
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, editable=False)
    # Save Page Now's capture job, polled at /save/status/<job_id> until it succeeds or fails.
    job_id = models.CharField(max_length=100, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    next_attempt_at = models.DateTimeField(default=timezone.now, editable=False)
    # When we last sent it: the rate limit counts these over the last minute, across all workers.
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The sweep: WHERE status IN (queued, submitted) AND next_attempt_at <= now ORDER BY next_attempt_at.
            models.Index(fields=["status", "next_attempt_at"], name="archivesub_due"),
            # The rate limit: COUNT(*) WHERE submitted_at >= now - 1 minute.
            models.Index(fields=["submitted_at"], name="archivesub_submitted"),
        ]

    def __str__(self):
        return f"{self.source_url_id} {self.status}"
