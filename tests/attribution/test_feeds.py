"""Feeds from the CMS, synced against a real HTTP server on 127.0.0.1 (tests/attribution/feed_server.py).

Every test goes through the entry points' path: ``sync_feed`` (what the command, the admin and the API
reach), ``sync_due_feeds`` (the beat task) or the command itself.
"""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from attribution.feeds.models import Feed
from attribution.feeds.sync import claim_due_feeds, sync_due_feeds, sync_feed
from attribution.models import Article
from tests.attribution import feed_documents as docs
from tests.attribution.feed_server import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(cms, settings):
    """The CMS with nothing published yet, reachable because 127.0.0.1 is on the feeds' allow-list."""
    cms.reset()
    settings.FEEDS_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.FEEDS_TIMEOUT = 5
    return cms


def make_feed(server, path: str, kind=Feed.Kind.RSS, **fields) -> Feed:
    return Feed.objects.create(name=fields.pop("name", path), url=server.url(path), kind=kind, **fields)


def sources_of(article: Article) -> list[str]:
    return [c.source_url.url for c in article.citations.order_by("position").select_related("source_url")]


def test_rss_items_become_articles_with_identity_body_and_sources(server):
    server.documents["/rss"] = Document(docs.rss(docs.rss_item(1), docs.rss_item(2, html=docs.LIST_HTML)))
    feed = make_feed(server, "/rss")

    summary = sync_feed(feed)

    assert summary.created == 2
    first = Article.objects.get(external_id="gazette-1")
    assert first.headline == "Cranes return to the harbour, part 1"
    assert first.canonical_url == "https://gazette.example/news/1"
    assert first.published_on == dt.date(2026, 5, 5)
    # Paragraphs kept, tags gone, the trailer and the invitation line not part of the body.
    assert first.body == "Cranes are back at the harbour.\n\nDockers welcomed them on Monday."
    assert sources_of(first) == ["https://harbour.example/cranes", "https://port-authority.example/notice"]
    second = Article.objects.get(external_id="gazette-2")
    assert second.body == "The library opens on Sundays from May."
    assert sources_of(second) == ["https://city.example/library-hours", "https://gazette.example/library"]
    feed.refresh_from_db()
    assert (feed.last_error, feed.consecutive_failures, feed.last_sync_at is not None) == ("", 0, True)
    # On the record: the article's history says it came through this feed.
    assert first.history.latest().history_via.startswith("feed /rss")


def test_atom_entries_are_imported(server):
    entry = {
        "id": "tag:city.example,2026:library",
        "title": "Library opens on Sundays",
        "link": "https://city.example/news/library",
        "date": "2026-05-06T09:00:00+02:00",
        "html": docs.LIST_HTML,
    }
    server.documents["/atom"] = Document(docs.atom(entry), content_type="application/atom+xml")

    sync_feed(make_feed(server, "/atom", kind=Feed.Kind.ATOM))

    article = Article.objects.get(external_id="tag:city.example,2026:library")
    assert (article.headline, article.published_on) == ("Library opens on Sundays", dt.date(2026, 5, 6))
    assert sources_of(article) == ["https://city.example/library-hours", "https://gazette.example/library"]


def test_json_feed_items_with_html_or_plain_text_are_imported(server):
    server.documents["/feed.json"] = Document(
        docs.json_feed(
            {
                "id": "olive-1",
                "url": "https://olive.example/harvest",
                "title": "Olive harvest starts early",
                "date_published": "2026-05-08T07:00:00Z",
                "content_html": docs.TEXT_TRAILER_HTML,
            },
            {
                "id": 2,
                "title": "Olive prices fall",
                "date_published": "2026-05-09T07:00:00Z",
                "content_text": "Prices fell.\n\nSources 1/ https://market.example/olives",
            },
        ),
        content_type="application/feed+json",
    )

    summary = sync_feed(make_feed(server, "/feed.json", kind=Feed.Kind.JSON_FEED))

    assert summary.created == 2
    assert Article.objects.get(external_id="olive-1").canonical_url == "https://olive.example/harvest"
    plain = Article.objects.get(external_id="2")
    assert (plain.body, sources_of(plain)) == ("Prices fell.", ["https://market.example/olives"])


def test_wordpress_posts_are_read_page_by_page_then_only_what_changed(server, settings):
    settings.FEEDS_WORDPRESS_PER_PAGE = 2
    server.wordpress_posts.extend(docs.wordpress_post(n, modified=f"2026-05-07T10:00:0{n - 10}") for n in (11, 12, 13))
    feed = make_feed(server, "/", kind=Feed.Kind.WORDPRESS)

    assert sync_feed(feed).created == 3

    pages = [s.query for s in server.requests_for("/wp-json/wp/v2/posts")]
    assert [(q["page"], q["per_page"], q.get("modified_after")) for q in pages] == [("1", "2", None), ("2", "2", None)]
    article = Article.objects.get(external_id="wp:127.0.0.1:12")
    assert article.headline == "Bridge repairs – phase 12"  # entity decoded
    assert article.canonical_url == "https://cms.example/?p=12"
    feed.refresh_from_db()
    assert feed.wordpress_modified_after == "2026-05-07T10:00:02"  # the newest, one second back

    server.seen.clear()
    server.wordpress_posts[0] = docs.wordpress_post(
        11, modified="2026-05-08T09:00:00", title="Bridge repairs finish early", html="<p>Done.</p>"
    )
    summary = sync_feed(feed)

    assert [s.query["modified_after"] for s in server.requests_for("/wp-json/wp/v2/posts")] == ["2026-05-07T10:00:02"]
    assert (summary.updated, summary.unchanged, summary.created) == (1, 1, 0)  # 13 re-read by the overlap
    assert Article.objects.get(external_id="wp:127.0.0.1:11").body == "Done."


