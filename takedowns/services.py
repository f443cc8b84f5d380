"""State changes to requests. Views, the API, admin actions, tasks and commands all call these.

Every change of status goes through ``transition``: a conditional UPDATE that
only succeeds from the allowed states, one audit RequestEvent, and the
requester's email queued in the same transaction (sent after commit).
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from takedowns.models import CLOSED_STATUSES, RequestEvent, TakedownRequest
from takedowns.notifications import queue_notification

Status = TakedownRequest.Status
ActorLabel = RequestEvent.ActorLabel
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


def _actor_label(actor, actor_label: str | None) -> str:
    if actor_label:
        return actor_label
    if actor is None:
        raise ValueError("transition() needs actor_label ('requester' or 'system') when actor is None.")
    return ActorLabel.STAFF


def _timestamps(takedown: TakedownRequest, to_status: str, now) -> dict:
    stamps = {}
    if to_status in _SUBMITTED_STATES and not takedown.submitted_at:
        stamps["submitted_at"] = now
    if to_status in _DECIDED_STATES:
        stamps["decided_at"] = now
    # Closing stamps closed_at (the retention clock); reopening clears it.
    stamps["closed_at"] = now if to_status in CLOSED_STATUSES else None
    return stamps


@transaction.atomic
def transition(
    takedown: TakedownRequest,
    *,
    to_status: str,
    from_statuses: Iterable[str],
    actor,
    actor_label: str | None = None,
    note: str = "",
    visible_to_requester: bool = True,
    notify: str | None = "status_changed",
    notify_context: dict | None = None,
    updates: dict | None = None,
) -> TakedownRequest:
    """Move ``takedown`` to ``to_status`` if it is in one of ``from_statuses``; return it refreshed.

    - Guarded: a conditional ``UPDATE … WHERE pk = … AND status = <current>``,
      attempted only if the current status is in ``from_statuses``. If no row
      matched (wrong state, or a concurrent caller moved it first) nothing is
      written and ``IllegalTransition`` is raised, carrying the current status.
      So of two editors clicking at once, exactly one succeeds.
    - ``actor`` is the staff user, or None for the requester or the system, in
      which case ``actor_label`` ("requester" / "system") is required.
    - ``updates`` are extra fields set in the same UPDATE (e.g. ``outcome``,
      ``rejection_reason``, ``duplicate_of``, ``assignee``). ``submitted_at``,
      ``decided_at`` and ``closed_at`` are stamped here from the target state.
    - Writes one RequestEvent (kind ``status_changed``, from, to, note, actor,
      ``visible_to_requester``).
    - ``notify`` names an email template under templates/emails/ (None for no
      mail); the outbox row is written in this transaction and sent after
      commit, with ``to_status``, ``note`` (only if visible) and
      ``notify_context`` in its context.
    Atomic: runs inside the caller's transaction, or its own.
    """
    from_statuses = {str(status) for status in from_statuses}
    label = _actor_label(actor, actor_label)
    now = timezone.now()
    fields = {**(updates or {}), **_timestamps(takedown, to_status, now), "status": to_status, "updated_at": now}
    # Read the current state, then update only if it is still that state: the
    # event records the true "from", and a concurrent mover makes this a no-op.
    current = TakedownRequest.objects.filter(pk=takedown.pk).values_list("status", flat=True).first() or ""
    moved = 0
    if current in from_statuses:
        moved = TakedownRequest.objects.filter(pk=takedown.pk, status=current).update(**fields)
    if moved != 1:
        current = TakedownRequest.objects.filter(pk=takedown.pk).values_list("status", flat=True).first() or ""
        raise IllegalTransition(takedown.pk, current, to_status)
    from_status = current
    takedown.refresh_from_db()
    RequestEvent.objects.create(
        request=takedown,
        actor=actor,
        actor_label=label,
        kind=RequestEvent.Kind.STATUS_CHANGED,
        from_status=from_status,
        to_status=to_status,
        note=note,
        visible_to_requester=visible_to_requester,
    )
    if notify:
        context = {"to_status": to_status, "note": note if visible_to_requester else "", **(notify_context or {})}
        queue_notification(takedown, notify, context)
    return takedown


def record_event(
    takedown: TakedownRequest, *, kind: str, actor, actor_label: str | None = None, note: str = "", **extra
) -> RequestEvent:
    """Append an audit event that is not a status change (message, attachment, signal…)."""
    return RequestEvent.objects.create(
        request=takedown, kind=kind, actor=actor, actor_label=_actor_label(actor, actor_label), note=note, **extra
    )


def expire_unconfirmed(*, now=None) -> int:
    """Close requests never confirmed within TAKEDOWNS_VERIFICATION_HOURS; returns how many. Idempotent.

    No mail goes out: the address was never shown to belong to the requester.
    """
    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.TAKEDOWNS_VERIFICATION_HOURS)
    stale = TakedownRequest.objects.filter(status=Status.PENDING_VERIFICATION, created_at__lt=cutoff)
    expired = 0
    for takedown in stale.only("pk", "status", "submitted_at").iterator():
        try:
            transition(
                takedown,
                to_status=Status.EXPIRED,
                from_statuses=[Status.PENDING_VERIFICATION],
                actor=None,
                actor_label=ActorLabel.SYSTEM,
                note=str(_("The email address was not confirmed in time.")),
                notify=None,
            )
            expired += 1
        except IllegalTransition:
            continue  # confirmed a moment ago, or another sweep got there first
    return expired
