"""Rate limits per IP and per email, counted in the database; the IP is kept only as a keyed hash."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from takedowns.abuse import client_ip, hash_ip
from takedowns.models import TakedownRequest
from tests.takedowns.factories import form_data

pytestmark = pytest.mark.django_db


def nth(article, n):
    return form_data(article, requester_email=f"person{n}@harbourgazette.example")


def test_the_sixth_request_in_an_hour_from_one_ip_gets_a_clear_429(submit, article):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(5):
            assert submit(nth(article, n)).status_code == 302
        response = submit(nth(article, 5))

    assert response.status_code == 429
    assert int(response["Retry-After"]) == 3601
    page = response.content.decode()
    assert "limit of 5 submissions an hour" in page
    assert (start + dt.timedelta(hours=1)).strftime("%H:%M") in page
    assert TakedownRequest.objects.count() == 5


def test_the_ip_limit_lifts_after_an_hour(submit, article):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(5):
            submit(nth(article, n))
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        assert submit(nth(article, 6)).status_code == 302


def test_another_ip_is_counted_separately(submit, article):
    for n in range(5):
        submit(nth(article, n))
    assert submit(nth(article, 6), REMOTE_ADDR="198.51.100.7").status_code == 302


def test_one_email_address_is_limited_whatever_the_ip(submit, article, settings):
    settings.TAKEDOWNS_RATE_PER_EMAIL_PER_HOUR = 2
    for n in range(2):
        assert submit(form_data(article), REMOTE_ADDR=f"198.51.100.{n}").status_code == 302
    response = submit(form_data(article, requester_email="RITA@harbourgazette.example"), REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429


def test_the_ip_is_stored_only_as_a_keyed_hash(submit, article, settings):
    submit(form_data(article), REMOTE_ADDR="203.0.113.5")

    stored = TakedownRequest.objects.get().ip_hash
    assert stored == hash_ip("203.0.113.5") and "203.0.113.5" not in stored and len(stored) == 64
    settings.TAKEDOWNS_IP_HASH_KEY = "another-key"
    assert hash_ip("203.0.113.5") != stored


def test_behind_a_trusted_proxy_the_forwarded_address_counts(rf, settings):
    settings.TAKEDOWNS_TRUSTED_PROXIES = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "203.0.113.5"
    settings.TAKEDOWNS_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"


def test_messages_on_the_status_page_are_limited_too(client, settings):
    from tests.takedowns.factories import TakedownRequestFactory

    settings.TAKEDOWNS_MESSAGES_PER_HOUR = 2
    takedown = TakedownRequestFactory(submitted=True)
    for n in range(2):
        assert client.post(f"/requests/{takedown.token}/messages/", {"body": f"note {n}"}).status_code == 302
    assert client.post(f"/requests/{takedown.token}/messages/", {"body": "again"}).status_code == 429
