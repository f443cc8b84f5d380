"""The audit trail: one RequestEvent per step in a request's life."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from takedowns.models.messages import Attachment, Message
from takedowns.models.requests import MAX_NOTE, TakedownRequest


class RequestEvent(models.Model):
    """One step in a request's life. Append-only: never updated, never deleted while the request exists."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Request received")
        STATUS_CHANGED = "status_changed", _("Status changed")
        MESSAGE = "message", _("Message")
        ATTACHMENT = "attachment", _("File added")
        DUPLICATE_DETECTED = "duplicate_detected", _("Duplicate detected")
        DOMAIN_MATCH = "domain_match", _("Email domain matches a cited publisher")
        ASSIGNED = "assigned", _("Assigned")
        NOTE = "note", _("Note")
        ACTION = "action", _("Action on the article")
        PURGED = "purged", _("Personal data purged")

    class ActorLabel(models.TextChoices):
        REQUESTER = "requester", _("Requester")
        SYSTEM = "system", _("System")
        STAFF = "staff", _("Staff")

    request = models.ForeignKey(TakedownRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=16, choices=ActorLabel.choices)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    from_status = models.CharField(max_length=32, choices=TakedownRequest.Status.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=TakedownRequest.Status.choices, blank=True)
    note = models.TextField(max_length=MAX_NOTE, blank=True)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    attachment = models.ForeignKey(Attachment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    visible_to_requester = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The timeline of one request, on the status page and the admin page.
            models.Index(fields=["request", "created_at"], name="event_request_created"),
        ]

    def __str__(self):
        return f"#{self.request_id} {self.kind} {self.from_status}→{self.to_status}"
