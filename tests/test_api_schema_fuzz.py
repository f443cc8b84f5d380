"""The OpenAPI schema tells the truth: schemathesis calls every operation of /api/schema/ in-process.

Every operation is fuzzed twice, anonymously and as an Editors+Legal staff user
logged in by session (cookie plus CSRF header, as the browser does), with
schema-valid and schema-invalid input. Each response must be no server error,
carry a documented status code and content type, and match its documented
schema. The targeted tests below call one operation with what generated data
would rarely hit (an Arabic slug, a request nobody is assigned to, an event
without an actor, a PUT to an address that is no slug) and hold the schema to
what those really return.
"""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from attribution.lib.permissions import EDITORIAL_GROUPS
from attribution.models import Article, LinkCheck
from takedowns.models import RequestEvent
from takedowns.workflow.groups import ensure_editorial_groups
from tests.attribution.factories import ArticleFactory, CitationFactory
from tests.takedowns.factories import TakedownRequestFactory

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ARABIC_SLUG = "مجلس-المدينة-يقر-الميزانية"
CSRF_TOKEN = "schemathesisfuzzcsrftoken0123456"  # 32 characters: a CSRF secret Django accepts as the cookie


@pytest.fixture(autouse=True)
def _one_connection_for_the_whole_test():
    """Keep the test's database connection open across the app's requests, as Django's test client does.

    The WSGI handler closes the connection after each request when it is not in autocommit, which
    inside a test's transaction it never is: on PostgreSQL every call after the first would fail.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_rows(db):
    """A little of everything the API serves: published, unpublished, removed and Arabic-slug articles,
    sources with check history, a request nobody is assigned to and its actor-less events."""
    published = ArticleFactory(slug=ARABIC_SLUG, headline="مجلس المدينة يقر الميزانية")
    CitationFactory(article=published, position=1)
    CitationFactory(article=ArticleFactory(unpublished=True), position=1)
    ArticleFactory(removed=True, slug="withdrawn-story")
    source = published.citations.get().source_url
    LinkCheck.objects.create(source_url=source, checked_at=timezone.now(), status="ok", http_status=200, elapsed_ms=12)
    takedown = TakedownRequestFactory(articles=[published])
    RequestEvent.objects.create(request=takedown, kind="note", actor_label="system", note="Automatic reminder.")
    return {"article": published, "source": source, "request": takedown}


@pytest.fixture
def staff_session(db, django_user_model):
    """Cookies and headers of a staff user in Editors and Legal, logged in by session as in a browser.

    The user also holds the article and source write permissions, so the write paths are fuzzed too
    (without them every write is a 403, which the anonymous run already covers).
    """
    ensure_editorial_groups()
    user = django_user_model.objects.create_user("fuzz-staff", "fuzz@newsroom.example", None, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=EDITORIAL_GROUPS))
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="attribution", codename__in=["add_article", "change_article", "change_sourceurl"]
        )
    )
    client = Client()
    client.force_login(user)
    cookies = {
        django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value,
        "csrftoken": CSRF_TOKEN,
    }
    return {"cookies": cookies, "headers": {"X-CSRFToken": CSRF_TOKEN}}


@pytest.fixture(params=["anonymous", "staff"])
def caller(request, api_rows, settings):
    """Who calls: nobody, or the staff user. One client making hundreds of calls would otherwise be rate
    limited after five new requests, and every later POST /api/requests/ would be the (documented) 429,
    hiding how the endpoint treats its input; the limits have tests of their own (tests/takedowns/test_throttle.py).
    """
    settings.TAKEDOWNS_RATE_PER_IP_PER_HOUR = settings.TAKEDOWNS_RATE_PER_EMAIL_PER_HOUR = 1_000_000
    if request.param == "anonymous":
        return {"cookies": {}, "headers": {}}
    return request.getfixturevalue("staff_session")


# Loaded at collection from the app itself (no server, no database): one test per operation and caller.
# (schemathesis.pytest.from_fixture would load it lazily, but 4.32.5's lazy runner needs a pytest
# internal, Item._nodeid, that pytest 9 no longer has.)
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@schema.parametrize()
@hypothesis_settings(
    # The boundary cases schemathesis derives from the schema, plus 15 generated examples per operation
    # and caller: about 30 s of CPU for the whole API (README "The schema tells the truth").
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_documented_promises(case, caller):
    case.call_and_validate(cookies=caller["cookies"], headers=caller["headers"], checks=CHECKS)


def call(method, path, who=None, **parameters):
    """Call one documented operation with these parameters and hold the answer to the schema; returns the response."""
    case = schema[path][method].Case(**parameters)
    who = who or {"cookies": {}, "headers": {}}
    return case.call_and_validate(cookies=who["cookies"], headers=who["headers"], checks=CHECKS)


def test_an_arabic_slug_is_served_as_the_schema_says(api_rows):
    response = call("GET", "/api/articles/{slug}/", path_parameters={"slug": ARABIC_SLUG})

    assert response.status_code == 200
    assert response.json()["slug"] == ARABIC_SLUG


def test_a_request_nobody_is_assigned_to_has_a_null_assignee(api_rows, staff_session):
    takedown = api_rows["request"]
    response = call("GET", "/api/requests/{id}/", staff_session, path_parameters={"id": takedown.pk})

    assert response.status_code == 200
    assert response.json()["assignee"] is None


def test_a_system_event_has_a_null_actor(api_rows, staff_session):
    takedown = api_rows["request"]
    response = call("GET", "/api/requests/{id}/events/", staff_session, path_parameters={"id": takedown.pk})

    assert response.status_code == 200
    assert [event["actor"] for event in response.json()["results"]] == [None]


def test_an_address_no_api_route_matches_answers_json_404(api_rows):
    response = call("GET", "/api/sources/{id}/", path_parameters={"id": "1.5"})

    assert response.status_code == 404
    assert response.headers["content-type"] == ["application/json"]


def test_a_put_to_an_address_that_is_no_slug_creates_nothing(api_rows, staff_session):
    article = {"headline": "Bridge reopens", "published_on": "2026-03-14", "body": "The bridge reopened."}
    response = call(
        "PUT",
        "/api/articles/{slug}/",
        staff_session,
        path_parameters={"slug": "%237e22ce"},  # "#7e22ce", encoded as a client sends it
        body=article,
        media_type="application/json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["slug"]
    assert not Article.objects.filter(headline="Bridge reopens").exists()


def test_every_operation_documents_the_errors_it_can_give():
    for path, operations in schema.raw_schema["paths"].items():
        for method, operation in operations.items():
            expected = {"400", "401", "403", "406"}
            if "{" in path:
                expected.add("404")
            if "requestBody" in operation:
                expected |= {"413", "415"}
            assert expected <= set(operation["responses"]), f"{method.upper()} {path}"
            for code, response in operation["responses"].items():
                if code.startswith("4"):
                    assert "application/json" in response["content"], f"{method.upper()} {path} {code}"


def test_the_staff_caller_is_signed_in_and_the_anonymous_one_is_not(api_rows, staff_session):
    # Guards the fuzz run itself: a session that silently stopped working would fuzz anonymously twice.
    assert call("GET", "/api/requests/", staff_session).json()["count"] == 1
    assert call("GET", "/api/requests/").status_code == 401
