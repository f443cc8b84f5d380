"""API tokens for scripts: made once, stored hashed, refused clearly when expired, revoked or malformed."""

import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attribution.lib.permissions import EDITORS_GROUP
from attribution.models import ApiToken, Article
from attribution.tokens.services import issue_api_token, revoke_api_token
from takedowns.workflow.groups import ensure_editorial_groups
from tests.attribution.factories import ArticleFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
NEW_ARTICLE = {"headline": "Bridge reopens", "published_on": "2026-06-01", "body": "Cars cross again.", "sources": []}


@pytest.fixture
def eddie(django_user_model):
    """Eddie, staff in the Editors group, whose import script uses a token."""
    ensure_editorial_groups()
    user = django_user_model.objects.create_user("eddie-editor", "eddie@newsroom.example", "pw-eddie-1", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def script():
    """A script's HTTP client: no session, and CSRF enforced as for any browser-less caller."""
    return Client(enforce_csrf_checks=True)


def bearer(token: str, keyword: str = "Bearer") -> dict:
    return {"HTTP_AUTHORIZATION": f"{keyword} {token}"}


def make_token(owner, days=30, name="nightly import"):
    return issue_api_token(owner=owner, name=name, days=days, actor=None)


def test_the_command_prints_the_token_once_and_stores_only_its_digest(eddie, script):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "eddie-editor", "--name", "CMS import", "--days", "7", stdout=out, stderr=err)

    token = out.getvalue().strip()
    record = ApiToken.objects.get()
    assert token.startswith("cw_") and len(token) == 46
    assert record.digest == hashlib.sha256(token.encode()).hexdigest()
    assert record.prefix == token[3:11] and record.shown_prefix in err.getvalue()
    assert "not shown again" in err.getvalue()
    assert not any(token in str(getattr(record, f.attname)) for f in ApiToken._meta.concrete_fields)
    assert record.owner == eddie and record.name == "CMS import" and record.created_by is None
    assert dt.timedelta(days=6, hours=23) < record.expires_at - timezone.now() <= dt.timedelta(days=7)
    assert script.get("/api/requests/", **bearer(token)).status_code == 200  # acts as Eddie, with his permissions


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nobody", "--name", "x"], "No user named 'nobody'"),
        (["eddie-editor", "--name", "x", "--days", "0"], "--days"),
        (["eddie-editor", "--name", "x", "--days", "4000"], "--days"),
        (["eddie-editor", "--name", "   "], "--name"),
    ],
)
def test_the_command_refuses_bad_arguments_and_saves_nothing(eddie, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", *arguments, stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_a_script_writes_with_a_token_and_no_csrf_token(eddie, script, keyword):
    _record, token = make_token(eddie)
    response = script.post("/api/articles/", NEW_ARTICLE, content_type="application/json", **bearer(token, keyword))
    assert response.status_code == 201, response.content
    assert Article.objects.get().slug == "bridge-reopens"


def test_a_token_carries_its_owners_permissions_and_no_more(django_user_model, script):
    sam = django_user_model.objects.create_user("sam-staff", is_staff=True)
    _record, token = make_token(sam)
    ArticleFactory(slug="draft", unpublished=True)
    assert script.get("/api/articles/draft/", **bearer(token)).status_code == 200  # staff reads
    refused = script.post("/api/articles/", NEW_ARTICLE, content_type="application/json", **bearer(token))
    assert refused.status_code == 403 and "attribution.add_article" in refused.json()["detail"]


def test_an_expired_token_is_refused_saying_so(eddie, script):
    _record, token = make_token(eddie, days=1)
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, seconds=1)):
        response = script.get("/api/articles/", **bearer(token))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused_at_once_saying_so(eddie, script):
    record, token = make_token(eddie)
    assert script.get("/api/articles/", **bearer(token)).status_code == 200
    assert revoke_api_token(record, actor=eddie) is True
    assert revoke_api_token(record, actor=None) is False  # the first revocation stays on the record
    response = script.get("/api/articles/", **bearer(token))
    assert response.status_code == 401 and "revoked" in response.json()["detail"]
    assert ApiToken.objects.get().revoked_by == eddie


