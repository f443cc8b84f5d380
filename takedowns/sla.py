"""Service-level due dates for requests, set when the requester confirms (see README "Editorial workflow")."""

import datetime as dt

from django.conf import settings


def due_dates(submitted_at: dt.datetime) -> dict:
    """The ``first_response_due_at`` and ``decision_due_at`` of a request submitted at ``submitted_at``."""
    return {
        "first_response_due_at": submitted_at + dt.timedelta(days=settings.TAKEDOWNS_FIRST_RESPONSE_DAYS),
        "decision_due_at": submitted_at + dt.timedelta(days=settings.TAKEDOWNS_DECISION_DAYS),
    }
