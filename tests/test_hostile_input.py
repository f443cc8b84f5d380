"""No input is a server error: every URL pattern, fed each class of hostile input, answers a 4xx that says why.

The classes: NUL and other control characters in a path segment, a query
parameter, Basic credentials, the session cookie, a form field or a JSON
field; a lone surrogate in JSON; JSON nested a thousand deep; a body over the
limit; wrong or broken content types. PostgreSQL is where NUL used to fail
(psycopg refuses it: a 500), so run this file there as well as on SQLite.

URLs are read from the resolver, not listed by hand, so a route added later is
fed the same inputs. Every record a ``<pk>`` can name is created with the same
pk, so each route reaches a real object.
"""

import base64
import json
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve

from takedowns.models import Attachment, Message, TakedownRequest
from tests.attribution.factories import ArticleFactory, CitationFactory, SourceURLFactory
from tests.takedowns.factories import TakedownRequestFactory, form_data

pytestmark = pytest.mark.django_db

# Far above any id a sequence hands out during the suite (a fixed id the sequence reaches later collides).
FIXED_PK = 900_000_042
PASSWORD = "pw-sam-super-1"
# A stack trace anywhere, or an exception's class name in an error body, means an error escaped to the
# client. (The API schema names a "ValidationError" component: a 200 may say the word.)
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/")
LEAK = re.compile(r"Traceback|\b[A-Z]\w*(?:Error|Exception)\b")
# Never typed by a person; each must be refused wherever it appears in an address or a credential.
CONTROL = ["\x00", "a\x00b", "\x01", "\x08", "\x0b", "\x1b[2J", "\x1f", "\x7f", "\r\n", "\t"]
# In query values and multi-line text, tab and line breaks are allowed; these others are not.
CONTROL_NOT_WHITESPACE = ["\x00", "x\x00", "\x01", "\x0c", "\x1b[31m", "\x7f"]
QUERY_NAMES = [
    "q",
    "page",
    "article",
    "search",
    "ordering",
    "format",
    "lang",
    "version",
    "next",
    "status",
    "host",
    "publisher",
    "quality",
    "published_after",
    "published_before",
    "failure_kind",
    "request_type",
    "outcome",
    "domain_match",
    "relationship",
    "script",
    "made-up",
]


