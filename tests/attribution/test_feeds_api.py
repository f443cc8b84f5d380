"""Feeds in the API and the admin (staff only; writes need the Feed permissions), and reading an item's HTML."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from attribution.feeds.html_text import html_to_article_text
from attribution.feeds.models import Feed
from attribution.parsing import parse_article_text

pytestmark = pytest.mark.django_db

NEW_FEED = {"name": "Gazette", "url": "https://gazette.example/feed.xml", "kind": "rss", "interval": "00:15:00"}


@pytest.fixture
def desk_reader(django_user_model):
    """Staff without any feed permission: may look, may not change."""
    return django_user_model.objects.create_user("dana-desk", "dana@newsroom.example", "pw-dana-1", is_staff=True)


@pytest.fixture
def feed_keeper(desk_reader):
    """Staff holding the Feed model's add and change permissions."""
    desk_reader.user_permissions.add(*Permission.objects.filter(codename__in=["add_feed", "change_feed"]))
    return desk_reader


def test_staff_with_the_permission_create_a_feed(client, feed_keeper):
    client.force_login(feed_keeper)

    response = client.post("/api/feeds/", NEW_FEED, content_type="application/json")

    assert response.status_code == 201, response.json()
    feed = Feed.objects.get()
    assert (feed.name, feed.kind, feed.interval) == ("Gazette", "rss", dt.timedelta(minutes=15))
    assert response.json()["consecutive_failures"] == 0


def test_staff_without_the_permission_read_but_cannot_write(client, desk_reader):
    Feed.objects.create(name="Gazette", url="https://gazette.example/feed.xml")
    client.force_login(desk_reader)

    assert client.get("/api/feeds/").json()["results"][0]["name"] == "Gazette"
    refused = client.post("/api/feeds/", NEW_FEED | {"name": "Other"}, content_type="application/json")
    assert refused.status_code == 403
    assert "attribution.add_feed" in refused.json()["detail"]
    assert Feed.objects.count() == 1


def test_feeds_are_hidden_from_non_staff(client, outsider):
    Feed.objects.create(name="Gazette", url="https://gazette.example/feed.xml")
    client.force_login(outsider)

    assert client.get("/api/feeds/").status_code == 403


def test_sync_state_is_read_only_in_the_api(client, feed_keeper):
    feed = Feed.objects.create(name="Gazette", url="https://gazette.example/feed.xml")
    client.force_login(feed_keeper)

    client.patch(f"/api/feeds/{feed.pk}/", {"consecutive_failures": 9, "etag": "x"}, content_type="application/json")

    feed.refresh_from_db()
    assert (feed.consecutive_failures, feed.etag) == (0, "")


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"url": "ftp://gazette.example/feed"}, "url", ""),
        ({"url": "http://10.0.0.5/feed"}, "url", "FEEDS_ALLOWED_PRIVATE_HOSTS"),
        ({"interval": "00:00:10"}, "interval", "once a minute"),
        ({"kind": "gopher"}, "kind", ""),
    ],
)
def test_bad_feeds_are_a_400_saying_what_to_fix(client, feed_keeper, changes, field, says):
    client.force_login(feed_keeper)

    response = client.post("/api/feeds/", NEW_FEED | changes, content_type="application/json")

    assert response.status_code == 400
    assert says in " ".join(response.json()[field])
    assert not Feed.objects.exists()


def test_an_allow_listed_private_cms_is_accepted(client, feed_keeper, settings):
    settings.FEEDS_ALLOWED_PRIVATE_HOSTS = ["10.0.0.5"]
    client.force_login(feed_keeper)

    response = client.post("/api/feeds/", NEW_FEED | {"url": "http://10.0.0.5/feed"}, content_type="application/json")

    assert response.status_code == 201


