"""The one outbox for every email: queue a row with the change, send it after commit, sweep what was never sent.

Requester mail, the link digest and the overdue digest all go through here,
with one retry policy: each failed attempt moves the row's ``next_attempt_at``
back (1, 2, 4 … minutes, capped at 6 hours) and the sweep, every minute, sends
what is due; after OUTBOX_MAX_ATTEMPTS the row is marked failed. The row is the
real queue; the Celery message is only a wake-up call, so a broker outage
delays mail and never loses it.

Rendering happens at send time, in the row's language. An app whose templates
need its own records registers a context provider for its topic prefix
(``register_context``), so this module never imports that app.
"""

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from attribution.lib.queue import enqueue_on_commit
from attribution.models import OutboxEmail

logger = logging.getLogger(__name__)

SENT, RETRY, FAILED, SKIPPED = "sent", "retry", "failed", "skipped"
# How long one sender owns a row; longer than any SMTP timeout, so a crashed
# sender's row becomes sendable again instead of stuck.
CLAIM_SECONDS = 300
SWEEP_BATCH = 200
SEND_TASK = "attribution.tasks.send_outbox_email"
# topic prefix ("request") → function(topic, context) returning extra template context.
_context_providers: dict[str, Callable[[str, dict], dict]] = {}


def register_context(prefix: str, provider: Callable[[str, dict], dict]) -> None:
    """Let rows whose topic starts with ``prefix:`` render with ``provider(topic, context)`` added to their context."""
    _context_providers[prefix] = provider


def queue_email(
    *, topic: str, template: str, recipients: list[str], context: dict | None = None, language: str = ""
) -> OutboxEmail:
    """Write an outbox row (one email to all ``recipients``) and wake a sender after commit.

    Call inside the transaction that makes the change, so the mail exists if
    and only if the change does. ``context`` must be JSON: ids and strings.
    """
    email = OutboxEmail.objects.create(
        topic=topic,
        template=template,
        recipients=list(recipients),
        context=context or {},
        language=language or settings.LANGUAGE_CODE,
        # The sweep leaves the row to the after-commit task for this long.
        next_attempt_at=timezone.now() + dt.timedelta(seconds=settings.OUTBOX_SWEEP_GRACE_SECONDS),
    )
    enqueue_on_commit(SEND_TASK, email.pk)
    return email


def backoff(attempts: int) -> dt.timedelta:
    """The one retry policy: 1, 2, 4 … minutes after the nth failed attempt, capped at 6 hours."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def render(email: OutboxEmail) -> EmailMultiAlternatives:
    """The message for one row, rendered in its language: a text part and an HTML part saying the same things."""
    context = {**email.context, "site_url": settings.SITE_URL}
    provider = _context_providers.get(email.topic.partition(":")[0])
    if provider is not None:
        context.update(provider(email.topic, email.context))
    base = f"emails/{email.template}"
    with translation.override(email.language):
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        try:
            html = render_to_string(f"{base}.html", context)
        except TemplateDoesNotExist:
            html = None  # every template under templates/emails/ has one (tests/takedowns/test_mail_truth.py)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, email.recipients)
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message


def _claim(email_id: int, now) -> bool:
    unlocked = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    claimed = OutboxEmail.objects.filter(unlocked, pk=email_id, sent_at__isnull=True, failed_at__isnull=True).update(
        locked_until=now + dt.timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1
    )
    return claimed == 1


def deliver(email_id: int) -> str:
    """Send one outbox row; returns SENT, RETRY, FAILED or SKIPPED.

    Safe to call twice or concurrently: a conditional UPDATE claims the row,
    so only one caller sends, and a sent row is SKIPPED. A failure is recorded
    on the row (attempts, last_error, next_attempt_at with ``backoff``); after
    OUTBOX_MAX_ATTEMPTS it is marked failed and never retried.
    """
    now = timezone.now()
    if not _claim(email_id, now):
        return SKIPPED
    email = OutboxEmail.objects.get(pk=email_id)
    try:
        render(email).send()
    except Exception as exc:
        # Anything (SMTP down, a bad template) is recorded, not raised: the
        # change that caused the mail must never fail because of it.
        logger.warning("outbox email %s failed (attempt %s): %r", email_id, email.attempts, exc)
        gave_up = email.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        OutboxEmail.objects.filter(pk=email_id).update(
            locked_until=None,
            last_error=repr(exc)[:2000],
            next_attempt_at=now + backoff(email.attempts),
            failed_at=now if gave_up else None,
        )
        return FAILED if gave_up else RETRY
    OutboxEmail.objects.filter(pk=email_id).update(sent_at=timezone.now(), locked_until=None, last_error="")
    return SENT


def due_ids(now=None, limit: int = SWEEP_BATCH) -> list[int]:
    now = now or timezone.now()
    due = OutboxEmail.objects.filter(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now)
    return list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def send_due() -> dict[str, int]:
    """The sweep: send every due, unsent row. Idempotent; returns counts by result."""
    counts = {SENT: 0, RETRY: 0, FAILED: 0, SKIPPED: 0}
    for email_id in due_ids():
        counts[deliver(email_id)] += 1
    return counts


def forget_recipient(topic: str, *, reason: str) -> None:
    """For a purge: give up the topic's unsent mail and blank the address and context of all of it.

    The last error goes too: an SMTP refusal's text names the address.
    """
    now = timezone.now()
    rows = OutboxEmail.objects.filter(topic=topic)
    rows.filter(sent_at__isnull=True, failed_at__isnull=True).update(failed_at=now, last_error=reason)
    rows.update(recipients=[], context={})
    rows.exclude(last_error__in=["", reason]).update(last_error=reason)
