"""API writes follow the admin's model permissions: the same user may change the same things in both."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from attribution.lib.permissions import EDITORS_GROUP
from attribution.models import Article, SourceURL
from takedowns.workflow.groups import ensure_editorial_groups
from tests.attribution.factories import ArticleFactory, SourceURLFactory
from tests.takedowns.factories import TakedownRequestFactory

pytestmark = pytest.mark.django_db

NEW_ARTICLE = {
    "headline": "Ferry timetable changes",
    "published_on": "2026-06-01",
    "body": "Boats leave earlier.",
    "sources": ["https://ferries.example/timetable"],
}
# Writes anyone may make, whatever their permissions: filing a removal or change request.
PUBLIC_WRITES = {("takedownrequest-list", "post")}
SAFE = {"get", "head", "options", "trace"}


@pytest.fixture
def sam(django_user_model):
    """Sam, staff with no group and no permission: the admin shows Sam nothing to change."""
    return django_user_model.objects.create_user("sam-staff", "sam@newsroom.example", "pw-sam-1", is_staff=True)


@pytest.fixture
def eddie(django_user_model):
    """Eddie, staff in the Editors group."""
    ensure_editorial_groups()
    user = django_user_model.objects.create_user("eddie-editor", "eddie@newsroom.example", "pw-eddie-1", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="attribution", codename__in=codenames))


def _fill(route: str) -> str:
    """A path for a URL pattern's route (regex or path syntax), with "1" for every parameter."""
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    route = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    return "/" + route.replace("^", "").replace("$", "").replace("\\", "")


def _api_writes(patterns=None, prefix=""):
    """(url name, method, path) of every non-safe method of every DRF view."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _api_writes(entry.url_patterns, prefix + str(entry.pattern))
            continue
        view_class = getattr(entry.callback, "cls", None)
        if not isinstance(entry, URLPattern) or view_class is None or "format" in entry.pattern.regex.groupindex:
            continue
        actions = getattr(entry.callback, "actions", None)
        methods = actions.keys() if actions else [m for m in view_class.http_method_names if hasattr(view_class, m)]
        for method in sorted(set(methods) & set(view_class.http_method_names) - SAFE):
            yield entry.name, method, _fill(prefix + str(entry.pattern))


def every_write_endpoint():
    return [
        pytest.param(name, method, path, id=f"{method.upper()} {path}")
        for name, method, path in _api_writes()
        if (name, method) not in PUBLIC_WRITES
    ]


def test_the_list_of_write_endpoints_is_complete():
    found = {param.values[1:] for param in every_write_endpoint()}
    assert {
        ("post", "/api/articles/"),
        ("put", "/api/articles/1/"),
        ("post", "/api/sources/1/check/"),
        ("post", "/api/requests/1/transitions/"),
    } <= found


@pytest.mark.parametrize(("name", "method", "url"), every_write_endpoint())
def test_staff_without_permissions_get_403_on_every_write_endpoint(client, sam, name, method, url):
    """Permissions are checked before the object is looked up, so any id shows the rule."""
    client.force_login(sam)
    response = getattr(client, method)(url, {}, content_type="application/json")
    assert response.status_code == 403, (url, response.content[:300])


def test_staff_without_permissions_change_nothing_and_are_told_which_permission(client, sam):
    ArticleFactory(slug="kept", headline="Kept as it was")
    source = SourceURLFactory()
    client.force_login(sam)

    created = client.post("/api/articles/", NEW_ARTICLE, content_type="application/json")
    replaced = client.put("/api/articles/kept/", NEW_ARTICLE, content_type="application/json")
    checked = client.post(f"/api/sources/{source.pk}/check/")

    assert created.status_code == replaced.status_code == checked.status_code == 403
    assert "attribution.add_article" in created.json()["detail"]
    assert "attribution.change_article" in replaced.json()["detail"]
    assert "attribution.change_sourceurl" in checked.json()["detail"]
    assert list(Article.objects.values_list("slug", "headline")) == [("kept", "Kept as it was")]
    assert SourceURL.objects.get().next_check_at == source.next_check_at


def test_each_write_succeeds_with_its_model_permission(client, sam):
    ArticleFactory(slug="kept")
    source = SourceURLFactory()
    client.force_login(sam)

    grant(sam, "add_article")
    assert client.post("/api/articles/", NEW_ARTICLE, content_type="application/json").status_code == 201
    assert client.put("/api/articles/kept/", NEW_ARTICLE, content_type="application/json").status_code == 403
    grant(sam, "change_article")
    assert client.put("/api/articles/kept/", NEW_ARTICLE, content_type="application/json").status_code == 200
    assert client.post(f"/api/sources/{source.pk}/check/").status_code == 403
    grant(sam, "change_sourceurl")
    assert client.post(f"/api/sources/{source.pk}/check/").status_code == 202


def test_a_put_that_creates_an_article_needs_the_add_permission_too(client, sam):
    grant(sam, "change_article")
    client.force_login(sam)
    refused = client.put("/api/articles/brand-new/", NEW_ARTICLE, content_type="application/json")
    assert refused.status_code == 403 and "attribution.add_article" in refused.json()["detail"]
    assert not Article.objects.exists()
    grant(sam, "add_article")
    assert client.put("/api/articles/brand-new/", NEW_ARTICLE, content_type="application/json").status_code == 201


def test_a_user_who_is_not_staff_cannot_write_even_holding_the_permission(client, outsider):
    """The admin's door is staff status; the API has the same door."""
    grant(outsider, "add_article")
    client.force_login(outsider)
    assert client.post("/api/articles/", NEW_ARTICLE, content_type="application/json").status_code == 403
    assert client.get("/admin/").status_code == 302  # the admin sends a non-staff user to its login page


