"""Resume review: needs_info → in_review by staff (the requester answered by other means, say)."""

from django.db import transaction

from takedowns.models import TakedownRequest
from takedowns.workflow import steps
from takedowns.workflow.graph import require_permission


@transaction.atomic
def resume_review(takedown, *, actor, note: str = "", internal_note: str = "") -> TakedownRequest:
    require_permission(actor, "resume_review", takedown)
    return steps.decide(takedown, "resume_review", actor=actor, note=note, internal_note=internal_note)
