"""A snapshot of a cited source: what the page said when we cited it, and each time it drifted."""

import uuid

from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
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
    # UTF-8 bytes of ``text`` (kept in the database): with warc_bytes, what the storage budget counts.
    text_bytes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-taken_at", "-pk"]
        indexes = [
            # A source's snapshots, newest first (admin, drift comparison, overlap).
            models.Index(fields=["source_url", "-taken_at"], name="snapshot_source_taken"),
            # Retention and the budget: WHERE reason = 'drift' ORDER BY taken_at.
            models.Index(fields=["reason", "taken_at"], name="snapshot_reason_taken"),
        ]
        constraints = [
            # One citation-time snapshot per source, even when two workers take it at once.
            models.UniqueConstraint(
                fields=["source_url"], condition=models.Q(reason="first"), name="snapshot_one_first_per_source"
            ),
        ]

    def __str__(self):
        return f"{self.source_url_id} @ {self.taken_at:%Y-%m-%d %H:%M}"


class SnapshotAttempt(models.Model):
    """The first-snapshot queue's memory of a source: when it was tried, what happened, when to try again.

    The sweep takes sources checked OK that have no "first" snapshot and whose
    attempt (if any) is due; claiming one moves ``next_attempt_at`` forward
    with a conditional UPDATE, so two sweeps never send the same source twice
    and a lost task message only delays it. ``next_attempt_at`` empty: never again.
    """

    source_url = models.OneToOneField(
        "attribution.SourceURL", on_delete=models.CASCADE, related_name="snapshot_attempt", primary_key=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # What the last attempt came to, as an editor reads it ("taken", "not HTML or PDF (image/png)", "HTTP 503").
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            # The sweep: attempts due again (WHERE next_attempt_at <= now).
            models.Index(fields=["next_attempt_at"], name="snapshot_attempt_due"),
        ]

    def __str__(self):
        return f"{self.source_url_id}: {self.outcome or 'not tried'}"


@receiver(post_delete, sender=SourceSnapshot, dispatch_uid="snapshot_file_follows_row")
def _delete_warc_with_its_row(sender, instance, **kwargs):
    # However the row goes (retention, the budget, its source's deletion), its file goes too, but only once
    # the deletion commits: a rolled-back delete must not leave a row pointing at a missing file.
    if instance.warc:
        name, storage = instance.warc.name, instance.warc.storage
        transaction.on_commit(lambda: storage.delete(name), robust=True)  # a storage error is logged
