"""The one outbox: every email (requester mail, link digest, overdue digest) is a row first, with one retry policy."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from attribution import outbox
from attribution.linkcheck.digest import send_digest
from attribution.models import LinkCheckDigest, OutboxEmail
from tests.attribution.factories import CitationFactory
from tests.linkcheck.factories import DeadSourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_down(settings):
    """A real SMTP connection to a port where nothing listens: the send fails as in an outage."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2


def test_a_link_digest_that_fails_to_send_is_kept_and_sent_later(
    editor, settings, smtp_down, mailoutbox, django_capture_on_commit_callbacks
):
    CitationFactory(source_url=DeadSourceFactory(url_as_cited="https://gazette.example/cranes"))

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest() == 1
    row = OutboxEmail.objects.get(topic="linkcheck-digest")
    assert row.sent_at is None and row.attempts == 1 and "Connection refused" in row.last_error
    assert LinkCheckDigest.objects.count() == 1  # recorded, and its mail is not lost

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        assert outbox.send_due()["sent"] == 1
    (mail,) = mailoutbox
    assert mail.to == [editor.email] and "https://gazette.example/cranes" in mail.body
    # Every email has an HTML part with the same links (tests/takedowns/test_mail_truth.py).
    assert 'href="https://gazette.example/cranes"' in mail.alternatives[0].content


def test_every_email_follows_one_backoff():
    assert [outbox.backoff(n) for n in (1, 2, 3, 4)] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert outbox.backoff(30) == dt.timedelta(hours=6)


def test_a_failed_row_waits_its_backoff_before_the_sweep_tries_again(smtp_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox.queue_email(
            topic="overdue-digest", template="digest", recipients=["desk@newsroom.example"], context={"body": "x"}
        )
    row.refresh_from_db()
    assert row.attempts == 1 and row.sent_at is None

    assert outbox.send_due()["retry"] == 0  # not due yet: the 1-minute backoff holds
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        assert outbox.send_due()["retry"] == 1
    row.refresh_from_db()
    assert row.attempts == 2


def test_operators_can_read_the_outbox_in_the_admin(admin_client, django_capture_on_commit_callbacks):
    outbox.queue_email(topic="overdue-digest", template="digest", recipients=["desk@newsroom.example"])

    page = admin_client.get("/admin/attribution/outboxemail/")

    assert page.status_code == 200 and "overdue-digest" in page.content.decode()
