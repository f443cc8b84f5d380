"""Signals computed when the email is confirmed: the domain match and duplicates."""

import pytest

from attribution.models import Publisher
from takedowns.models import RequestEvent, TakedownRequest
from takedowns.workflow.requester import confirm_request, matching_publisher_host
from tests.attribution.factories import ArticleFactory, SourceURLFactory
from tests.takedowns.factories import TakedownRequestFactory

pytestmark = pytest.mark.django_db
Status = TakedownRequest.Status


def confirmed(**kwargs) -> TakedownRequest:
    return confirm_request(TakedownRequestFactory(**kwargs))


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("someone@abcnews.go.com", "abcnews.go.com"),
        ("desk@video.abcnews.go.com", "abcnews.go.com"),
        ("someone@go.com", ""),
        ("someone@notabcnews.go.com", ""),
        ("someone@gmail.com", ""),
    ],
)
def test_the_email_domain_must_be_the_publisher_or_under_it(email, expected):
    source = SourceURLFactory(url_as_cited="https://abcnews.go.com/story/cranes")
    assert matching_publisher_host(email, [source]) == expected


def test_a_matching_confirmed_request_is_flagged_with_an_event(article):
    takedown = confirmed(articles=[article], requester_email="rights@abcnews.go.com")

    assert takedown.domain_match and takedown.domain_match_host == "abcnews.go.com"
    event = RequestEvent.objects.get(request=takedown, kind="domain_match")
    assert not event.visible_to_requester


def test_only_the_picked_sources_count_when_sources_were_picked(article):
    takedown = TakedownRequestFactory(articles=[article], requester_email="rights@abcnews.go.com")
    other = article.citations.get(position=2)
    takedown.request_citations.create(
        citation=other, article=article, source_url=other.source_url, position=2, text_as_written="x"
    )
    assert not confirm_request(takedown).domain_match


def test_a_source_without_a_publisher_row_matches_by_its_host(article):
    Publisher.objects.all().delete()
    assert confirmed(articles=[article], requester_email="rights@abcnews.go.com").domain_match


def test_no_match_without_a_matching_source(article):
    assert not confirmed(articles=[article], requester_email="rita@harbourgazette.example").domain_match


def test_a_second_request_on_the_same_article_and_type_is_linked_to_the_open_one(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    original = confirmed(articles=[article], requester_email="rita@harbourgazette.example")
    with django_capture_on_commit_callbacks(execute=True):
        second = confirmed(articles=[article], requester_email="rita@harbourgazette.example")

    assert second.status == Status.DUPLICATE and second.duplicate_of == original
    assert second.closed_at is not None
    assert "joins your open request" in mailoutbox[-1].subject
    assert original.token in mailoutbox[-1].body
    assert RequestEvent.objects.filter(request=original, kind="duplicate_detected").exists()


@pytest.mark.parametrize(
    "difference",
    [
        {"request_type": TakedownRequest.RequestType.PRIVACY},
        {"requester_email": "someone-else@harbourgazette.example"},
        {"articles": "another"},
    ],
)
def test_a_different_type_email_or_article_is_not_a_duplicate(article, difference):
    confirmed(articles=[article], requester_email="rita@harbourgazette.example")
    if difference.get("articles") == "another":
        difference = {"articles": [ArticleFactory()]}
    second = confirmed(**{"articles": [article], "requester_email": "rita@harbourgazette.example", **difference})
    assert second.status == Status.SUBMITTED and second.duplicate_of is None


def test_a_closed_earlier_request_is_not_a_duplicate_target(article):
    TakedownRequestFactory(articles=[article], requester_email="rita@harbourgazette.example", withdrawn=True)
    assert confirmed(articles=[article], requester_email="rita@harbourgazette.example").status == Status.SUBMITTED


def test_an_unconfirmed_earlier_request_is_not_a_duplicate_target(article):
    TakedownRequestFactory(articles=[article], requester_email="rita@harbourgazette.example")
    assert confirmed(articles=[article], requester_email="rita@harbourgazette.example").status == Status.SUBMITTED
