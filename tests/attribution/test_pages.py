"""Public pages: the list with search and pagination, and each article with its sources."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.attribution.factories import (
    ArticleFactory,
    CitationFactory,
    PublisherFactory,
    SourceURLFactory,
    article_with_sources,
)

pytestmark = pytest.mark.django_db


def test_the_list_shows_published_articles_newest_first(client):
    import datetime as dt

    ArticleFactory(headline="Older story", published_on=dt.date(2026, 1, 1))
    ArticleFactory(headline="Newer story", published_on=dt.date(2026, 2, 1))
    ArticleFactory(headline="Hidden draft", unpublished=True)
    ArticleFactory(headline="Taken down", removed=True)
    html = client.get("/").content.decode()
    assert html.index("Newer story") < html.index("Older story")
    assert "Hidden draft" not in html and "Taken down" not in html


def test_search_finds_headline_and_body_and_escapes_the_query(client):
    ArticleFactory(headline="Harbour cranes inspected", body="Engineers checked.")
    ArticleFactory(headline="Library hours", body="Open late near the harbour.")
    ArticleFactory(headline="Rail timetable", body="Later trains.")
    response = client.get("/", {"q": "harbour"})
    html = response.content.decode()
    assert "Harbour cranes inspected" in html and "Library hours" in html and "Rail timetable" not in html
    assert "2 articles match" in html
    html = client.get("/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html


def test_pagination_and_a_bad_page_number_do_not_fail(client, settings):
    settings.ATTRIBUTION_PAGE_SIZE = 2
    for n in range(5):
        ArticleFactory(headline=f"Story {n}")
    assert "Page 1 of 3" in client.get("/").content.decode()
    assert "Page 3 of 3" in client.get("/", {"page": "99"}).content.decode()
    assert client.get("/", {"page": "abc"}).status_code == 200


def test_the_article_page_lists_numbered_sources_with_publishers_and_the_request_link(client):
    publisher = PublisherFactory(host="example-wire.com", name="Example Wire")
    article = ArticleFactory(slug="flood-warning", headline="Flood warning")
    CitationFactory(
        article=article,
        position=1,
        source_url=SourceURLFactory(url_as_cited="https://www.example-wire.com/a", publisher=publisher),
    )
    CitationFactory(article=article, position=2, source_url=SourceURLFactory(url_as_cited="https://other.example/b"))
    response = client.get("/articles/flood-warning/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<li value="1">' in html and '<li value="2">' in html
    assert "Example Wire" in html
    assert 'href="/requests/new/?article=flood-warning"' in html


def test_unknown_unpublished_and_removed_articles(client, admin_client):
    ArticleFactory(slug="draft", unpublished=True)
    ArticleFactory(slug="gone", removed=True)
    assert client.get("/articles/nope/").status_code == 404
    assert client.get("/articles/draft/").status_code == 404
    assert admin_client.get("/articles/draft/").status_code == 200
    assert client.get("/articles/gone/").status_code == 410


def test_unicode_slugs_resolve(client):
    ArticleFactory(slug="موسم-الزيتون", headline="موسم الزيتون")
    assert client.get("/articles/موسم-الزيتون/").status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_page_query_counts_do_not_grow_with_sources_or_articles(client):
    small = article_with_sources(1, slug="small")
    big = article_with_sources(25, slug="big")
    assert _queries(client, f"/articles/{small.slug}/") == _queries(client, f"/articles/{big.slug}/")
    few = _queries(client, "/")
    for _ in range(30):
        article_with_sources(3)
    assert _queries(client, "/") == few


def test_every_public_page_links_to_the_articles_and_the_transparency_report(client):
    html = client.get("/").content.decode()
    assert 'href="/transparency/"' in html and 'href="/"' in html