def test_a_changed_item_updates_the_same_article_and_keeps_its_slug(server):
    server.documents["/rss"] = Document(docs.rss(docs.rss_item(1)))
    feed = make_feed(server, "/rss")
    sync_feed(feed)
    before = Article.objects.get(external_id="gazette-1")

    server.documents["/rss"] = Document(
        docs.rss(docs.rss_item(1, title="Cranes are back at the harbour after ten years", html="<p>New text.</p>"))
    )
    summary = sync_feed(feed)

    after = Article.objects.get(external_id="gazette-1")
    assert summary.updated == 1
    assert after.pk == before.pk and after.slug == before.slug
    assert (after.headline, after.body) == ("Cranes are back at the harbour after ten years", "New text.")
    assert Article.objects.count() == 1


def test_an_item_that_leaves_the_feed_leaves_its_article_as_it_was(server):
    server.documents["/rss"] = Document(docs.rss(docs.rss_item(1), docs.rss_item(2)))
    feed = make_feed(server, "/rss")
    sync_feed(feed)
    kept = Article.objects.get(external_id="gazette-1")

    server.documents["/rss"] = Document(docs.rss(docs.rss_item(2)))
    summary = sync_feed(feed)

    assert (summary.unchanged, summary.updated, summary.failed) == (1, 0, 0)
    again = Article.objects.get(external_id="gazette-1")
    assert (again.status, again.body, again.updated_at) == (Article.Status.PUBLISHED, kept.body, kept.updated_at)
    assert sources_of(again) == sources_of(kept)


def test_a_304_sends_the_validators_and_imports_nothing(server):
    server.documents["/rss"] = Document(docs.rss(docs.rss_item(1)), etag='"v1"')
    feed = make_feed(server, "/rss")
    sync_feed(feed)
    feed.refresh_from_db()
    assert feed.etag == '"v1"'
    # The document changes but the server still says "not modified" for v1: we must not even read it.
    server.documents["/rss"].body = docs.rss(docs.rss_item(1, title="A headline nobody should see"))

    summary = sync_feed(feed)

    (conditional,) = server.requests_for("/rss")[1:]
    assert conditional.headers["If-None-Match"] == '"v1"'
    assert summary.total == 0
    assert Article.objects.get(external_id="gazette-1").headline == "Cranes return to the harbour, part 1"
    feed.refresh_from_db()
    assert (feed.last_result, feed.last_error) == ("not modified since the last sync", "")


def test_a_malformed_feed_is_recorded_and_backs_off_while_the_others_sync(server):
    server.documents["/broken"] = Document('<rss version="2.0"><channel><item><title>Half an ite')
    server.documents["/missing-items"] = Document("<html><body>Our feed moved</body></html>", "text/html")
    server.documents["/rss"] = Document(docs.rss(docs.rss_item(1)))
    broken = make_feed(server, "/broken", interval=dt.timedelta(minutes=10))
    html_page = make_feed(server, "/missing-items")
    good = make_feed(server, "/rss")
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        assert sync_due_feeds() == 3
    broken.refresh_from_db()
    assert "not a readable RSS or Atom feed" in broken.last_error
    assert broken.consecutive_failures == 1
    assert broken.next_sync_at == start + dt.timedelta(minutes=10)
    html_page.refresh_from_db()
    assert html_page.consecutive_failures == 1
    assert Article.objects.filter(external_id="gazette-1").exists()
    good.refresh_from_db()
    assert (good.consecutive_failures, good.last_error) == (0, "")

    later = start + dt.timedelta(minutes=11)
    with time_machine.travel(later, tick=False):
        sync_due_feeds()
    broken.refresh_from_db()
    assert broken.consecutive_failures == 2
    assert broken.next_sync_at == later + dt.timedelta(minutes=20)  # backoff doubles

    server.documents["/broken"] = Document(docs.rss(docs.rss_item(5)))
    with time_machine.travel(later + dt.timedelta(minutes=21), tick=False):
        sync_due_feeds()
    broken.refresh_from_db()
    assert (broken.consecutive_failures, broken.last_error) == (0, "")


