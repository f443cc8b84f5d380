"""The workflow's periodic jobs: auto-withdraw after silence, the overdue digest, the retention purge.

Each is idempotent and finds its work in the database (the real queue), so a
missed or repeated beat only delays or repeats nothing harmful.
"""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from takedowns.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Attachment,
    Notification,
    RequestEvent,
    TakedownRequest,
)
from takedowns.services import IllegalTransition, record_event, transition
from takedowns.workflow import TRIAGE, default_message

logger = logging.getLogger(__name__)
Status = TakedownRequest.Status
ActorLabel = RequestEvent.ActorLabel
EDITORS_GROUP = "Editors"


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
    closed = 0
    for takedown in silent.filter(asked_at__lt=cutoff).iterator():
        note = default_message(takedown, "withdraw_silent") or _(
            "We did not hear back within %(days)s days, so this request is closed."
        ) % {"days": settings.TAKEDOWNS_NEEDS_INFO_WITHDRAW_DAYS}
        try:
            transition(
                takedown,
                to_status=Status.WITHDRAWN,
                from_statuses=[Status.NEEDS_INFO],
                actor=None,
                actor_label=ActorLabel.SYSTEM,
                note=note,
            )
            closed += 1
        except IllegalTransition:
            continue
    return closed


def _overdue_lines(requests) -> list[str]:
    return [
        f"#{t.pk} {t.get_request_type_display()} · {t.get_status_display()} · "
        f"{settings.SITE_URL}/admin/takedowns/takedownrequest/{t.pk}/change/"
        for t in requests
    ]


def send_overdue_digest(*, now=None) -> int:
    """Email each assignee their overdue requests, and the Editors group the unassigned ones; returns emails sent."""
    overdue = TakedownRequest.objects.filter(overdue_q(now)).select_related("assignee").order_by("created_at")
    by_assignee = defaultdict(list)
    unassigned = []
    for takedown in overdue:
        (by_assignee[takedown.assignee].append if takedown.assignee else unassigned.append)(takedown)
    sent = 0
    for user, requests in by_assignee.items():
        if user.email and user.is_active:
            sent += _send_digest([user.email], requests, assigned=True)
    if unassigned:
        editors = (
            get_user_model()
            .objects.filter(groups__name=EDITORS_GROUP, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
        if editors:
            sent += _send_digest(sorted(editors), unassigned, assigned=False)
    return sent


def _send_digest(recipients: list[str], requests, *, assigned: bool) -> int:
    body = render_to_string(
        "emails/workflow/overdue_digest.txt", {"lines": _overdue_lines(requests), "assigned": assigned}
    )
    subject = _("%(count)s overdue requests") % {"count": len(requests)}
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        # Tomorrow's digest lists them again; one failure must not stop the others.
        logger.warning("overdue digest to %s failed", recipients, exc_info=True)
        return 0
    return 1


def purge_closed_requests(*, now=None, limit: int = 5000) -> int:
    """Anonymise requests closed more than TAKEDOWNS_RETENTION_DAYS ago; returns how many. Idempotent.

    Purges the requester's contact details, the IP hash, the attachments
    (files and rows) and the addresses in the mail outbox. The record (type,
    articles, dates, outcome, messages) and the audit trail stay.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.TAKEDOWNS_RETENTION_DAYS)
    due = TakedownRequest.objects.filter(closed_at__lt=cutoff, purged_at__isnull=True, status__in=CLOSED_STATUSES)
    purged = 0
    for takedown in due.order_by("closed_at")[:limit]:
        with transaction.atomic():
            if _purge_one(takedown, now):
                purged += 1
    return purged


def _purge_one(takedown: TakedownRequest, now) -> bool:
    anonymised = TakedownRequest.objects.filter(pk=takedown.pk, purged_at__isnull=True).update(
        requester_name="",
        requester_email="",
        requester_phone="",
        requester_postal_address="",
        acting_for="",
        signature="",
        ip_hash="",
        purged_at=now,
    )
    if not anonymised:
        return False  # another purge got there first
    attachments = list(Attachment.objects.filter(request=takedown))
    names = [attachment.file.name for attachment in attachments if attachment.file]
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    # Mail never sent by now never will be: the address is gone.
    Notification.objects.filter(request=takedown, sent_at__isnull=True, failed_at__isnull=True).update(
        failed_at=now, last_error="purged"
    )
    Notification.objects.filter(request=takedown).update(recipient="", context={})
    record_event(
        takedown,
        kind=RequestEvent.Kind.PURGED,
        actor=None,
        actor_label=ActorLabel.SYSTEM,
        note=_("Contact details, IP hash and %(n)s files purged after the retention period.") % {"n": len(names)},
    )
    storage = Attachment._meta.get_field("file").storage
    # Files go only once the rows are gone for good.
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return True


def overdue_count() -> int:
    return TakedownRequest.objects.filter(overdue_q()).count()


def staff_can_triage(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(TRIAGE))
