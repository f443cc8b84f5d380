"""A feed never undoes the request workflow: its items go through the import service's conflict rule."""

import pytest

from attribution.feeds.models import Feed
from attribution.feeds.sync import sync_feed
from attribution.importing.models import ImportConflict
from attribution.models import Article
from takedowns.models import TakedownRequest
from takedowns.workflow.actions.apply import ArticleChange, apply_action
from tests.attribution import feed_documents as docs
from tests.attribution.feed_server import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def gazette_feed(cms, settings):
    cms.reset()
    settings.FEEDS_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    cms.documents["/rss"] = Document(docs.rss(docs.rss_item(1)))
    return Feed.objects.create(name="Gazette", url=cms.url("/rss"))


def test_a_corrected_article_is_not_overwritten_by_its_feed(cms, gazette_feed, make_request, eddie):
    sync_feed(gazette_feed)
    article = Article.objects.get(external_id="gazette-1")
    takedown = make_request(
        articles=[article],
        status=TakedownRequest.Status.ACCEPTED,
        request_type="factual_correction",
        remedy="change_passage",
    )
    apply_action(
        takedown,
        actor=eddie,
        change=ArticleChange(outcome="text_corrected", body="Cranes came back on Tuesday.", correction_note="Day."),
    )

    unchanged = sync_feed(gazette_feed)  # the feed still carries what was imported: nothing to do
    cms.documents["/rss"] = Document(docs.rss(docs.rss_item(1, html="<p>Cranes came back on Monday, again.</p>")))
    changed = sync_feed(gazette_feed)

    assert (unchanged.unchanged, unchanged.held, changed.held, changed.updated) == (1, 0, 1, 0)
    article.refresh_from_db()
    assert article.body == "Cranes came back on Tuesday."
    conflict = ImportConflict.objects.get(article=article)
    assert conflict.body == "Cranes came back on Monday, again."
    gazette_feed.refresh_from_db()
    assert "1 held" in gazette_feed.last_result