def test_an_item_that_cannot_be_an_article_fails_alone_and_the_validators_wait(server):
    server.documents["/rss"] = Document(
        docs.rss(docs.rss_item(1), docs.rss_item(2, date="", title="Undated")), etag='"v1"'
    )
    feed = make_feed(server, "/rss")

    summary = sync_feed(feed)

    assert (summary.created, summary.failed) == (1, 1)
    feed.refresh_from_db()
    assert "gazette-2" in feed.last_result and "no publication date" in feed.last_result
    # Not stored, so the next sync reads the feed again rather than being told "not modified".
    assert feed.etag == ""


def test_a_private_address_is_refused_unless_allow_listed(server, settings):
    settings.FEEDS_ALLOWED_PRIVATE_HOSTS = []
    server.documents["/rss"] = Document(docs.rss(docs.rss_item(1)))
    feed = make_feed(server, "/rss")

    assert sync_feed(feed) is None

    feed.refresh_from_db()
    assert "not a public address" in feed.last_error
    assert server.requests_for("/rss") == []


def test_the_beat_job_syncs_due_enabled_feeds_only(server, settings):
    from attribution.tasks import sync_due_feeds as task

    assert settings.CELERY_BEAT_SCHEDULE["feeds-sync-due"]["task"] == "attribution.tasks.sync_due_feeds"
    server.documents["/rss"] = Document(docs.rss(docs.rss_item(1)))
    server.documents["/later"] = Document(docs.rss(docs.rss_item(2)))
    server.documents["/off"] = Document(docs.rss(docs.rss_item(3)))
    make_feed(server, "/rss")
    make_feed(server, "/later", next_sync_at=timezone.now() + dt.timedelta(hours=1))
    make_feed(server, "/off", enabled=False)

    assert task.delay().get() == 1

    assert list(Article.objects.values_list("external_id", flat=True)) == ["gazette-1"]
    assert server.requests_for("/later") == server.requests_for("/off") == []


def test_a_claimed_feed_is_not_handed_out_twice(server):
    feed = make_feed(server, "/rss")
    now = timezone.now()

    assert claim_due_feeds(now) == [feed.pk]
    assert claim_due_feeds(now) == []


def test_the_command_syncs_one_feed_and_reports_failures(server, capsys):
    server.documents["/rss"] = Document(docs.rss(docs.rss_item(1)))
    good = make_feed(server, "/rss", name="Gazette")
    broken = make_feed(server, "/nowhere", name="Gone")

    call_command("sync_feeds", "--feed", str(good.pk))
    assert f"{good.pk} Gazette: 1 created" in capsys.readouterr().out

    with pytest.raises(CommandError, match="1 of 2 feed"):
        call_command("sync_feeds")
    assert "Gone: FAILED: the server answered HTTP 404" in capsys.readouterr().err
    broken.refresh_from_db()
    assert broken.consecutive_failures == 1

    with pytest.raises(CommandError, match="No feed with id 999"):
        call_command("sync_feeds", "--feed", "999")


def test_redirects_are_followed_and_guarded_at_every_hop(server):
    server.documents["/rss"] = Document(docs.rss(docs.rss_item(1)))
    server.documents["/old-feed"] = Document("", status=301, location="/rss")
    server.documents["/to-intranet"] = Document("", status=302, location="http://10.1.2.3/feed")
    moved = make_feed(server, "/old-feed")
    sneaky = make_feed(server, "/to-intranet")

    assert sync_feed(moved).created == 1
    assert sync_feed(sneaky) is None

    sneaky.refresh_from_db()
    assert "10.1.2.3 is not a public address" in sneaky.last_error


def test_an_answer_past_the_size_limit_is_an_error_not_a_partial_import(server, settings):
    settings.FEEDS_MAX_BYTES = 2048
    server.documents["/rss"] = Document(docs.rss(*(docs.rss_item(n) for n in range(20))))
    feed = make_feed(server, "/rss")

    assert sync_feed(feed) is None

    feed.refresh_from_db()
    assert "larger than FEEDS_MAX_BYTES" in feed.last_error
    assert not Article.objects.exists()


def test_an_unexpected_error_in_one_feed_is_recorded_and_the_next_feed_still_syncs(server, monkeypatch):
    from attribution.feeds import sync

    server.documents["/first"] = Document(docs.rss(docs.rss_item(1)))
    server.documents["/second"] = Document(docs.rss(docs.rss_item(2)))
    first, second = make_feed(server, "/first"), make_feed(server, "/second")
    real_import = sync.import_articles

    def import_that_breaks_on_the_first_feed(inputs, **kwargs):
        inputs = list(inputs)
        if inputs[0].external_id == "gazette-1":
            raise RuntimeError("disk full")
        return real_import(inputs, **kwargs)

    monkeypatch.setattr(sync, "import_articles", import_that_breaks_on_the_first_feed)

    assert sync_due_feeds() == 2

    first.refresh_from_db()
    assert (first.consecutive_failures, first.last_error) == (1, "internal error: disk full")
    second.refresh_from_db()
    assert (second.consecutive_failures, second.last_error) == (0, "")
    assert Article.objects.filter(external_id="gazette-2").exists()
