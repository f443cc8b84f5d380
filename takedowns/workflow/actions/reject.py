"""Reject: in_review → rejected, with a reason code; the note (or the template) is the message to the requester."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from takedowns.models import TakedownRequest
from takedowns.workflow import steps
from takedowns.workflow.graph import require_permission


@transaction.atomic
def reject_request(takedown, *, actor, reason: str, note: str = "", internal_note: str = "") -> TakedownRequest:
    require_permission(actor, "reject", takedown)
    if reason not in TakedownRequest.RejectionReason.values:
        raise ValidationError({"rejection_reason": _("Choose a reason for the rejection.")})
    return steps.decide(
        takedown, "reject", actor=actor, note=note, internal_note=internal_note, updates={"rejection_reason": reason}
    )
