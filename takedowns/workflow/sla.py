"""Service-level due dates of requests: set when the requester confirms, and what counts as overdue."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from takedowns.models import OPEN_STATUSES, TakedownRequest

Status = TakedownRequest.Status


def due_dates(submitted_at: dt.datetime) -> dict:
    """The ``first_response_due_at`` and ``decision_due_at`` of a request submitted at ``submitted_at``."""
    return {
        "first_response_due_at": submitted_at + dt.timedelta(days=settings.TAKEDOWNS_FIRST_RESPONSE_DAYS),
        "decision_due_at": submitted_at + dt.timedelta(days=settings.TAKEDOWNS_DECISION_DAYS),
    }


def overdue_q(now=None) -> Q:
    """Open requests past a due date: no first response by its due date, or no decision by its due date.

    Waiting for the requester (needs_info) stops the decision clock.
    """
    now = now or timezone.now()
    late_response = Q(first_response_at__isnull=True, first_response_due_at__lt=now)
    late_decision = Q(decided_at__isnull=True, decision_due_at__lt=now) & ~Q(status=Status.NEEDS_INFO)
    return Q(status__in=OPEN_STATUSES) & (late_response | late_decision)


def next_due(takedown: TakedownRequest):
    """The due date the request is working towards now (the same rule as ``overdue_q``), or None."""
    if takedown.status not in OPEN_STATUSES:
        return None
    if not takedown.first_response_at:
        return takedown.first_response_due_at
    if not takedown.decided_at and takedown.status != Status.NEEDS_INFO:
        return takedown.decision_due_at
    return None
