"""Assign: give an open request to a member of Editors or Legal; a submitted one moves to in_review."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from takedowns.models import RequestEvent, TakedownRequest
from takedowns.workflow import steps
from takedowns.workflow.graph import can_triage, require_permission

Status = TakedownRequest.Status


@transaction.atomic
def assign_request(takedown, *, actor, assignee, note: str = "", internal_note: str = "") -> TakedownRequest:
    """Give an open request to ``assignee`` (an Editor or Legal user).

    A submitted request moves to ``in_review`` (the requester is told);
    reassigning one already in review changes only the assignee and writes an
    ``assigned`` event. Both are guarded on the status and the assignee the
    caller's copy shows: of two editors taking the same request at once, the
    second finds it changed and gets IllegalTransition.
    """
    require_permission(actor, "assign", takedown)
    return give_to(takedown, "assign", actor=actor, assignee=assignee, note=note, internal_note=internal_note)


def give_to(takedown, action: str, *, actor, assignee, note: str, internal_note: str) -> TakedownRequest:
    """Take or assign, once the actor's permission is checked (inside the caller's transaction)."""
    if not can_triage(assignee):
        raise ValidationError({"assignee": _("Requests can only be assigned to members of Editors or Legal.")})
    reassigning = takedown.status != Status.SUBMITTED
    return steps.decide(
        takedown,
        action,
        actor=actor,
        # A reassignment's event names the new assignee; the requester is not told again.
        note=assignee.get_username() if reassigning else note,
        internal_note=internal_note,
        updates={"assignee": assignee},
        guard={"assignee_id": takedown.assignee_id},
        event_kind=RequestEvent.Kind.ASSIGNED if reassigning else RequestEvent.Kind.STATUS_CHANGED,
    )