def test_the_token_of_a_deactivated_user_is_refused(eddie, script):
    _record, token = make_token(eddie)
    eddie.is_active = False
    eddie.save()
    response = script.get("/api/articles/", **bearer(token))
    assert response.status_code == 401 and "no longer an active user" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Token   ",
        "Bearer cw_abc",
        "Bearer cw_" + "A" * 43 + " extra",
        "Bearer " + "x" * 10_000,
        "Bearer cw_" + "A" * 42 + "\x00",
        "Bearer cw_\x7f" + "A" * 42,
        "Bearer\tcw_" + "A" * 43,
        "Bearer cw_" + "é" * 43,
        "Digest username=eddie",
        "cw_" + "A" * 43,
        "Basic ZWRkaWUtZWRpdG9yOnB3LWVkZGllLTE=",
    ],
    ids=repr,
)
def test_a_malformed_or_unknown_header_is_a_401_with_what_to_send(eddie, script, header):
    response = script.get("/api/articles/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401, response.content[:300]
    assert response.json()["detail"]


def test_an_unknown_token_is_refused(script):
    response = script.get("/api/articles/", **bearer("cw_" + "A" * 43))
    assert response.status_code == 401 and response.json()["detail"] == "Unknown API token."


def test_basic_auth_is_off_by_default_and_says_what_to_send_instead(eddie, script):
    response = script.get("/api/articles/", HTTP_AUTHORIZATION="Basic ZWRkaWUtZWRpdG9yOnB3LWVkZGllLTE=")
    assert response.status_code == 401
    assert "Basic" in response.json()["detail"] and "Bearer" in response.json()["detail"]


def test_basic_auth_works_when_the_setting_turns_it_on(eddie, script, settings, monkeypatch):
    from rest_framework.authentication import BasicAuthentication, SessionAuthentication

    from attribution.api import ArticleViewSet
    from attribution.tokens.authentication import ApiTokenAuthentication

    # What config/settings.py builds from API_BASIC_AUTH=true (the next test checks that); DRF copies the
    # list onto each view class when it is imported, so the view gets it here.
    settings.API_BASIC_AUTH = True
    monkeypatch.setattr(
        ArticleViewSet, "authentication_classes", [ApiTokenAuthentication, SessionAuthentication, BasicAuthentication]
    )
    ArticleFactory(slug="draft", unpublished=True)
    response = script.get("/api/articles/draft/", HTTP_AUTHORIZATION="Basic ZWRkaWUtZWRpdG9yOnB3LWVkZGllLTE=")
    assert response.status_code == 200  # eddie-editor:pw-eddie-1, a staff reader


@pytest.mark.parametrize(("value", "has_basic"), [("true", True), (None, False)])
def test_the_api_basic_auth_variable_adds_basic_authentication(value, has_basic):
    env = {k: v for k, v in os.environ.items() if k != "API_BASIC_AUTH"}
    if value is not None:
        env["API_BASIC_AUTH"] = value
    code = "from django.conf import settings; print(settings.REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES'])"
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    shown = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert ("BasicAuthentication" in shown.stdout) is has_basic
    assert "ApiTokenAuthentication" in shown.stdout


def test_last_use_is_recorded_at_most_once_a_minute(eddie, script):
    record, token = make_token(eddie)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        script.get("/api/articles/", **bearer(token))
        with CaptureQueriesContext(connection) as again:
            script.get("/api/articles/", **bearer(token))
    record.refresh_from_db()
    assert record.last_used_at == start
    assert not [q for q in again.captured_queries if q["sql"].startswith("UPDATE")]
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        script.get("/api/articles/", **bearer(token))
    record.refresh_from_db()
    assert record.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        script.get("/api/articles/", **bearer(token))
    record.refresh_from_db()
    assert record.last_used_at == start + dt.timedelta(seconds=61)


# --- The admin ------------------------------------------------------------------------------------


def test_the_admin_makes_a_token_and_shows_it_only_on_the_answer(client, eddie, script):
    client.force_login(eddie)
    assert client.get(reverse("admin:attribution_apitoken_add")).status_code == 200
    response = client.post(
        reverse("admin:attribution_apitoken_add"), {"owner": eddie.pk, "name": "newsletter script", "days": "30"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    record = ApiToken.objects.get()
    token = response.context["token"]
    assert token in response.content.decode() and record.digest == hashlib.sha256(token.encode()).hexdigest()
    assert record.created_by == eddie and record.owner == eddie
    change_page = client.get(reverse("admin:attribution_apitoken_change", args=[record.pk])).content.decode()
    listing = client.get(reverse("admin:attribution_apitoken_changelist")).content.decode()
    assert token not in change_page and token not in listing and record.shown_prefix in listing
    assert script.get("/api/requests/", **bearer(token)).status_code == 200


def test_an_editor_makes_tokens_only_for_themselves_and_sees_only_their_own(client, eddie, django_user_model):
    other = django_user_model.objects.create_user("olga-other", is_staff=True)
    make_token(other, name="olga's script")
    client.force_login(eddie)
    response = client.post(
        reverse("admin:attribution_apitoken_add"), {"owner": other.pk, "name": "as olga", "days": "30"}
    )
    assert response.status_code == 200 and "owner" in response.context["adminform"].form.errors
    assert ApiToken.objects.count() == 1
    assert "olga" not in client.get(reverse("admin:attribution_apitoken_changelist")).content.decode()


def test_the_admin_refuses_a_token_for_too_long(client, eddie):
    client.force_login(eddie)
    response = client.post(reverse("admin:attribution_apitoken_add"), {"owner": eddie.pk, "name": "x", "days": "999"})
    assert "days" in response.context["adminform"].form.errors
    assert not ApiToken.objects.exists()


def test_staff_without_token_permissions_cannot_make_tokens_in_the_admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("sam-staff", is_staff=True))
    assert client.get(reverse("admin:attribution_apitoken_add")).status_code == 403


def test_revoking_in_the_admin_refuses_the_token_from_then_on(client, eddie, script):
    record, token = make_token(eddie)
    client.force_login(eddie)
    response = client.post(
        reverse("admin:attribution_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [record.pk]},
        follow=True,
    )
    assert "1 token revoked." in response.content.decode()
    record.refresh_from_db()
    assert record.revoked_at and record.revoked_by == eddie
    assert script.get("/api/articles/", **bearer(token)).status_code == 401
