"""Submit → confirm (by POST) → status page; messages, withdraw, expiry."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from takedowns.models import Message, RequestEvent, TakedownRequest
from takedowns.tasks import expire_unconfirmed_requests
from takedowns.workflow.jobs import expire_unconfirmed
from tests.takedowns.factories import TakedownRequestFactory, form_data

pytestmark = pytest.mark.django_db
Status = TakedownRequest.Status


def link_in(message, path: str) -> str:
    return re.search(rf"http://[^\s\"<]+{path}[^\s\"<]+/", message.body).group(0)


@pytest.fixture
def pending(submit, article, mailoutbox):
    submit(form_data(article))
    return TakedownRequest.objects.get()


@pytest.fixture
def confirm(client, django_capture_on_commit_callbacks):
    def post(takedown):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/requests/confirm/{takedown.confirmation_token}/")

    return post


def test_the_confirmation_email_links_to_a_page_that_does_not_confirm_on_get(client, pending, mailoutbox):
    confirm_link = link_in(mailoutbox[0], "/requests/confirm/")
    assert pending.confirmation_token in confirm_link
    assert mailoutbox[0].alternatives[0][1] == "text/html"

    page = client.get(confirm_link.replace("http://127.0.0.1:8000", ""))

    assert page.status_code == 200 and b"Confirm" in page.content
    assert TakedownRequest.objects.get().status == Status.PENDING_VERIFICATION


def test_confirming_by_post_submits_and_sends_the_status_page_link(client, pending, confirm, mailoutbox):
    response = confirm(pending)

    takedown = TakedownRequest.objects.get()
    assert takedown.status == Status.SUBMITTED and takedown.submitted_at is not None
    assert response["Location"] == f"/requests/{takedown.token}/"
    assert len(mailoutbox) == 2
    assert link_in(mailoutbox[1], "/requests/").endswith(f"/requests/{takedown.token}/")
    page = client.get(response["Location"])
    assert b'data-status="submitted"' in page.content
    assert page["X-Robots-Tag"] == "noindex, nofollow"


def test_confirming_twice_changes_nothing_the_second_time(pending, confirm, mailoutbox):
    confirm(pending)
    second = confirm(pending)

    assert second.status_code == 302
    assert RequestEvent.objects.filter(request=pending, to_status=Status.SUBMITTED).count() == 1
    assert len(mailoutbox) == 2


def test_the_status_url_alone_cannot_confirm(client, pending):
    assert client.post(f"/requests/confirm/{pending.token}/").status_code == 404
    assert TakedownRequest.objects.get().status == Status.PENDING_VERIFICATION


def test_tokens_are_long_random_and_unguessable(pending):
    other = TakedownRequestFactory()
    assert len(pending.token) >= 32 and pending.token != other.token
    assert pending.token != pending.confirmation_token


def test_unknown_tokens_and_ids_are_plain_404s(client, pending):
    assert client.get("/requests/" + "A" * 32 + "/").status_code == 404
    assert client.get(f"/requests/{pending.pk}/").status_code == 404


def test_unconfirmed_requests_expire_after_24_hours(pending):
    created = pending.created_at
    with time_machine.travel(created + dt.timedelta(hours=23, minutes=59), tick=False):
        assert expire_unconfirmed() == 0
    with time_machine.travel(created + dt.timedelta(hours=24, minutes=1), tick=False):
        assert expire_unconfirmed_requests.delay().get() == 1
    takedown = TakedownRequest.objects.get()
    assert takedown.status == Status.EXPIRED and takedown.closed_at is not None


def test_an_expired_link_says_so(client, pending):
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        expire_unconfirmed()
    response = client.post(f"/requests/confirm/{pending.confirmation_token}/")
    assert response.status_code == 410 and b"expired" in response.content


def test_the_timeline_shows_only_events_meant_for_the_requester(client, pending, confirm, editor):
    confirm(pending)
    RequestEvent.objects.create(
        request=pending, actor=editor, actor_label="staff", kind="note", note="Internal: check with legal"
    )
    page = client.get(f"/requests/{pending.token}/").content.decode()
    assert "Email address confirmed." in page
    assert "Internal: check with legal" not in page


@pytest.fixture
def submitted(pending, confirm):
    confirm(pending)
    return TakedownRequest.objects.get()


def test_the_requester_adds_a_message_and_a_file(client, submitted):
    upload = SimpleUploadedFile("licence.txt", b"Licence granted to nobody.\n")
    response = client.post(
        f"/requests/{submitted.token}/messages/", {"body": "Here is our licence.", "attachments": [upload]}
    )

    assert response.status_code == 302
    assert Message.objects.get().body == "Here is our licence."
    page = client.get(f"/requests/{submitted.token}/").content.decode()
    assert "Here is our licence." in page and "licence.txt" in page


def test_an_empty_message_is_refused_with_a_reason(client, submitted):
    response = client.post(f"/requests/{submitted.token}/messages/", {"body": ""})
    assert response.status_code == 400 and b"Write a message or add a file." in response.content


def test_a_reply_while_we_wait_for_the_requester_returns_it_to_review(client, submitted, editor):
    TakedownRequest.objects.filter(pk=submitted.pk).update(status=Status.NEEDS_INFO)
    client.post(f"/requests/{submitted.token}/messages/", {"body": "The photo ran on 3 March."})
    assert TakedownRequest.objects.get().status == Status.IN_REVIEW


def test_requester_text_is_escaped_on_the_status_page(client, submitted):
    client.post(f"/requests/{submitted.token}/messages/", {"body": "<script>alert(1)</script>"})
    page = client.get(f"/requests/{submitted.token}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_withdrawing_needs_the_confirm_box_and_then_closes_the_request(
    client, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    assert client.post(f"/requests/{submitted.token}/withdraw/", {}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/requests/{submitted.token}/withdraw/", {"confirm": "on", "reason": "Settled"})

    assert response.status_code == 302
    takedown = TakedownRequest.objects.get()
    assert takedown.status == Status.WITHDRAWN and takedown.closed_at is not None
    assert "Withdrawn" in mailoutbox[-1].subject


def test_a_closed_request_takes_no_more_messages_or_withdrawals(client, submitted):
    TakedownRequest.objects.filter(pk=submitted.pk).update(status=Status.REJECTED)
    assert client.post(f"/requests/{submitted.token}/messages/", {"body": "But…"}).status_code == 409
    assert client.post(f"/requests/{submitted.token}/withdraw/", {"confirm": "on"}).status_code == 409
    assert not Message.objects.exists()


def test_status_page_posts_need_csrf(submitted):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/requests/{submitted.token}/withdraw/", {"confirm": "on"}).status_code == 403
    assert strict.post(f"/requests/{submitted.token}/messages/", {"body": "hi"}).status_code == 403
    assert not Message.objects.exists()


def test_confirming_needs_csrf_too(pending):
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post(f"/requests/confirm/{pending.confirmation_token}/").status_code == 403
    assert TakedownRequest.objects.get().status == Status.PENDING_VERIFICATION


def test_the_status_page_query_count_does_not_grow_with_the_timeline(client, submitted):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/requests/{submitted.token}/").status_code == 200
        return len(queries)

    few = count_queries()
    RequestEvent.objects.bulk_create(
        RequestEvent(request=submitted, actor_label="system", kind="note", note=str(n), visible_to_requester=True)
        for n in range(40)
    )
    assert count_queries() == few