def test_editors_write_articles_and_ask_for_checks(client, eddie):
    source = SourceURLFactory()
    client.force_login(eddie)
    assert client.post("/api/articles/", NEW_ARTICLE, content_type="application/json").status_code == 201
    slug = Article.objects.get().slug
    assert client.put(f"/api/articles/{slug}/", NEW_ARTICLE, content_type="application/json").status_code == 200
    assert client.post(f"/api/sources/{source.pk}/check/").status_code == 202


def test_reads_keep_their_rules(client, sam):
    """Public data stays public, staff-only data stays staff-only; no permission is needed to read."""
    ArticleFactory(slug="public")
    ArticleFactory(slug="draft", unpublished=True)
    assert client.get("/api/articles/draft/").status_code == 404
    assert client.get("/api/articles/public/").status_code == 200
    client.force_login(sam)
    assert client.get("/api/articles/draft/").status_code == 200
    assert client.get("/api/requests/").status_code == 403  # requests only for Editors and Legal


# --- The same user in the admin and in the API -------------------------------------------------------


def check_now_in_admin(client, source) -> bool:
    """Whether the admin's "Check now" action ran for this user (it queues the check and says so)."""
    response = client.post(
        reverse("admin:attribution_sourceurl_changelist"),
        {"action": "check_now", "_selected_action": [source.pk]},
        follow=True,
    )
    return response.status_code == 200 and b"queued for a check" in response.content


def check_now_in_api(client, source) -> bool:
    status = client.post(f"/api/sources/{source.pk}/check/").status_code
    assert status in (202, 403)
    return status == 202


@pytest.mark.parametrize(
    ("codenames", "allowed"),
    [
        ((), False),
        (("view_sourceurl",), False),
        (("view_sourceurl", "change_sourceurl"), True),
    ],
    ids=["no permission", "view only", "view and change"],
)
def test_check_now_is_allowed_in_the_api_exactly_when_the_admin_allows_it(client, sam, codenames, allowed):
    in_admin, in_api = SourceURLFactory(), SourceURLFactory()  # one check at a time per source
    grant(sam, *codenames)
    client.force_login(sam)
    assert check_now_in_admin(client, in_admin) is allowed
    assert check_now_in_api(client, in_api) is allowed


def test_articles_in_the_admin_and_the_api_for_staff_without_permissions(client, sam):
    """Sam sees no articles in the admin and may write none through the API."""
    client.force_login(sam)
    assert client.get(reverse("admin:attribution_article_changelist")).status_code == 403
    assert client.post("/api/articles/", NEW_ARTICLE, content_type="application/json").status_code == 403


def test_articles_in_the_admin_and_the_api_for_an_editor(client, eddie):
    """Eddie reads articles in the admin (where text is never typed by hand) and writes them through the API."""
    article = ArticleFactory(slug="harbour")
    client.force_login(eddie)
    assert client.get(reverse("admin:attribution_article_change", args=[article.pk])).status_code == 200
    assert client.get(reverse("admin:attribution_article_add")).status_code == 403  # by design, for everyone
    assert client.put("/api/articles/harbour/", NEW_ARTICLE, content_type="application/json").status_code == 200


def test_a_workflow_transition_needs_staff_status_as_in_the_admin(client, eddie):
    """Group membership alone lets no one act: the admin's door is staff status, and so is the API's."""
    takedown = TakedownRequestFactory(submitted=True)
    eddie.is_staff = False
    eddie.save()
    client.force_login(eddie)
    url = f"/api/requests/{takedown.pk}/transitions/"
    assert client.post(url, {"action": "take"}, content_type="application/json").status_code == 403
    assert client.get(reverse("admin:takedowns_takedownrequest_change", args=[takedown.pk])).status_code == 302
    eddie.is_staff = True
    eddie.save()
    assert client.post(url, {"action": "take"}, content_type="application/json").status_code == 200
