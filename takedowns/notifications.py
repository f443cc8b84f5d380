"""The email outbox: queue a Notification row with the change, send it after commit, sweep what was never sent.

The row is the real queue; the Celery message is only a wake-up call. If the
broker is down when the request is saved, enqueueing fails quietly (logged),
the row stays unsent, and ``send_unsent_notifications`` picks it up later.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from takedowns.models import Notification, TakedownRequest

logger = logging.getLogger(__name__)

SENT, RETRY, FAILED, SKIPPED = "sent", "retry", "failed", "skipped"
# How long one sender owns a row; longer than any SMTP timeout, so a crashed
# sender's row becomes sendable again instead of stuck.
CLAIM_SECONDS = 300
SWEEP_BATCH = 200


def status_url(takedown: TakedownRequest) -> str:
    return settings.TAKEDOWNS_STATUS_URL_BASE + takedown.get_absolute_url()


def confirm_url(takedown: TakedownRequest) -> str:
    return settings.TAKEDOWNS_STATUS_URL_BASE + reverse(
        "takedowns:confirm", kwargs={"token": takedown.confirmation_token}
    )


def queue_notification(takedown: TakedownRequest, template: str, context: dict | None = None) -> Notification | None:
    """Write an outbox row for the requester and wake a sender after commit.

    Call inside the transaction that makes the change, so the mail exists if
    and only if the change does. Returns None (and queues nothing) once the
    request's contact details have been purged.
    """
    if takedown.purged_at or not takedown.requester_email:
        return None
    now = timezone.now()
    notification = Notification.objects.create(
        request=takedown,
        template=template,
        recipient=takedown.requester_email,
        context={"status_url": status_url(takedown), **(context or {})},
        language=takedown.language or settings.LANGUAGE_CODE,
        # The sweep leaves the row to the after-commit task for this long.
        next_attempt_at=now + dt.timedelta(seconds=settings.TAKEDOWNS_MAIL_SWEEP_GRACE_SECONDS),
    )
    transaction.on_commit(lambda: enqueue_send(notification.pk))
    return notification


def enqueue_send(notification_id: int) -> None:
    """Ask a worker to send one notification. Never raises: a broker outage only delays the mail."""
    from takedowns.tasks import send_notification

    try:
        # No publish retries: during an outage the web request must not hang; the sweep retries instead.
        send_notification.apply_async((notification_id,), retry=False)
    except Exception:
        logger.warning(
            "could not enqueue notification %s; the unsent-mail sweep will send it", notification_id, exc_info=True
        )


def _backoff(attempts: int) -> dt.timedelta:
    # 1, 2, 4 … minutes, capped at 6 hours.
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def render_notification(notification: Notification) -> EmailMultiAlternatives:
    takedown = notification.request
    context = {**notification.context, "takedown": takedown, "site_url": settings.SITE_URL}
    with translation.override(notification.language):
        if context.get("to_status") in TakedownRequest.Status.values:
            context["to_status_label"] = TakedownRequest.Status(context["to_status"]).label
        base = f"emails/{notification.template}"
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [notification.recipient])
    message.attach_alternative(html, "text/html")
    return message


def _claim(notification_id: int, now) -> bool:
    unlocked = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    claimed = Notification.objects.filter(
        unlocked, pk=notification_id, sent_at__isnull=True, failed_at__isnull=True
    ).update(locked_until=now + dt.timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1)
    return claimed == 1


def deliver_notification(notification_id: int) -> str:
    """Send one outbox row; returns SENT, RETRY, FAILED or SKIPPED.

    Safe to call twice or concurrently: a conditional UPDATE claims the row,
    so only one caller sends, and a sent row is SKIPPED. A failure is recorded
    on the row (attempts, last_error, next_attempt_at with backoff); after
    TAKEDOWNS_MAIL_MAX_ATTEMPTS it is marked failed and never retried.
    """
    now = timezone.now()
    if not _claim(notification_id, now):
        return SKIPPED
    notification = Notification.objects.select_related("request").get(pk=notification_id)
    try:
        render_notification(notification).send()
    except Exception as exc:
        # Anything (SMTP down, a bad template) is recorded, not raised: the
        # request that caused the mail must never fail because of it.
        logger.warning("notification %s failed (attempt %s): %r", notification_id, notification.attempts, exc)
        gave_up = notification.attempts >= settings.TAKEDOWNS_MAIL_MAX_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            locked_until=None,
            last_error=repr(exc)[:2000],
            next_attempt_at=now + _backoff(notification.attempts),
            failed_at=now if gave_up else None,
        )
        return FAILED if gave_up else RETRY
    Notification.objects.filter(pk=notification_id).update(sent_at=timezone.now(), locked_until=None, last_error="")
    return SENT


def unsent_notification_ids(now=None, limit: int = SWEEP_BATCH) -> list[int]:
    now = now or timezone.now()
    due = Notification.objects.filter(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now)
    return list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def send_unsent_notifications() -> dict[str, int]:
    """The sweep: send every due, unsent row. Idempotent; returns counts by result."""
    counts = {SENT: 0, RETRY: 0, FAILED: 0, SKIPPED: 0}
    for notification_id in unsent_notification_ids():
        counts[deliver_notification(notification_id)] += 1
    return counts