def test_sync_now_in_the_api_makes_the_feed_due(client, feed_keeper, settings, django_capture_on_commit_callbacks):
    settings.FEEDS_ALLOWED_PRIVATE_HOSTS = []  # the woken task's fetch fails fast: we test the request, not the sync
    later = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    feed = Feed.objects.create(name="Gazette", url="http://127.0.0.1:9/feed", next_sync_at=later)
    client.force_login(feed_keeper)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/feeds/{feed.pk}/sync/")

    assert response.status_code == 202
    feed.refresh_from_db()
    # The woken job synced it at once (tasks run in-process in tests): an attempt, recorded.
    assert feed.last_attempt_at is not None and "not a public address" in feed.last_error


def test_sync_now_needs_the_change_permission(client, desk_reader):
    feed = Feed.objects.create(name="Gazette", url="https://gazette.example/feed.xml")
    client.force_login(desk_reader)

    assert client.post(f"/api/feeds/{feed.pk}/sync/").status_code == 403


def test_the_admin_lists_feeds_and_syncs_them_on_request(admin_client, settings, django_capture_on_commit_callbacks):
    settings.FEEDS_ALLOWED_PRIVATE_HOSTS = []
    feed = Feed.objects.create(
        name="Gazette", url="http://127.0.0.1:9/feed", next_sync_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    )

    assert admin_client.get("/admin/attribution/feed/").status_code == 200
    assert admin_client.get(f"/admin/attribution/feed/{feed.pk}/change/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/attribution/feed/", {"action": "sync_now", "_selected_action": [feed.pk]}, follow=True
        )

    assert "1 feed will sync shortly." in response.content.decode()
    feed.refresh_from_db()
    assert feed.last_attempt_at is not None


def test_the_admin_refuses_an_address_the_guard_would_not_fetch(admin_client):
    response = admin_client.post(
        "/admin/attribution/feed/add/",
        {"name": "Intranet", "url": "http://192.168.1.20/feed", "kind": "rss", "interval": "00:15:00"},
    )

    assert response.status_code == 200
    assert "FEEDS_ALLOWED_PRIVATE_HOSTS" in response.content.decode()
    assert not Feed.objects.exists()


def test_a_sources_heading_and_its_list_become_the_trailer():
    text = html_to_article_text(
        "<p>First.</p><ul><li>a point in the story</li></ul><h2>Sources:</h2>"
        '<ol><li><a href="https://a.example/1">Agency</a></li><li>A source with no link</li></ol>'
    )

    assert (
        text
        == "First.\n\n- a point in the story\n\nSources:\n1/ [Agency](https://a.example/1)\n2/ A source with no link"
    )
    article = parse_article_text("date 2026-11-01\nHeadline\n\n" + text, "feed")
    assert article.sources == ("[Agency](https://a.example/1)", "A source with no link")


def test_links_in_a_sources_paragraph_are_written_as_their_addresses():
    text = html_to_article_text(
        '<p>Body.</p><p>Sources: 1/ <a href="https://a.example/x">the agency</a> '
        '2/ <a href="https://b.example/y"><b>B</b>ee</a></p>'
    )

    assert text.endswith("Sources: 1/ [the agency](https://a.example/x) 2/ [Bee](https://b.example/y)")


def test_body_text_that_only_mentions_sources_stays_body_and_scripts_are_dropped():
    text = html_to_article_text(
        "<div>Sources close to the minister said so.<br>Second line</div><script>alert(1)</script><p>End.</p>"
    )

    assert text == "Sources close to the minister said so.\nSecond line\n\nEnd."


def test_a_new_address_forgets_the_old_validators(client, feed_keeper):
    feed = Feed.objects.create(
        name="Gazette",
        url="https://gazette.example/feed.xml",
        etag='"v1"',
        wordpress_modified_after="2026-05-01T00:00:00",
    )
    client.force_login(feed_keeper)

    renamed = client.patch(f"/api/feeds/{feed.pk}/", {"name": "The Gazette"}, content_type="application/json")
    feed.refresh_from_db()
    assert renamed.status_code == 200 and feed.etag == '"v1"'

    client.patch(f"/api/feeds/{feed.pk}/", {"url": "https://gazette.example/atom.xml"}, content_type="application/json")
    feed.refresh_from_db()
    assert (feed.etag, feed.wordpress_modified_after) == ("", "")
