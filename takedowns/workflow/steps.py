"""Steps every staff decision shares: the public note, the first-response stamp, the internal note."""

from django.utils import timezone

from takedowns.models import RequestEvent, TakedownRequest
from takedowns.workflow.graph import MOVES
from takedowns.workflow.replies import default_message
from takedowns.workflow.transition import record_event, transition


def first_response(takedown: TakedownRequest) -> dict:
    """The update that stamps the first staff response, if this is it."""
    return {} if takedown.first_response_at else {"first_response_at": timezone.now()}


def add_internal_note(takedown: TakedownRequest, actor, internal_note: str) -> None:
    """A staff-only note beside a decision; nothing is written for a blank one."""
    if internal_note.strip():
        record_event(takedown, kind=RequestEvent.Kind.NOTE, actor=actor, note=internal_note.strip())


def public_note(takedown: TakedownRequest, action: str, note: str) -> str:
    """The note the requester is told: as typed, or else the action's reply template (nothing for spam)."""
    if note.strip():
        return note.strip()
    return default_message(takedown, action) if MOVES[action].tells_requester else ""


def decide(takedown, action: str, *, actor, note: str = "", internal_note: str = "", updates=None, **options):
    """The common path of a decision (permission already checked): guarded move with the public note, internal note.

    Call inside the decision's transaction.
    """
    moved = transition(
        takedown,
        action,
        actor=actor,
        note=public_note(takedown, action, note),
        updates={**first_response(takedown), **(updates or {})},
        **options,
    )
    add_internal_note(moved, actor, internal_note)
    return moved
