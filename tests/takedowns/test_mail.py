"""The email outbox: a broker outage never loses a request or its mail."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from attribution.models import OutboxEmail
from attribution.outbox import deliver, send_due
from attribution.tasks import send_due_outbox_emails as sweep_task
from config.celery import app as celery_app
from takedowns.models import TakedownRequest
from tests.takedowns.factories import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    """A real, unreachable broker on 127.0.0.1 (nothing listens on port 9): publishing fails as in an outage."""
    # Celery reads CELERY_BROKER_URL from the environment before conf.broker_url;
    # under CI it names a live Redis, which would quietly accept the message.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:9/13")
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.broker_connection_retry, conf.broker_connection_max_retries)
    saved_options = conf.broker_transport_options
    # Give up connecting at once (the default retries for ~6 s first); the failure itself is the real one.
    conf.broker_transport_options = {"max_retries": 0}
    conf.task_always_eager = False
    conf.broker_url = "redis://127.0.0.1:9/13"
    conf.broker_connection_retry = False
    conf.broker_connection_max_retries = 0
    conf.task_publish_retry = False
    _fresh_connection_pool()
    yield
    conf.task_always_eager, conf.broker_url, conf.broker_connection_retry, conf.broker_connection_max_retries = saved
    conf.task_publish_retry = True
    conf.broker_transport_options = saved_options
    _fresh_connection_pool()


def _fresh_connection_pool():
    # The pool holds connections to the broker URL it was built for; drop it so the next publish uses the new URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_with_the_broker_down_the_request_is_saved_and_the_sweep_sends_the_mail_later(submit, article, broker_down):
    response = submit(form_data(article))

    assert response.status_code == 302
    assert TakedownRequest.objects.get().status == "pending_verification"
    notification = OutboxEmail.objects.get()
    assert notification.sent_at is None and mail.outbox == []

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        counts = send_due()

    assert counts["sent"] == 1
    assert len(mail.outbox) == 1 and "Confirm your request" in mail.outbox[0].subject
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.attempts == 1


def test_the_sweep_leaves_fresh_rows_to_the_after_commit_task(submit, article, broker_down):
    submit(form_data(article))
    assert send_due()["sent"] == 0


def test_a_failing_mail_server_is_retried_with_backoff_then_given_up(submit, article, settings, broker_down):
    submit(form_data(article))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.OUTBOX_MAX_ATTEMPTS = 2
    notification = OutboxEmail.objects.get()

    assert deliver(notification.pk) == "retry"
    notification.refresh_from_db()
    assert notification.attempts == 1 and "Connection refused" in notification.last_error
    assert notification.next_attempt_at > timezone.now()
    assert deliver(notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.failed_at is not None
    assert deliver(notification.pk) == "skipped"


def test_a_sent_notification_is_never_sent_twice(submit, article, mailoutbox):
    submit(form_data(article))
    notification = OutboxEmail.objects.get()
    assert notification.sent_at is not None and len(mailoutbox) == 1

    assert deliver(notification.pk) == "skipped"
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        sweep_task.delay()
    assert len(mailoutbox) == 1


def test_a_row_claimed_by_another_sender_is_skipped(submit, article, broker_down):
    submit(form_data(article))
    notification = OutboxEmail.objects.get()
    OutboxEmail.objects.filter(pk=notification.pk).update(locked_until=timezone.now() + dt.timedelta(minutes=5))

    assert deliver(notification.pk) == "skipped"
    assert mail.outbox == []


def test_the_email_is_in_the_language_of_the_form(submit, article, mailoutbox):
    submit(form_data(article), HTTP_ACCEPT_LANGUAGE="en")
    assert OutboxEmail.objects.get().language == "en"


def test_requester_text_is_escaped_in_html_mail(submit, article, mailoutbox):
    submit(form_data(article, requester_name="<b>Rita</b>", signature="<b>Rita</b>"))

    html = mailoutbox[0].alternatives[0][0]
    assert "<b>Rita</b>" not in html and "&lt;b&gt;Rita&lt;/b&gt;" in html
    assert "Hello <b>Rita</b>," in mailoutbox[0].body  # plain text stays as typed
