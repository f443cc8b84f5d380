"""What passes between the requester and the newsroom: messages and uploaded files."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from takedowns.models.requests import MAX_SHORT_TEXT, TakedownRequest


def attachment_path(attachment, filename: str) -> str:
    # The stored name never uses what the requester typed: no traversal, no
    # clashes, nothing to guess. The original name is kept in a field.
    return f"takedowns/{attachment.request_id}/{uuid.uuid4().hex}"


class Message(models.Model):
    class Direction(models.TextChoices):
        FROM_REQUESTER = "from_requester", _("From the requester")
        TO_REQUESTER = "to_requester", _("To the requester")

    request = models.ForeignKey(TakedownRequest, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=16, choices=Direction.choices)
    # The staff member who wrote a message to the requester; empty for the requester's own.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    body = models.TextField(max_length=MAX_SHORT_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"], name="message_request_created")]

    def __str__(self):
        return f"{self.get_direction_display()} #{self.request_id}"


class Attachment(models.Model):
    class UploadedBy(models.TextChoices):
        REQUESTER = "requester", _("Requester")
        STAFF = "staff", _("Staff")

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        PNG = "image/png", "PNG"
        JPEG = "image/jpeg", "JPEG"
        TEXT = "text/plain", _("Plain text")

    request = models.ForeignKey(TakedownRequest, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    # Under MEDIA_ROOT or in a private bucket (README "Storage"), which no URL serves: only views.attachment_download
    # (staff with the view_attachment permission) reads it back.
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(max_length=255)
    # Detected from the file's bytes, never taken from the upload.
    content_type = models.CharField(max_length=64, choices=ContentType.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField(max_length=16, choices=UploadedBy.choices)
    uploaded_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name
