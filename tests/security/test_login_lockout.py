"""Brute force on the admin login: after AXES_FAILURE_LIMIT wrong passwords, even the right one is refused."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "pw-lena-legal-1"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


@pytest.fixture
def lena(django_user_model):
    return django_user_model.objects.create_user("lena-legal", "lena@newsroom.example", PASSWORD, is_staff=True)


def log_in(client, password, username="lena-legal", address="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail_until_locked(client):
    for _attempt in range(3):
        log_in(client, "guess")


def test_wrong_passwords_below_the_limit_only_get_the_login_form_again(client, lena):
    for _attempt in range(2):
        response = log_in(client, "guess")
        assert response.status_code == 200
        assert b"Please enter the correct username and password" in response.content
    assert log_in(client, PASSWORD).status_code == 302


def test_after_the_limit_even_the_right_password_is_refused(client, lena):
    fail_until_locked(client)

    response = log_in(client, PASSWORD)

    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert b"Citewatch" in response.content and b"Django administration" not in response.content
    assert b"blocked after 3 wrong passwords" in response.content
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_the_lock_holds_for_that_address_only(client, lena):
    fail_until_locked(client)

    assert log_in(client, PASSWORD, address="198.51.100.20").status_code == 302


def test_the_reset_command_lifts_the_lock(client, lena):
    fail_until_locked(client)

    call_command("axes_reset_username", "lena-legal")

    assert log_in(client, PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_test_client_logins_without_a_request_still_work(client, lena):
    assert client.login(username="lena-legal", password=PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_an_overlong_user_name_is_counted_not_crashed_on(rf, lena):
    # What API Basic auth hands authenticate(): anything the header holds.
    request = rf.get("/api/articles/", REMOTE_ADDR="203.0.113.7")

    assert authenticate(request=request, username="x" * 1000, password="guess") is None

    attempt = AccessAttempt.objects.get()
    assert attempt.username == "x" * 255
    assert attempt.failures_since_start == 1


def test_the_lock_ends_after_the_cool_off(client, lena, settings):
    settings.AXES_COOLOFF_TIME = 1.0  # hours
    fail_until_locked(client)
    assert log_in(client, PASSWORD).status_code == 429

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert log_in(client, PASSWORD).status_code == 302
