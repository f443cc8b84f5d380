"""The articles API: open reads of published articles, staff writes through the import service."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attribution.models import Article, SourceURL
from tests.attribution.factories import ArticleFactory, article_with_sources

pytestmark = pytest.mark.django_db

VALID = {
    "headline": "Dam opens after repairs",
    "published_on": "2026-06-01",
    "body": "Water flows again.",
    "sources": ["https://Agency.example/en/dam?id=1", "https://Google.com/"],
}


def test_anyone_can_list_and_read_published_articles_with_sources(client):
    article_with_sources(2, slug="visible")
    ArticleFactory(slug="draft", unpublished=True)
    listing = client.get("/api/articles/").json()
    assert [a["slug"] for a in listing["results"]] == ["visible"]
    detail = client.get("/api/articles/visible/").json()
    assert [s["position"] for s in detail["sources"]] == [1, 2]
    assert detail["sources"][0]["publisher"]["host"]
    assert client.get("/api/articles/draft/").status_code == 404


def test_staff_see_every_status(admin_client):
    ArticleFactory(slug="draft", unpublished=True)
    assert admin_client.get("/api/articles/draft/").json()["status"] == "unpublished"


def test_filters_by_date_host_and_quality(client):
    import datetime as dt

    from attribution.parsing import ArticleInput
    from attribution.services import save_article

    save_article(
        ArticleInput(headline="A", published_on=dt.date(2026, 1, 1), body="", sources=("https://Google.com/",))
    )
    save_article(
        ArticleInput(headline="B", published_on=dt.date(2026, 3, 1), body="", sources=("https://news.example/b",))
    )
    slugs = lambda **q: sorted(a["slug"] for a in client.get("/api/articles/", q).json()["results"])  # noqa: E731
    assert slugs(published_after="2026-02-01") == ["b"]
    assert slugs(host="google.com") == ["a"]
    assert slugs(quality="homepage") == ["a"]
    assert slugs(search="B") == ["b"]
    assert client.get("/api/articles/", {"published_after": "yesterday"}).status_code == 400


def test_staff_create_an_article_through_the_import_service(admin_client):
    response = admin_client.post("/api/articles/", VALID, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"] == "dam-opens-after-repairs"
    assert [s["url"] for s in body["sources"]] == ["https://agency.example/en/dam?id=1", "https://google.com/"]
    assert "Cites a bare homepage" in body["quality_flags"]
    assert Article.objects.get().imported_from == "api"


def test_staff_update_replaces_the_source_list(admin_client):
    admin_client.post("/api/articles/", VALID, content_type="application/json")
    changed = {**VALID, "sources": ["https://agency.example/en/dam?id=2"]}
    response = admin_client.put("/api/articles/dam-opens-after-repairs/", changed, content_type="application/json")
    assert response.status_code == 200
    assert [s["url"] for s in response.json()["sources"]] == ["https://agency.example/en/dam?id=2"]
    assert SourceURL.objects.count() == 3  # old sources are kept


def test_creating_a_duplicate_slug_is_a_clear_400(admin_client):
    admin_client.post("/api/articles/", VALID, content_type="application/json")
    response = admin_client.post("/api/articles/", VALID, content_type="application/json")
    assert response.status_code == 400
    assert "already exists" in response.json()["slug"][0]


def test_a_removed_article_cannot_be_rewritten_through_the_api(admin_client):
    ArticleFactory(slug="gone", removed=True)
    response = admin_client.put("/api/articles/gone/", VALID, content_type="application/json")
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**VALID, "headline": "   "}, "headline"),
        ({**VALID, "published_on": "01/06/2026"}, "published_on"),
        ({**VALID, "sources": "https://a.example"}, "sources"),
        ({**VALID, "sources": ["x" * 5000]}, "sources"),
        ({**VALID, "slug": "Not a slug!"}, "slug"),
        ({k: v for k, v in VALID.items() if k != "body"}, "body"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(admin_client, payload, field):
    response = admin_client.post("/api/articles/", payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert Article.objects.count() == 0


def test_malformed_json_is_a_400_not_a_500(admin_client):
    response = admin_client.post("/api/articles/", "{nope", content_type="application/json")
    assert response.status_code == 400


def test_only_staff_can_write(client, outsider):
    anonymous = client.post("/api/articles/", VALID, content_type="application/json")
    assert anonymous.status_code == 401  # no credentials: asked for a token
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    client.force_login(outsider)
    assert client.post("/api/articles/", VALID, content_type="application/json").status_code == 403
    assert Article.objects.count() == 0


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_api_query_counts_do_not_grow_with_data(client):
    article_with_sources(1, slug="one")
    article_with_sources(20, slug="many")
    assert _queries(client, "/api/articles/one/") == _queries(client, "/api/articles/many/")
    few = _queries(client, "/api/articles/")
    for _ in range(20):
        article_with_sources(3)
    assert _queries(client, "/api/articles/") == few


def test_the_schema_validates_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
