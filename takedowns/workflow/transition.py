"""The guarded transition every change of a request's status goes through, and the audit trail it writes.

``transition`` reads the move's rules from ``graph.MOVES``: a conditional
UPDATE that only succeeds from the move's states, one audit RequestEvent, and
the requester's email queued in the same transaction (sent after commit).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from takedowns.mail import queue_requester_mail
from takedowns.models import CLOSED_STATUSES, RequestEvent, TakedownRequest
from takedowns.workflow.graph import MOVES, By

Status = TakedownRequest.Status
# Timestamps stamped by the transition that reaches these states (first time only).
_SUBMITTED_STATES = {Status.SUBMITTED}
_DECIDED_STATES = {Status.ACCEPTED, Status.REJECTED}


class IllegalTransition(Exception):
    """A request cannot move to ``to_status`` from the state it is in (or someone else moved it first)."""

    def __init__(self, takedown_id: int, current_status: str, to_status: str):
        self.takedown_id = takedown_id
        self.current_status = current_status
        self.to_status = to_status
        self.message = _("Request #%(id)s is “%(current)s” and cannot move to “%(target)s”.") % {
            "id": takedown_id,
            "current": Status(current_status).label if current_status in Status.values else current_status,
            "target": Status(to_status).label,
        }
        super().__init__(str(self.message))


def _timestamps(takedown: TakedownRequest, to_status: str, now) -> dict:
    stamps = {}
    if to_status in _SUBMITTED_STATES and not takedown.submitted_at:
        stamps["submitted_at"] = now
    if to_status in _DECIDED_STATES:
        stamps["decided_at"] = now
    # Closing stamps closed_at (the retention clock); reopening clears it.
    stamps["closed_at"] = now if to_status in CLOSED_STATUSES else None
    return stamps


def _current_status(takedown: TakedownRequest) -> str:
    return TakedownRequest.objects.filter(pk=takedown.pk).values_list("status", flat=True).first() or ""


@transaction.atomic
def transition(
    takedown: TakedownRequest,
    action: str,
    *,
    actor,
    note: str = "",
    updates: dict | None = None,
    guard: dict | None = None,
    notify_context: dict | None = None,
    event_kind: str = RequestEvent.Kind.STATUS_CHANGED,
) -> TakedownRequest:
    """Make the move ``action`` (a key of ``graph.MOVES``) if the request is in one of its states; return it refreshed.

    - Guarded: a conditional ``UPDATE … WHERE pk = … AND status = <current>``
      (and ``guard``'s fields, e.g. the assignee the caller saw), attempted
      only if the current status is one the move starts from. If no row
      matched (wrong state, or a concurrent caller moved it first) nothing is
      written and ``IllegalTransition`` is raised, carrying the current status.
      So of two editors clicking at once, exactly one succeeds.
    - ``actor`` is the staff user; a staff move without one raises ValueError.
      Requester and system moves take ``actor=None``.
    - ``updates`` are extra fields set in the same UPDATE (``outcome``,
      ``assignee``…). ``submitted_at``, ``decided_at`` and ``closed_at`` are
      stamped here from the target state.
    - Writes one RequestEvent (``event_kind``; from, to, note, actor, visible
      to the requester if the move tells them). A move that keeps the status
      (reassigning) records no from/to and sends no mail.
    - The move's mail is queued in this transaction and sent after commit,
      with ``to_status``, ``note`` (only if visible) and ``notify_context``.
    """
    move = MOVES[action]
    if move.by == By.STAFF and actor is None:
        raise ValueError(f"the staff move {action!r} needs an actor")
    now = timezone.now()
    # Read the current state, then update only if it is still that state: the
    # event records the true "from", and a concurrent mover makes this a no-op.
    current = _current_status(takedown)
    keeps = current in move.keeps_status_from
    to_status = current if keeps else move.to_status
    fields = {**(updates or {}), "updated_at": now}
    if not keeps:
        fields.update(_timestamps(takedown, to_status, now), status=to_status)
    moved = 0
    if current in move.from_statuses:
        moved = TakedownRequest.objects.filter(pk=takedown.pk, status=current, **(guard or {})).update(**fields)
    if moved != 1:
        raise IllegalTransition(takedown.pk, _current_status(takedown), move.to_status)
    takedown.refresh_from_db()
    RequestEvent.objects.create(
        request=takedown,
        actor=actor,
        actor_label=move.by,
        kind=event_kind,
        from_status="" if keeps else current,
        to_status="" if keeps else to_status,
        note=note,
        visible_to_requester=move.tells_requester and not keeps,
    )
    if move.mail and not keeps:
        context = {"to_status": to_status, "note": note if move.tells_requester else "", **(notify_context or {})}
        queue_requester_mail(takedown, move.mail, context)
    return takedown


def record_event(
    takedown: TakedownRequest, *, kind: str, actor, actor_label: str | None = None, note: str = "", **extra
) -> RequestEvent:
    """Append an audit event that is not a status change (message, attachment, signal…).

    ``actor_label`` is "requester" or "system" when there is no staff ``actor``.
    """
    if actor_label is None:
        if actor is None:
            raise ValueError("record_event() needs actor_label ('requester' or 'system') when actor is None.")
        actor_label = By.STAFF
    return RequestEvent.objects.create(
        request=takedown, kind=kind, actor=actor, actor_label=actor_label, note=note, **extra
    )
