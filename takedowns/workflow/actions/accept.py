"""Accept: in_review → accepted. The action on the article follows (``apply``: accepted → actioned)."""

from django.db import transaction

from takedowns.models import TakedownRequest
from takedowns.workflow import steps
from takedowns.workflow.graph import require_permission


@transaction.atomic
def accept_request(takedown, *, actor, note: str = "", internal_note: str = "") -> TakedownRequest:
    """Legal's decision for removal, copyright and privacy requests; Editors' for the others."""
    require_permission(actor, "accept", takedown)
    return steps.decide(takedown, "accept", actor=actor, note=note, internal_note=internal_note)
