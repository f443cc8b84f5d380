"""Mark as spam: any open state → spam. Nothing is sent to the requester; the note stays internal."""

from django.db import transaction

from takedowns.models import TakedownRequest
from takedowns.workflow import steps
from takedowns.workflow.graph import require_permission


@transaction.atomic
def mark_spam(takedown, *, actor, note: str = "", internal_note: str = "") -> TakedownRequest:
    require_permission(actor, "spam", takedown)
    # Both notes are internal here, so they make one line of the audit trail.
    return steps.decide(takedown, "spam", actor=actor, note=(note + "\n" + internal_note).strip())
