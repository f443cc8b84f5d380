"""Take: an editor assigns an open request to themselves (submitted → in_review)."""

from django.db import transaction

from takedowns.models import TakedownRequest
from takedowns.workflow.actions.assign import give_to
from takedowns.workflow.graph import require_permission


@transaction.atomic
def take_request(takedown, *, actor, note: str = "", internal_note: str = "") -> TakedownRequest:
    """Assign a request to oneself. See ``assign.assign_request`` for the guard and the events."""
    require_permission(actor, "take", takedown)
    return give_to(takedown, "take", actor=actor, assignee=actor, note=note, internal_note=internal_note)
