"""Where editors and the legal team see the overlap: the request page, the article's admin page, the staff API."""

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attribution.overlap.compute import normal_words
from attribution.overlap.services import compute_missing_overlaps
from takedowns.models import TakedownRequest
from tests.overlap.factories import SourceSnapshotFactory, import_article, source
from tests.overlap.texts import LIGHT_REWRITE, WIRE_STORY
from tests.takedowns.factories import TakedownRequestFactory
from tests.workflow.conftest import _member, workflow_groups  # noqa: F401  (fixtures used by lena)

pytestmark = pytest.mark.django_db
RequestType = TakedownRequest.RequestType
LIBRARY_URL = "https://library.example/sunday-hours"
# The copy's longest shared passage is the whole article.
WIRE_WORDS = len(normal_words(WIRE_STORY)[1])
COPY_SENTENCE = (
    f"100 % of this article's 8-word sequences appear in source 2; longest shared passage: {WIRE_WORDS} words"
)


@pytest.fixture
def lena(django_user_model, workflow_groups):  # noqa: F811
    """Lena, in the Legal group: decides copyright requests."""
    return _member(django_user_model, "lena-legal", "Legal")


@pytest.fixture
def copied():
    """An article copying the wire story word for word, citing it second; its overlap computed."""
    article = import_article(
        "cranes-copy", WIRE_STORY, sources=[LIBRARY_URL, "https://wire.example/2026/harbour-cranes"]
    )
    SourceSnapshotFactory(source_url=source())
    compute_missing_overlaps()
    return article


def request_page(client, takedown) -> str:
    response = client.get(f"/admin/takedowns/takedownrequest/{takedown.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("request_type", [RequestType.COPYRIGHT, RequestType.ATTRIBUTION])
def test_a_copyright_or_attribution_request_page_shows_the_overlap_sentence_and_passage(
    client, lena, copied, request_type
):
    takedown = TakedownRequestFactory(request_type=request_type, articles=[copied], submitted=True)
    client.force_login(lena)

    html = request_page(client, takedown)

    assert COPY_SENTENCE in html
    assert "<summary>Longest shared passage</summary>" in html
    assert "The port authority said on Monday that the three harbour cranes" in html
    assert "not a legal finding" in html


def test_a_privacy_request_page_does_not(client, lena, copied):
    takedown = TakedownRequestFactory(request_type=RequestType.PRIVACY, articles=[copied], submitted=True)
    client.force_login(lena)

    assert "8-word sequences" not in request_page(client, takedown)


def test_the_request_page_says_when_there_is_nothing_yet(client, lena):
    article = import_article("cranes-copy", WIRE_STORY)
    takedown = TakedownRequestFactory(request_type=RequestType.COPYRIGHT, articles=[article], submitted=True)
    client.force_login(lena)

    assert "Nothing to show yet: no cited source has a snapshot" in request_page(client, takedown)


def test_a_stale_row_is_shown_as_being_recomputed(client, lena, copied):
    takedown = TakedownRequestFactory(request_type=RequestType.COPYRIGHT, articles=[copied], submitted=True)
    import_article("cranes-copy", LIGHT_REWRITE, sources=[LIBRARY_URL, "https://wire.example/2026/harbour-cranes"])
    client.force_login(lena)

    html = request_page(client, takedown)

    assert COPY_SENTENCE in html and "computed on an earlier version of the article, being recomputed" in html


def test_the_request_page_query_count_does_not_grow_with_overlap_rows(client, lena, copied):
    takedown = TakedownRequestFactory(request_type=RequestType.COPYRIGHT, articles=[copied], submitted=True)
    client.force_login(lena)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            request_page(client, takedown)
        return len(captured)

    few = queries()
    urls = [LIBRARY_URL, "https://wire.example/2026/harbour-cranes"] + [f"https://wire.example/{n}" for n in range(6)]
    import_article("cranes-copy", WIRE_STORY, sources=urls)
    for url in urls[2:]:
        SourceSnapshotFactory(source_url=source(url))
    compute_missing_overlaps()
    other = import_article("second-copy", WIRE_STORY, sources=urls)
    takedown.articles.add(other)
    compute_missing_overlaps()

    html = request_page(client, takedown)
    assert html.count("8-word sequences appear in source") == 14
    assert queries() == few


def test_the_article_admin_page_shows_each_sources_overlap(admin_client, copied):
    # unescape: the admin writes the apostrophe as &#x27;.
    html = unescape(admin_client.get(f"/admin/attribution/article/{copied.pk}/change/").content.decode())

    assert COPY_SENTENCE in html
    assert "Copy overlap with cited sources (evidence for copyright triage, not a legal finding)" in html
    assert "The port authority said on Monday that the three harbour cranes" in html


def test_the_staff_api_lists_each_cited_source_with_its_overlap(admin_client, copied):
    response = admin_client.get("/api/articles/cranes-copy/overlap/")

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "cranes-copy"
    library, wire = body["sources"]
    assert (library["position"], library["url"], library["overlap"]) == (1, LIBRARY_URL, [])
    (snapshot_row,) = wire["overlap"]
    assert wire["position"] == 2 and wire["url"] == "https://wire.example/2026/harbour-cranes"
    assert snapshot_row["containment"] == 1.0 and snapshot_row["percent"] == "100"
    assert snapshot_row["longest_passage_words"] == WIRE_WORDS and snapshot_row["current"] is True
    assert snapshot_row["summary"] == COPY_SENTENCE
    assert snapshot_row["longest_passage"].startswith("The port authority said on Monday")


def test_the_overlap_api_is_for_staff_only(client, copied, outsider):
    assert client.get("/api/articles/cranes-copy/overlap/").status_code in (401, 403)
    client.force_login(outsider)
    assert client.get("/api/articles/cranes-copy/overlap/").status_code == 403


def test_the_overlap_api_answers_404_for_an_unknown_article(admin_client):
    assert admin_client.get("/api/articles/no-such-story/overlap/").status_code == 404


def test_the_public_article_response_is_unchanged(client, copied):
    body = client.get("/api/articles/cranes-copy/").json()

    assert "overlap" not in body and "overlap" not in body["sources"][1]