def _routes(patterns=None, prefix=""):
    """Every URL pattern's full route text, outside the admin (tested on its own below)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern) != "admin/":
                yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)


ROUTES = sorted(set(_routes()))
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def concrete(route: str, samples: dict) -> str:
    """A real address for a route: each ``<converter:name>`` or ``(?P<name>…)`` filled with its sample."""
    url = _REGEX_GROUP.sub(lambda m: samples[m.group(1)], route)
    url = _CONVERTER.sub(lambda m: ".json" if m.group(1) == "drf_format_suffix" else samples[m.group(2)], url)
    return "/" + url.replace("^", "").replace("$", "").replace("/?", "/").replace("\\.", ".")


@dataclass
class Site:
    samples: dict
    article: object
    takedown: TakedownRequest
    superuser: object

    def url(self, route: str) -> str:
        return concrete(route, self.samples)


@pytest.fixture
def site(django_user_model, settings):
    """A published article with sources, a confirmed request about it and a file, all at pk FIXED_PK; a superuser."""
    # A fast hasher: a hundred tests each make a user, and what is measured here is not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    article = ArticleFactory(slug="harbour-cranes", headline="Harbour cranes return")
    CitationFactory(article=article, position=1, source_url=SourceURLFactory(id=FIXED_PK))
    CitationFactory(article=article, position=2)
    takedown = TakedownRequestFactory(id=FIXED_PK, articles=[article], submitted=True)
    Attachment.objects.create(
        id=FIXED_PK,
        request=takedown,
        file=f"takedowns/{FIXED_PK}/missing.txt",
        original_name="evidence.txt",
        content_type="text/plain",
        size=1,
        sha256="0" * 64,
        uploaded_by="requester",
    )
    superuser = django_user_model.objects.create_superuser("sam-super", "sam@newsroom.example", PASSWORD)
    samples = {"slug": article.slug, "pk": str(FIXED_PK), "token": takedown.token, "format": "json"}
    return Site(samples=samples, article=article, takedown=takedown, superuser=superuser)


@pytest.fixture
def anon():
    """A client that returns a 500 as a response instead of raising, so every failure is counted."""
    return Client(raise_request_exception=False)


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture
def staff(site):
    """The superuser, signed in (Basic auth may be off: the API's scripts use tokens)."""
    client = Client(raise_request_exception=False)
    client.force_login(site.superuser)
    return client


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def problem(response, label: str) -> str | None:
    """Why this response is a failure (a 5xx, or a leaked exception), or None."""
    body = body_of(response)
    if response.status_code >= 500:
        return f"{label}: {response.status_code} {body[:200]!r}"
    leak = (LEAK if response.status_code >= 400 else TRACEBACK).search(body)
    if leak:
        return f"{label}: {response.status_code} leaks {leak.group(0)!r}"
    return None


def refusal(response, label: str, statuses=(400,), words="control character") -> str | None:
    """Why this is not the expected refusal: one of ``statuses``, JSON under /api/, saying ``words``."""
    failure = problem(response, label)
    if failure:
        return failure
    if response.status_code not in statuses:
        return f"{label}: expected {statuses}, got {response.status_code}"
    body = body_of(response)
    if words not in body:
        return f"{label}: {response.status_code} does not say {words!r}: {body[:200]!r}"
    return None


def percent(text: str) -> str:
    return "".join(f"%{ord(c):02X}" if ord(c) < 0x20 or c == "\x7f" else c for c in text)


# --- The route list itself -----------------------------------------------------------------


def test_every_route_gets_a_real_address_and_none_fails_on_plain_input(site, anon, staff):
    assert len(ROUTES) >= 30 and "articles/<str:slug>/" in ROUTES and "api/^requests/$" in ROUTES
    failures = []
    for route in ROUTES:
        url = site.url(route)
        assert resolve(url), url  # the address built is the route's own
        for client in (anon, staff):
            failures.append(problem(client.get(url), f"GET {url}"))
    assert [f for f in failures if f] == []


# --- Paths, query strings, credentials, cookies: refused by the middleware -------------------


def path_variants(url: str):
    """The address with a control character added to each of its segments in turn."""
    segments = url.strip("/").split("/")
    for index in range(len(segments)):
        for char in CONTROL if index == len(segments) - 1 else ["\x00"]:
            changed = [*segments]
            changed[index] = percent(changed[index] + char)
            yield "/" + "/".join(changed) + "/"


@pytest.mark.parametrize("route", ROUTES)
def test_a_control_character_in_any_path_segment_is_a_400(site, anon, route):
    failures = []
    for variant in path_variants(site.url(route)):
        for method in ("get", "post"):
            response = getattr(anon, method)(variant)
            failures.append(refusal(response, f"{method.upper()} {variant}"))
    assert [f for f in failures if f] == []


@pytest.mark.parametrize("route", ROUTES)
def test_a_control_character_in_any_query_parameter_is_a_400(site, anon, staff, route):
    url = site.url(route)
    failures = []
    for value in CONTROL_NOT_WHITESPACE:
        for client, method in ((anon, "get"), (staff, "get"), (anon, "post")):
            query = "&".join(f"{name}={percent(value)}" for name in QUERY_NAMES)
            response = getattr(client, method)(f"{url}?{query}")
            failures.append(refusal(response, f"{method.upper()} {url}?…={value!r}"))
        name_only = anon.get(f"{url}?{percent('bad' + value + 'name')}=1")
        failures.append(refusal(name_only, f"GET {url}?<name {value!r}>"))
    for value in ("\t", "\r\n", "line one\nline two"):  # allowed, and harmless
        query = "&".join(f"{name}={percent(value)}" for name in QUERY_NAMES)
        failures.append(problem(anon.get(f"{url}?{query}"), f"GET {url}?…={value!r}"))
    assert [f for f in failures if f] == []


@pytest.mark.parametrize("route", ROUTES)
def test_broken_utf8_huge_values_and_too_many_query_fields_are_not_server_errors(site, anon, staff, route):
    url = site.url(route)
    failures = []
    odd = ["%FF%FE", "%ED%A0%80", "%C0%80", "%", "%zz", "x" * 10_000, "%F0%9F%98%80" * 500]
    for value in odd:
        for client in (anon, staff):
            failures.append(problem(client.get(f"{url}?{'&'.join(f'{n}={value}' for n in QUERY_NAMES)}"), url))
            failures.append(problem(client.get(url.rstrip("/") + value + "/"), f"{url} + {value[:20]}"))
    too_many = anon.get(url + "?" + "&".join(f"f{n}=1" for n in range(1200)))
    failures.append(refusal(too_many, f"{url} 1200 fields", words="fields"))
    assert [f for f in failures if f] == []


HOSTILE_CREDENTIALS = [
    basic("\x00", "x"),
    basic("sam-super\x00", PASSWORD),
    basic("sam-super", PASSWORD + "\x00"),
    basic("\x01admin", "x"),
    basic("admin\r\nX-Injected: 1", "x"),
    basic("\x7f", "\x1b"),
    "Basic \x00",
    "Basic " + base64.b64encode(b"\x00\xff\xfe:\x00").decode(),
    "Bearer \x00token",
    "Token abc\x00def",
]


@pytest.mark.parametrize("route", ROUTES)
def test_control_characters_in_credentials_are_refused_with_401(site, anon, route):
    url = site.url(route)
    failures = []
    for header in HOSTILE_CREDENTIALS:
        for method in ("get", "post", "options"):
            response = getattr(anon, method)(url, HTTP_AUTHORIZATION=header)
            failures.append(refusal(response, f"{method.upper()} {url} {header!r}", statuses=(400, 401)))
            if url.startswith("/api/") and response.status_code == 401:
                if not response.has_header("WWW-Authenticate") or "detail" not in response.json():
                    failures.append(f"{url}: a 401 without WWW-Authenticate or a JSON detail")
    assert [f for f in failures if f] == []


def test_the_public_request_api_refuses_a_nul_user_name_and_files_nothing(site, anon):
    response = anon.post(
        "/api/requests/",
        {"articles": ["harbour-cranes"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=basic("\x00", "x"),
    )
    assert response.status_code == 401 and "control character" in response.json()["detail"]
    assert TakedownRequest.objects.count() == 1


def test_well_formed_but_wrong_credentials_are_still_a_plain_401(site, anon):
    wrong = anon.get("/api/requests/", HTTP_AUTHORIZATION=basic("sam-super", "wrong"))
    assert wrong.status_code == 401 and problem(wrong, "wrong password") is None
    garbled = anon.get("/api/requests/", HTTP_AUTHORIZATION="Basic %%%not-base64")
    assert garbled.status_code == 401 and problem(garbled, "garbled") is None


@pytest.mark.parametrize("value", ["abcdefgh\x00ijklmnop", "\x01" * 32, "a" * 31 + "\x7f"])
def test_a_session_cookie_with_control_characters_is_a_400_not_a_lookup(site, anon, value):
    failures = []
    for route in ROUTES:
        url = site.url(route)
        anon.cookies["sessionid"] = value
        failures.append(refusal(anon.get(url), f"GET {url} sessionid={value!r}", words="session cookie"))
    anon.cookies["sessionid"] = value
    failures.append(refusal(anon.get("/admin/"), "GET /admin/", words="session cookie"))
    assert [f for f in failures if f] == []


@pytest.mark.parametrize("host", ["bad\x00host", "evil.example", "[::1", "a" * 300])
def test_an_unknown_or_malformed_host_header_is_a_400_in_words(site, anon, host):
    for url in ["/", "/api/articles/", "/requests/new/"]:
        response = anon.get(url, HTTP_HOST=host)
        assert refusal(response, f"{url} Host {host!r}", words="host name") is None


@pytest.mark.parametrize("forwarded", ["garbage", "1.2.3.4\x00", "999.1.1.1", "::ffff:zz", "6.6.6.6, <b>"])
def test_a_forwarded_address_that_is_not_one_falls_back_to_the_socket_peer(site, anon, settings, forwarded):
    # The login lockout stores the client address in an address column, which refused these: a 500.
    settings.TAKEDOWNS_TRUSTED_PROXIES = 1
    login = anon.post("/admin/login/", {"username": "sam-super", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forwarded)
    assert problem(login, "admin login") is None and login.status_code == 200
    filed = anon.post("/requests/new/", form_data(site.article), HTTP_X_FORWARDED_FOR=forwarded)
    assert problem(filed, "request form") is None and filed.status_code == 302


@pytest.mark.parametrize(
    "url",
    ["/requests/new/?article=a%00b", "/?q=%00", "/articles/harbour%00cranes/", "/api/articles/?search=%00"],
)
def test_the_reported_cases_are_400s_that_say_what_to_fix(site, anon, url):
    for method in ("get", "post"):
        response = getattr(anon, method)(url)
        assert refusal(response, url) is None
    page = anon.get(url)
    if url.startswith("/api/"):
        assert page["Content-Type"] == "application/json" and "control character" in page.json()["detail"]
    else:
        html = body_of(page)
        assert page["Content-Type"].startswith("text/html") and "<h1>Bad request</h1>" in html
        assert "Citewatch" in html  # the site's own template


# --- Form fields ------------------------------------------------------------------------------

FORM_FIELDS = [
    "articles",
    "original_work_url",
    "original_work_description",
    "organisation",
    "acting_for",
    "requester_name",
    "requester_email",
    "requester_country",
    "requester_phone",
    "requester_postal_address",
    "passage",
    "proposed_text",
    "details",
    "signature",
    "request_type",
    "relationship",
    "remedy",
    "citations",
]
ONE_LINE_FIELDS = {"organisation", "acting_for", "requester_name", "requester_country", "signature"}


@pytest.mark.parametrize("field", FORM_FIELDS)
def test_a_control_character_in_any_request_form_field_is_a_form_error_and_nothing_is_saved(site, anon, field):
    # Inside the text: the form strips leading and trailing whitespace, which includes some controls.
    values = [f"Rita{char}Rights" for char in CONTROL_NOT_WHITESPACE] + ["\x00"]
    if field in ONE_LINE_FIELDS:
        values += ["Rita\r\nBcc: x@example.org", "Rita\tRights"]
    failures = []
    for value in values:
        data = form_data(site.article, **{field: value})
        if field in ("passage", "proposed_text"):
            data["remedy"] = "change_passage"
        response = anon.post("/requests/new/", data)
        failures.append(refusal(response, f"{field}={value!r}", words="errorlist"))
        shown = anon.post("/requests/new/", {**data, "show_sources": "1"})
        failures.append(problem(shown, f"show sources, {field}={value!r}"))
    assert [f for f in failures if f] == []
    assert TakedownRequest.objects.count() == 1


def test_a_hostile_article_reference_is_an_unknown_article_not_a_server_error(site, anon):
    for reference in ["https://[broken/articles/x", "harbour\x00cranes", "//\x00", "https://site/articles/\x01/"]:
        response = anon.post("/requests/new/", form_data(site.article, articles=reference))
        assert refusal(response, reference, words="errorlist") is None
        api = anon.post(
            "/api/requests/",
            {"articles": [reference], "cited_sources": [{"article": reference, "position": 1}]},
            content_type="application/json",
        )
        assert refusal(api, reference, words="") is None
    assert TakedownRequest.objects.count() == 1


def test_the_status_page_forms_refuse_control_characters(site, anon):
    status_url = site.takedown.get_absolute_url()
    for value in CONTROL_NOT_WHITESPACE:
        message = anon.post(status_url + "messages/", {"body": f"Hello {value} there"})
        assert refusal(message, f"message {value!r}", words="errorlist") is None
        withdraw = anon.post(status_url + "withdraw/", {"reason": f"Because{value}why", "confirm": "on"})
        assert refusal(withdraw, f"withdraw {value!r}", words="errorlist") is None
    assert not Message.objects.exists()
    site.takedown.refresh_from_db()
    assert site.takedown.status == TakedownRequest.Status.SUBMITTED


def test_the_admin_login_and_staff_reply_refuse_nul(site, anon):
    login = anon.post("/admin/login/", {"username": "sam\x00", "password": "x"})
    assert problem(login, "admin login") is None and login.status_code == 200
    assert "errorlist" in body_of(login)
    anon.force_login(site.superuser)
    reply = anon.post(f"/admin/takedowns/takedownrequest/{FIXED_PK}/reply/", {"body": "Hello \x00"})
    assert problem(reply, "staff reply") is None
    assert not Message.objects.exists()
    anon.post(f"/admin/takedowns/takedownrequest/{FIXED_PK}/reply/", {"body": "Hello\tthere"})
    assert Message.objects.get().body == "Hello\tthere"  # the same address takes a clean reply
    search = anon.get("/admin/takedowns/takedownrequest/?q=%00")
    assert refusal(search, "admin search") is None


# --- JSON bodies -----------------------------------------------------------------------------

JSON_VALUES = [
    "\x00",
    "harbour\x00cranes",
    "\ud800",
    "ok\udfff",
    "\x01\x02",
    "\x1b[31mred",
    {"nested": "object"},
    [["list"]],
    10**30,
    -1,
    1e308,
    None,
    True,
    "",
    "x" * 5000,
]


def _write_endpoints(site) -> list[tuple[str, str, dict]]:
    """(method, url, a valid body) for every endpoint that parses a body."""
    request = {
        "request_type": "attribution",
        "articles": ["harbour-cranes"],
        "original_work_url": "https://harbourgazette.example/cranes",
        "relationship": "rights_holder",
        "requester_name": "Rita Rights",
        "requester_email": "rita@harbourgazette.example",
        "requester_country": "Ireland",
        "remedy": "fix_attribution",
        "statement_good_faith": True,
        "statement_accuracy": True,
        "signature": "Rita Rights",
        "cited_sources": [{"article": "harbour-cranes", "position": 1}],
    }
    article = {"headline": "Cranes", "published_on": "2026-03-14", "body": "Text.", "sources": ["https://a.example/x"]}
    action = {"action": "take", "note": "On it.", "internal_note": "", "sources": ["https://a.example/x"]}
    return [
        ("post", "/api/requests/", request),
        ("post", "/api/articles/", {**article, "slug": "new-cranes"}),
        ("put", f"/api/articles/{site.article.slug}/", article),
        ("post", f"/api/requests/{FIXED_PK}/transitions/", action),
    ]


def _leaves(data, path=()):
    """Every (path, value) place in a JSON document, containers included."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, (*path, index))


def _replace(data, path, value):
    if not path:
        return value
    copy = json.loads(json.dumps(data))
    target = copy
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return copy


def test_every_json_field_of_every_write_endpoint_survives_every_hostile_value(site, staff):
    failures = []
    for method, url, valid in _write_endpoints(site):
        for path, _old in _leaves(valid):
            for value in JSON_VALUES:
                body = json.dumps(_replace(valid, path, value))
                response = getattr(staff, method)(url, body, content_type="application/json")
                label = f"{method.upper()} {url} {'/'.join(map(str, path))}={value!r:.40}"
                failures.append(problem(response, label))
                if isinstance(value, str) and re.search(r"[\x00-\x08\x1b\ud800-\udfff]", value):
                    failures.append(refusal(response, label, words=""))
    assert [f for f in failures if f] == []


def test_a_nul_or_lone_surrogate_in_json_is_a_400_naming_the_field(site, anon):
    for value in ["Rita\x00", "\ud83d"]:
        body = json.dumps({"requester_name": value, "articles": ["harbour-cranes"]})
        response = anon.post("/api/requests/", body, content_type="application/json")
        assert response.status_code == 400 and "requester_name" in response.json()["detail"]
        nested = json.dumps({"cited_sources": [{"article": value, "position": 1}]})
        response = anon.post("/api/requests/", nested, content_type="application/json")
        assert response.status_code == 400 and "cited_sources[0].article" in response.json()["detail"]


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deeply_nested_json_is_a_400_on_every_route(site, anon, staff, depth):
    body = "[" * depth + "]" * depth
    wrapped = '{"articles": ' + body + "}"
    failures = []
    for route in ROUTES:
        url = site.url(route)
        for client in (anon, staff):
            for method in ("post", "put"):
                response = getattr(client, method)(url, wrapped, content_type="application/json")
                failures.append(problem(response, f"{method.upper()} {url} depth {depth}"))
    for method, url, _valid in _write_endpoints(site):
        response = getattr(staff, method)(url, wrapped, content_type="application/json")
        failures.append(refusal(response, f"{url} depth {depth}", words="nested deeper"))
    assert [f for f in failures if f] == []


def test_json_as_deep_as_a_real_payload_is_still_accepted(site, anon):
    response = anon.post("/api/requests/", json.dumps(_write_endpoints(site)[0][2]), content_type="application/json")
    assert response.status_code == 201, response.content


def test_a_body_over_the_limit_is_a_413_on_every_write_endpoint(site, anon, staff, settings):
    failures = []
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    huge = json.dumps({"details": "x" * limit})
    calls = [(staff, method, url) for method, url, _valid in _write_endpoints(site)] + [
        (anon, "post", "/api/requests/")
    ]
    for client, method, url in calls:
        response = getattr(client, method)(url, huge, content_type="application/json")
        failures.append(refusal(response, f"JSON {url}", statuses=(413,), words=str(limit)))
        form = getattr(client, method)(url, "details=" + "x" * limit, content_type="application/x-www-form-urlencoded")
        failures.append(refusal(form, f"form {url}", statuses=(413,), words=str(limit)))
    assert [f for f in failures if f] == []
    assert TakedownRequest.objects.count() == 1


def test_the_request_form_keeps_its_own_upload_limit(site, anon):
    response = anon.post(
        "/requests/new/", "x", content_type="multipart/form-data; boundary=b", CONTENT_LENGTH="999999999"
    )
    assert refusal(response, "too large form", statuses=(413,), words="") is None


# --- Content types -----------------------------------------------------------------------------

WRONG_BODIES = [
    ("text/xml", "<request><articles>harbour-cranes</articles></request>"),
    ("text/plain", "articles=harbour-cranes"),
    ("application/xml", "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'a'>]><x>&a;</x>"),
    ("multipart/form-data", "no boundary at all"),
    ("multipart/form-data; boundary=XYZ", "--XYZ\r\nContent-Disposition: form-data; name\r\n\r\ngarbage"),
    ("multipart/form-data; boundary=", "--\r\n\r\n"),
    ("multipart/form-data; boundary=" + "b" * 300, "--x"),
    ("application/json", "{not json"),
    ("application/json", "\xff\xfe{}"),
    ("application/json", "NaN"),
    ("application/json", '{"a": 1' + "0" * 5000 + "}"),
    ("application/json; charset=bz2_codec", "{}"),
    ("application/json; charset=utf-16", "{}"),
    ("application/json; charset=nonsense", "{}"),
    ("application/x-www-form-urlencoded; charset=rot13", "articles=x"),
    ("application/x-www-form-urlencoded", "%%%=%ZZ&&=&articles=%FF%FE"),
    ("application/x-www-form-urlencoded", "&".join(f"f{n}=1" for n in range(1200))),
    ("application/octet-stream", "\x00\x01\x02"),
    ("", "articles=x"),
    ("application/json\x00", "{}"),
    ("}{;;;==", "{}"),
]


def test_wrong_and_broken_content_types_are_4xx_on_every_route(site, anon, staff):
    failures = []
    for route in ROUTES:
        url = site.url(route)
        for content_type, body in WRONG_BODIES:
            for client, method in ((anon, "post"), (staff, "post"), (staff, "put")):
                # generic() sends the bytes as they are, whatever charset the Content-Type names.
                response = client.generic(method.upper(), url, body.encode("latin-1"), content_type=content_type)
                failures.append(problem(response, f"{method.upper()} {url} as {content_type!r}"))
    assert [f for f in failures if f] == []


def test_a_wrong_content_type_on_a_write_endpoint_says_what_to_send(site, anon, staff):
    for method, url, _valid in _write_endpoints(site):
        response = getattr(staff, method)(url, "<x/>", content_type="text/xml")
        assert response.status_code == 415 and "text/xml" in response.json()["detail"]
    broken = anon.post("/requests/new/", "garbage", content_type="multipart/form-data; boundary=XYZ")
    assert broken.status_code == 400 and problem(broken, "broken multipart") is None
    no_boundary = anon.post("/requests/new/", "garbage", content_type="multipart/form-data")
    assert refusal(no_boundary, "no boundary", words="boundary") is None
    api = anon.post("/api/requests/", "garbage", content_type="multipart/form-data")
    assert api.status_code == 400 and "detail" in api.json()
    too_many = anon.post(
        "/api/requests/", "&".join(f"f{n}=1" for n in range(1200)), content_type="application/x-www-form-urlencoded"
    )
    assert too_many.status_code == 400 and "fields" in too_many.json()["detail"]


@pytest.mark.parametrize("length", ["abc", "-5", "1e9", "\x00", "99999999999999999999999"])
def test_a_nonsense_content_length_is_not_a_server_error(site, anon, length):
    for url in ["/requests/new/", "/api/requests/", site.takedown.get_absolute_url() + "messages/"]:
        response = anon.post(url, "{}", content_type="application/json", CONTENT_LENGTH=length)
        assert problem(response, f"{url} Content-Length {length!r}") is None
