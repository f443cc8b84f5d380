"""The workflow's periodic jobs: expire unconfirmed requests, close after silence, the overdue digest, the purge.

Each is idempotent and finds its work in the database (the real queue), so a
missed or repeated beat only delays work or repeats nothing harmful. Their
moves ("expire", "withdraw_silent") are in the state graph like every other.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from attribution import outbox
from attribution.lib.permissions import EDITORS_GROUP
from takedowns.models import CLOSED_STATUSES, TakedownRequest
from takedowns.workflow import purge
from takedowns.workflow.replies import default_message
from takedowns.workflow.sla import overdue_q
from takedowns.workflow.transition import IllegalTransition, transition

Status = TakedownRequest.Status
OVERDUE_DIGEST_TOPIC = "overdue-digest"


def expire_unconfirmed(*, now=None) -> int:
    """Close requests never confirmed within TAKEDOWNS_VERIFICATION_HOURS; returns how many. Idempotent.

    No mail goes out: the address was never shown to belong to the requester.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.TAKEDOWNS_VERIFICATION_HOURS)
    stale = TakedownRequest.objects.filter(status=Status.PENDING_VERIFICATION, created_at__lt=cutoff)
    note = str(_("The email address was not confirmed in time."))
    return _move_each(stale.only("pk", "status", "submitted_at"), "expire", lambda takedown: note)


def withdraw_silent_requests(*, now=None) -> int:
    """Close as ``withdrawn`` the requests waiting for the requester longer than TAKEDOWNS_NEEDS_INFO_WITHDRAW_DAYS.

    The clock starts at the latest move to needs_info. Returns how many were
    closed; a request that got its answer a moment ago is simply skipped.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.TAKEDOWNS_NEEDS_INFO_WITHDRAW_DAYS)
    silent = TakedownRequest.objects.filter(status=Status.NEEDS_INFO).annotate(
        asked_at=Max("events__created_at", filter=Q(events__to_status=Status.NEEDS_INFO))
    )

    def note(takedown):
        # The note is emailed and shown on the status page: in the requester's language, not the worker's.
        with translation.override(takedown.language):
            return default_message(takedown, "withdraw_silent") or _(
                "We did not hear back within %(days)s days, so this request is closed."
            ) % {"days": settings.TAKEDOWNS_NEEDS_INFO_WITHDRAW_DAYS}

    return _move_each(silent.filter(asked_at__lt=cutoff), "withdraw_silent", note)


def _move_each(requests, action: str, note_for) -> int:
    moved = 0
    for takedown in requests.iterator():
        try:
            transition(takedown, action, actor=None, note=note_for(takedown))
            moved += 1
        except IllegalTransition:
            continue  # moved a moment ago by someone else (confirmed, answered, another sweep)
    return moved


def _overdue_lines(requests) -> list[str]:
    return [
        f"#{t.pk} {t.get_request_type_display()} · {t.get_status_display()} · "
        f"{settings.SITE_URL}/admin/takedowns/takedownrequest/{t.pk}/change/"
        for t in requests
    ]


@transaction.atomic
def send_overdue_digest(*, now=None) -> int:
    """Queue for each assignee their overdue requests, and for the Editors group the unassigned ones.

    Returns the number of emails queued; they go through the outbox, so a
    failing mail server delays them instead of losing them.
    """
    overdue = TakedownRequest.objects.filter(overdue_q(now)).select_related("assignee").order_by("created_at")
    by_assignee = defaultdict(list)
    unassigned = []
    for takedown in overdue:
        (by_assignee[takedown.assignee].append if takedown.assignee else unassigned.append)(takedown)
    queued = 0
    for user, requests in by_assignee.items():
        if user.email and user.is_active:
            queued += _queue_digest([user.email], requests, assigned=True)
    if unassigned:
        editors = (
            get_user_model()
            .objects.filter(groups__name=EDITORS_GROUP, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
        queued += _queue_digest(sorted(editors), unassigned, assigned=False)
    return queued


def _queue_digest(recipients: list[str], requests, *, assigned: bool) -> int:
    with translation.override(settings.LANGUAGE_CODE):  # staff digests are in the site's language
        body = render_to_string(
            "emails/workflow/overdue_digest_body.txt", {"lines": _overdue_lines(requests), "assigned": assigned}
        )
        subject = _("%(count)s overdue requests") % {"count": len(requests)}
    if not recipients:
        return 0
    outbox.queue_email(
        topic=OVERDUE_DIGEST_TOPIC,
        template="digest",
        recipients=recipients,
        context={"subject": str(subject), "body": body},
    )
    return 1


def purge_closed_requests(*, now=None, limit: int = 5000) -> int:
    """Anonymise requests closed more than TAKEDOWNS_RETENTION_DAYS ago; returns how many. Idempotent.

    See ``purge.purge_request``: contact details, IP hash, the requester's own
    texts and files, their addresses in the mail outbox, and every mention of
    their name, email or phone in the record's texts go. The anonymised record
    (types, articles, dates, outcome) and the audit trail's staff actors stay.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.TAKEDOWNS_RETENTION_DAYS)
    due = TakedownRequest.objects.filter(closed_at__lt=cutoff, purged_at__isnull=True, status__in=CLOSED_STATUSES)
    purged = 0
    for takedown in due.order_by("closed_at")[:limit]:
        with transaction.atomic():
            if purge.purge_request(takedown, now):
                purged += 1
    return purged
