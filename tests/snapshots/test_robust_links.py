"""Robust Links on the public article page: data-versionurl/-date on cited links, and an archived copy for broken ones."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attribution.models import SourceURL
from attribution.snapshots.models import SourceSnapshot
from attribution.snapshots.robust_links import version_attributes, wayback_timestamp
from tests.attribution.factories import ArticleFactory, CitationFactory, SourceURLFactory

pytestmark = pytest.mark.django_db
WAYBACK = "https://web.archive.org/web/20240312101500/https://wire.example/cranes"
CITED_AT = dt.datetime(2026, 1, 20, 23, 30, tzinfo=dt.UTC)


class Links(HTMLParser):
    """Every <a> of a page: its attributes, and its text."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[dict] = []
        self._open = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = {**dict(attrs), "text": ""}
            self.links.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None

    def to(self, href: str) -> dict:
        (link,) = [link for link in self.links if link.get("href") == href]
        return link


def cite(article, url, *, position, status=SourceURL.Status.OK, archive_url="", snapshot_at=None):
    source = SourceURLFactory(url_as_cited=url, status=status, archive_url=archive_url)
    CitationFactory(article=article, source_url=source, position=position, text_as_written=f"Source {position}")
    if snapshot_at:
        SourceSnapshot.objects.create(source_url=source, taken_at=snapshot_at, reason="first", fetched_url=source.url)
    return source


def page_links(client, article) -> Links:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return Links(response.content.decode())


def test_a_link_with_a_wayback_copy_carries_its_url_and_date(client):
    article = ArticleFactory()
    source = cite(article, "https://wire.example/cranes", position=1, archive_url=WAYBACK, snapshot_at=CITED_AT)

    link = page_links(client, article).to(source.url)
    # The Wayback copy's own date wins over our snapshot's: it is the version the URL shows.
    assert link["data-versionurl"] == WAYBACK and link["data-versiondate"] == "2024-03-12"


def test_with_only_our_own_snapshot_the_date_is_given_but_never_a_url_readers_cannot_open(client):
    article = ArticleFactory()
    source = cite(article, "https://wire.example/budget", position=1, snapshot_at=CITED_AT)

    link = page_links(client, article).to(source.url)
    assert link["data-versiondate"] == "2026-01-20"
    assert "data-versionurl" not in link


def test_a_link_with_no_known_copy_has_no_version_attributes(client):
    article = ArticleFactory()
    source = cite(article, "https://wire.example/plain", position=1)
    drift = SourceSnapshot.objects.create(source_url=source, taken_at=CITED_AT, reason="drift", fetched_url=source.url)

    link = page_links(client, article).to(source.url)
    # A drift snapshot is not what was cited: only the citation-time one dates the citation.
    assert drift.pk and not {"data-versionurl", "data-versiondate"} & set(link)


@pytest.mark.parametrize("status", [SourceURL.Status.DEAD, SourceURL.Status.FAILING])
def test_a_broken_link_offers_the_archived_copy_beside_it(client, status):
    article = ArticleFactory()
    source = cite(article, "https://wire.example/gone", position=1, status=status, archive_url=WAYBACK)

    links = page_links(client, article)
    archived = links.to(WAYBACK)
    assert archived["text"] == "archived copy" and archived["class"] == "archived-copy"
    assert archived["data-originalurl"] == source.url and "nofollow" in archived["rel"]
    assert links.links.index(links.to(source.url)) + 1 == links.links.index(archived)


def test_a_working_link_is_not_cluttered_with_an_archived_copy_link(client):
    article = ArticleFactory()
    cite(article, "https://wire.example/fine", position=1, archive_url=WAYBACK)

    assert WAYBACK not in [link.get("href") for link in page_links(client, article).links]


def test_the_archived_copy_is_offered_in_arabic_too(client):
    article = ArticleFactory()
    cite(article, "https://wire.example/gone", position=1, status=SourceURL.Status.DEAD, archive_url=WAYBACK)

    response = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar")
    links = Links(response.content.decode())
    assert 'dir="rtl"' in response.content.decode()
    assert links.to(WAYBACK)["text"] == "نسخة مؤرشفة"


def test_the_page_costs_the_same_queries_with_1_or_25_archived_and_snapshotted_sources(client):
    def article_with(count, slug):
        article = ArticleFactory(slug=slug)
        for n in range(count):
            cite(article, f"https://wire.example/{slug}/{n}", position=n + 1, archive_url=WAYBACK, snapshot_at=CITED_AT)
        return article

    def queries(article):
        with CaptureQueriesContext(connection) as captured:
            page_links(client, article)
        return len(captured)

    assert queries(article_with(1, "small")) == queries(article_with(25, "big"))


def test_the_first_snapshot_annotation_answers_what_the_subquery_it_replaced_answers():
    from django.db.models import OuterRef, Subquery

    from attribution.models import Citation
    from attribution.snapshots.robust_links import first_snapshot_taken_at

    article = ArticleFactory()
    first = cite(article, "https://wire.example/a", position=1, snapshot_at=CITED_AT)
    SourceSnapshot.objects.create(source_url=first, taken_at=CITED_AT - dt.timedelta(days=1), reason="drift")
    drift_only = cite(article, "https://wire.example/b", position=2)
    SourceSnapshot.objects.create(source_url=drift_only, taken_at=CITED_AT, reason="drift")
    cite(article, "https://wire.example/c", position=3)
    earlier = SourceSnapshot.objects.filter(source_url=OuterRef("source_url_id"), reason=SourceSnapshot.Reason.FIRST)
    subquery = Subquery(earlier.order_by("taken_at").values("taken_at")[:1])

    def taken(annotation):
        citations = Citation.objects.filter(article=article).annotate(at=annotation).order_by("position")
        return list(citations.values_list("position", "at"))

    assert taken(first_snapshot_taken_at()) == taken(subquery) == [(1, CITED_AT), (2, None), (3, None)]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (WAYBACK, dt.datetime(2024, 3, 12, 10, 15, tzinfo=dt.UTC)),
        (
            "http://web.archive.org/web/20240312101500id_/https://x.example/",
            dt.datetime(2024, 3, 12, 10, 15, tzinfo=dt.UTC),
        ),
        ("https://web.archive.org/web/20241332101500/https://x.example/", None),  # month 13
        ("https://web.archive.org/web/2024/https://x.example/", None),
        ("", None),
    ],
)
def test_the_wayback_timestamp_is_read_from_the_url(url, expected):
    assert wayback_timestamp(url) == expected


def test_only_web_addresses_become_a_versionurl():
    assert version_attributes("javascript:alert(1)", None) == {}
    # A snapshot date in another zone is given as its UTC day.
    late = dt.datetime(2026, 1, 20, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert version_attributes("", late) == {"data-versiondate": "2026-01-21"}
