"""The article API's plain-row reads (attribution/api_rows.py) answer ArticleSerializer's bytes, in fewer steps."""

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy, override
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from attribution import api_rows
from attribution.api import ArticleSerializer
from attribution.lib.api_json import PlainJSONRenderer
from attribution.models import Article, SourceURL
from attribution.parsing import ArticleInput
from attribution.services import save_article
from tests.attribution.factories import article_with_sources

pytestmark = pytest.mark.django_db

TRICKY = 'Quote " backslash \\ tab\t NUL-free control \x1f line\u2028sep\u2029 é 😀 <b>&amp;</b>'


def _articles():
    """Every shape the answer takes: each quality flag, overrides, an archive, no publisher, scripts, statuses."""
    sources = (
        "https://Google.com/",  # bare homepage
        "https://news.example/a?id=1",
        "https://news.example/a?id=1",  # cited twice
        "ftp://files.example/report.pdf",  # not a web link: invalid, no publisher
        "https://agency.example/story",
    )
    save_article(
        ArticleInput(headline="Flags " + TRICKY, published_on=dt.date(2026, 5, 1), body=TRICKY, sources=sources)
    )
    save_article(ArticleInput(headline="No sources at all", published_on=dt.date(2026, 5, 2), body="", sources=()))
    save_article(
        ArticleInput(
            headline="مجلس المدينة يوافق",
            published_on=dt.date(2026, 5, 3),
            body="نص",
            sources=("https://news.example/b",),
            slug="مجلس-المدينة",
            external_id="cms-42",
            canonical_url="https://paper.example/council",
        )
    )
    SourceURL.objects.filter(url__endswith="id=1").update(override=SourceURL.Override.VERIFIED_OK, status="dead")
    SourceURL.objects.filter(url__endswith="/story").update(
        status="failing", override=SourceURL.Override.IGNORE, archive_url="https://web.archive.org/web/1/x"
    )
    article_with_sources(2, slug="draft", unpublished=True)
    article_with_sources(1, slug="gone", removed=True)


def _expected(path, data):
    request = Request(RequestFactory().get(path))
    return ArticleSerializer(data, many=isinstance(data, list), context={"request": request}).data


# Arabic: the request's language reaches the labels (remembered per language); the Arabic catalogue does not
# translate these labels yet, so today this checks that nothing else changes with the language.
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_list_answers_the_serializers_bytes(admin_client, language):
    _articles()
    with override(language):
        results = _expected("/api/articles/", list(Article.objects.with_sources()))
        expected = {"count": len(results), "next": None, "previous": None, "results": results}
        response = admin_client.get("/api/articles/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.content == JSONRenderer().render(expected)
    flags = {flag for article in response.json()["results"] for flag in article["quality_flags"]}
    assert len(flags) == 4  # no sources, homepage, duplicate, invalid: every article rule was exercised


def test_the_detail_answers_the_serializers_bytes_in_the_current_time_zone(client):
    _articles()
    with timezone.override("Asia/Kolkata"):  # updated_at is shown in the current time zone, +05:30 here
        for article in Article.objects.published().with_sources():
            response = client.get(article.get_absolute_url().replace("/articles/", "/api/articles/"))
            assert response.status_code == 200, article.slug
            assert response.content == JSONRenderer().render(_expected("/", article))
            assert response.json()["updated_at"].endswith("+05:30")


def test_the_rows_build_every_field_of_the_serializer():
    assert api_rows.covers(ArticleSerializer), (
        "ArticleSerializer or CitationSerializer has a field attribution/api_rows.py does not build: the article "
        "list and detail now fall back to the slow serializer path. Add the field to api_rows.py too."
    )


def test_a_field_the_rows_do_not_know_falls_back_to_the_serializer():
    class WithExtra(ArticleSerializer):
        extra = serializers.CharField(source="headline")

        class Meta(ArticleSerializer.Meta):
            fields = [*ArticleSerializer.Meta.fields, "extra"]

    assert not api_rows.covers(WithExtra)


def test_list_queries_do_not_grow_with_articles_or_sources(client, admin_client):
    article_with_sources(1)

    def count(client_):
        with CaptureQueriesContext(connection) as captured:
            assert client_.get("/api/articles/").status_code == 200
        return len(captured)

    few, few_staff = count(client), count(admin_client)
    for _ in range(60):  # more than a page, each with many sources
        article_with_sources(6)
    assert (count(client), count(admin_client)) == (few, few_staff)


def test_unused_filters_are_skipped_and_used_ones_still_refuse_bad_values(client):
    article_with_sources(1, slug="one")
    assert [a["slug"] for a in client.get("/api/articles/", {"unknown": "x"}).json()["results"]] == ["one"]
    assert client.get("/api/articles/", {"status": "nonsense"}).status_code == 400
    assert client.get("/api/articles/", {"quality": "homepage"}).json()["count"] == 0


@pytest.mark.parametrize(
    "data",
    [
        {"text": TRICKY, "n": [1, -2, 0, None, True, False], "nested": {"empty": [], "s": ""}},
        ["\x00\x01\x08\x0c\x7f", "\u2028", {"k": "\u2029"}],
    ],
)
def test_the_plain_renderer_writes_drfs_bytes(data):
    assert PlainJSONRenderer().render(data) == JSONRenderer().render(data)


def test_the_plain_renderer_leaves_what_it_cannot_write_alike_to_drf():
    data = {
        "lazy": gettext_lazy("No sources"),
        "when": dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC),
        "detail": serializers.ErrorDetail("bad", code="invalid"),
    }
    assert PlainJSONRenderer().render(data) == JSONRenderer().render(data)
    indented = "application/json; indent=2"
    assert PlainJSONRenderer().render({"a": 1}, indented) == JSONRenderer().render({"a": 1}, indented)
