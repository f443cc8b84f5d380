"""A snapshot of a cited source: what the page said when we cited it, and each time it drifted."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from attribution.snapshots.storage import snapshot_storage


def warc_path(snapshot, filename: str) -> str:
    # Never derived from the page: no traversal, nothing to guess.
    return f"snapshots/{snapshot.source_url_id}/{uuid.uuid4().hex}.warc.gz"


class SourceSnapshot(models.Model):
    class Reason(models.TextChoices):
        FIRST = "first", _("When first cited")
        DRIFT = "drift", _("Drift found")
        MANUAL = "manual", _("Taken by an editor")

    source_url = models.ForeignKey("attribution.SourceURL", on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField()
    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.FIRST)
    fetched_url = models.TextField(help_text=_("The address that answered, after redirects."))
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    title = models.TextField(blank=True)
    # The page's main text as extracted (no navigation, ads or boilerplate): what drift and overlap compare.
    text = models.TextField(blank=True)
    text_hash = models.CharField(max_length=64, blank=True, help_text=_("SHA-256 of the extracted main text."))
    body_bytes = models.PositiveIntegerField(default=0, help_text=_("Bytes of the response kept."))
    truncated = models.BooleanField(default=False, help_text=_("The response was longer than the size limit."))
    warc = models.FileField(upload_to=warc_path, storage=snapshot_storage, max_length=255, blank=True)
    warc_bytes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-taken_at", "-pk"]
        indexes = [
            # A source's snapshots, newest first (admin, drift comparison, overlap).
            models.Index(fields=["source_url", "-taken_at"], name="snapshot_source_taken"),
        ]

    def __str__(self):
        return f"{self.source_url_id} @ {self.taken_at:%Y-%m-%d %H:%M}"
