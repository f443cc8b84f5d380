"""Queries compiled once (attribution/lib/api_sql.py) run the statements Django runs and return what it returns."""

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attribution import api_rows
from attribution.lib import api_sql
from attribution.models import Article, SourceURL
from attribution.tokens.models import ApiToken
from attribution.tokens.services import issue_api_token
from tests.attribution.factories import ArticleFactory, SourceURLFactory, article_with_sources

pytestmark = pytest.mark.django_db

COLUMNS = api_rows.ARTICLE_COLUMNS


def _statements(run):
    with CaptureQueriesContext(connection) as captured:
        result = run()
    return result, [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def articles():
    for day in range(1, 8):
        article_with_sources(2, published_on=dt.date(2026, 4, day))
    ArticleFactory(unpublished=True, published_on=dt.date(2026, 4, 3))
    return Article.objects.published()


@pytest.mark.parametrize("page", [slice(0, 3), slice(3, 6), slice(6, 9), slice(5, 7), slice(0, 100)])
def test_a_page_is_the_querysets_slice_by_the_same_statement(articles, page):
    sliced = api_sql.Sliced(("test", "published"), lambda: articles.values(*COLUMNS), ordered=True)
    expected, django_ran = _statements(lambda: list(articles.values(*COLUMNS)[page]))
    for _ in range(2):  # compiled on first use, then reused
        found, ran = _statements(lambda: sliced[page])
        assert found == expected and ran == django_ran


def test_the_count_is_the_querysets_by_the_same_statement_and_stays_exact(articles):
    sliced = api_sql.Sliced(("test", "published"), lambda: articles.values(*COLUMNS), ordered=True)
    expected, django_ran = _statements(lambda: articles.values(*COLUMNS).count())
    assert _statements(sliced.count) == (expected, django_ran) == (7, django_ran)
    ArticleFactory()
    assert sliced.count() == 8  # the statement is remembered, never its answer


def test_unsliced_it_reads_every_row(articles):
    sliced = api_sql.Sliced(("test", "published"), lambda: articles.values(*COLUMNS), ordered=True)
    assert _statements(lambda: list(sliced)) == _statements(lambda: list(articles.values(*COLUMNS)))


def test_an_empty_page_asks_nothing_as_django_does(articles):
    sliced = api_sql.Sliced(("test", "published"), lambda: articles.values(*COLUMNS), ordered=True)
    assert _statements(lambda: sliced[4:4]) == ([], [])
    assert _statements(lambda: list(articles.values(*COLUMNS)[4:4])) == ([], [])


def test_djangos_paginator_reads_it_like_the_queryset(articles):
    sliced = api_sql.Sliced(("test", "published"), lambda: articles.values(*COLUMNS), ordered=True)
    for number in (1, 2, 3):
        mine, theirs = Paginator(sliced, 3).page(number), Paginator(articles.values(*COLUMNS), 3).page(number)
        assert list(mine) == list(theirs) and mine.has_next() == theirs.has_next()


def test_rows_come_back_converted_as_the_queryset_converts_them():
    checked = dt.datetime(2026, 4, 1, 12, 30, tzinfo=dt.UTC)
    SourceURLFactory(is_valid=False, last_checked_at=checked, archive_url="https://web.archive.org/web/1/x")
    build = lambda: SourceURL.objects.values_list("is_valid", "is_homepage", "last_checked_at", "archive_url")  # noqa: E731
    found = api_sql.rows(("test", "sources"), build)
    assert found == list(build()) == [(False, False, checked, "https://web.archive.org/web/1/x")]
    assert found[0][2].tzinfo is not None  # SQLite keeps naive text: Django's converter makes it aware


def test_parameters_that_differ_from_the_compiled_ones_are_refused():
    with pytest.raises(ValueError, match="takes"):
        api_sql.rows(("test", "by slug"), lambda: Article.objects.filter(slug="a").values_list("id"), ["b"])


def test_querysets_it_cannot_replay_exactly_are_refused():
    with pytest.raises(ValueError):
        api_sql.rows(("test", "instances"), lambda: Article.objects.all(), None)


def test_an_instance_comes_with_its_foreign_key_loaded_as_select_related_loads_it(django_user_model):
    eddie = django_user_model.objects.create_user("eddie", is_staff=True)
    record, _token = issue_api_token(owner=eddie, name="nightly", days=1, actor=None)
    expected = ApiToken.objects.select_related("owner").get(pk=record.pk)
    build = lambda: ApiToken.objects.filter(digest=record.digest)  # noqa: E731
    for _ in range(2):
        (found,) = api_sql.with_related(("test", "token"), ApiToken, "owner", build, [record.digest])
        assert vars(found).keys() == vars(expected).keys()
        assert [getattr(found, f.attname) for f in ApiToken._meta.concrete_fields] == [
            getattr(expected, f.attname) for f in ApiToken._meta.concrete_fields
        ]
        with CaptureQueriesContext(connection) as captured:
            assert found.owner == eddie and found.owner.username == "eddie" and found.owner.is_staff
        assert not captured.captured_queries and not found._state.adding and found._state.db == "default"


def test_the_api_list_answers_staff_and_readers_apart_after_both_were_compiled(client, admin_client):
    article_with_sources(1, slug="public")
    article_with_sources(1, slug="draft", unpublished=True)
    for _ in range(2):
        assert [a["slug"] for a in client.get("/api/articles/").json()["results"]] == ["public"]
        staff = admin_client.get("/api/articles/").json()
        assert staff["count"] == 2 and {a["slug"] for a in staff["results"]} == {"public", "draft"}
    # A filter or a search takes the QuerySet's path, on the same compiled plain list.
    assert admin_client.get("/api/articles/", {"status": "unpublished"}).json()["count"] == 1
    assert admin_client.get("/api/articles/", {"search": "nothing like it"}).json()["count"] == 0
    assert client.get("/api/articles/").json()["count"] == 1
