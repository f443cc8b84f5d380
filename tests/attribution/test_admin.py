"""Editors' admin pages for attribution records."""

import pytest

from attribution.parsing import ArticleInput
from attribution.services import save_article
from tests.attribution.factories import article_with_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged_article():
    import datetime as dt

    article, _ = save_article(
        ArticleInput(
            headline="Homepage only",
            published_on=dt.date(2026, 1, 1),
            body="",
            sources=("https://Google.com/", "https://Google.com/", "ftp://x.example/a"),
        )
    )
    return article


def test_the_article_list_shows_quality_and_filters_by_it(admin_client, flagged_article):
    article_with_sources(2, headline="Well sourced")
    html = admin_client.get("/admin/attribution/article/").content.decode()
    assert "Cites a bare homepage" in html and "Well sourced" in html
    html = admin_client.get("/admin/attribution/article/", {"quality": "homepage"}).content.decode()
    assert "Homepage only" in html and "Well sourced" not in html
    html = admin_client.get("/admin/attribution/article/", {"quality": "any"}).content.decode()
    assert "Well sourced" not in html


def test_the_article_page_shows_each_citation_with_its_flags(admin_client, flagged_article):
    response = admin_client.get(f"/admin/attribution/article/{flagged_article.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bare homepage: credits no specific work" in html
    assert "Cited twice" in html
    assert "Not a web link" in html


@pytest.mark.parametrize("path", ["/admin/attribution/sourceurl/", "/admin/attribution/publisher/", "/admin/"])
def test_admin_pages_load(admin_client, flagged_article, path):
    assert admin_client.get(path).status_code == 200


def test_admin_search_finds_articles_by_source_url(admin_client, flagged_article):
    html = admin_client.get("/admin/attribution/article/", {"q": "google.com"}).content.decode()
    assert "Homepage only" in html


def test_articles_are_read_only_in_the_admin(admin_client, flagged_article):
    url = f"/admin/attribution/article/{flagged_article.pk}/change/"
    assert 'name="_save"' not in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"headline": "Rewritten", "published_on": "2026-01-01", "body": "x"})
    assert response.status_code == 403
    flagged_article.refresh_from_db()
    assert flagged_article.headline == "Homepage only"
    assert admin_client.get(f"/admin/attribution/article/{flagged_article.pk}/delete/").status_code == 403
