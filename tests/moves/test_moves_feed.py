"""A feed item still citing a moved link's old address cites the new one (the alias), through a real feed."""

import pytest

from attribution.feeds.models import Feed
from attribution.feeds.sync import sync_feed
from attribution.models import Article, SourceURL
from attribution.moves.services import apply_move, preview_host_move, preview_source_move
from tests.attribution import feed_documents as docs
from tests.attribution.feed_server import Document

# The feed tests' per-test reset of the CMS (tests/conftest.py's ``cms``) with the feeds' allow-list.
from tests.attribution.test_feeds import server  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def cited(article):
    return list(article.citations.order_by("position").values_list("source_url__url", flat=True))


def test_a_feed_item_citing_a_moved_source_cites_where_it_moved(server, editor):  # noqa: F811
    server.documents["/rss"] = Document(docs.rss(docs.rss_item(1)))
    feed = Feed.objects.create(name="City desk", url=server.url("/rss"), kind=Feed.Kind.RSS)
    sync_feed(feed)
    source = SourceURL.objects.get(url="https://harbour.example/cranes")
    source.status, source.final_url = SourceURL.Status.REDIRECTED, "https://harbour.example/2026/cranes"
    source.save()
    apply_move(preview_source_move(source), actor=editor)

    # The CMS publishes a second story citing the old address, and edits the first one.
    edited = docs.rss_item(1, title="Cranes return to the harbour, updated")
    server.documents["/rss"] = Document(docs.rss(edited, docs.rss_item(2)))
    Feed.objects.filter(pk=feed.pk).update(etag="", last_modified="")
    summary = sync_feed(Feed.objects.get(pk=feed.pk))

    assert summary.failed == 0
    for guid in ("gazette-1", "gazette-2"):
        assert cited(Article.objects.get(external_id=guid))[0] == "https://harbour.example/2026/cranes"


def test_an_outlet_move_applies_to_later_feed_items(server, editor):  # noqa: F811
    server.documents["/rss"] = Document(docs.rss(docs.rss_item(1)))
    feed = Feed.objects.create(name="City desk", url=server.url("/rss"), kind=Feed.Kind.RSS)
    sync_feed(feed)
    apply_move(preview_host_move("https://port-authority.example", "https://www.port.example"), actor=editor)
    server.documents["/rss"] = Document(docs.rss(docs.rss_item(3)))
    sync_feed(Feed.objects.get(pk=feed.pk))
    assert cited(Article.objects.get(external_id="gazette-3"))[1] == "https://www.port.example/notice"
