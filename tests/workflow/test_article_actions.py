"""Decisions that act on the article: removal (410), corrections with revisions, attribution changes, reinstatement."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attribution.models import Article, CorrectionNote
from takedowns.models import ArticleRevision, RequestEvent, TakedownRequest
from takedowns.workflow.actions.apply import ArticleChange, apply_action
from takedowns.workflow.actions.reinstate import reinstate_request
from tests.workflow.helpers import perform

Status = TakedownRequest.Status
pytestmark = pytest.mark.django_db


def _sources(article):
    return list(article.citations.order_by("position").values_list("text_as_written", flat=True))


@pytest.fixture
def removal(make_request, lena):
    """A removal request Lena has accepted."""
    takedown = make_request(status=Status.IN_REVIEW, request_type="copyright", remedy="remove_article")
    return perform("accept", takedown, lena)


def test_removal_answers_410_with_the_date_and_the_request(removal, article, lena, client):
    apply_action(removal, actor=lena, change=ArticleChange(outcome="removed_article", confirm_removal=True))

    response = client.get(article.get_absolute_url())

    assert response.status_code == 410
    revision = ArticleRevision.objects.get(article=article)
    text = response.content.decode()
    assert f"following a request (#{removal.pk})" in text
    assert revision.created_at.strftime("%-d %B %Y") in text
    assert "The cranes came back" not in text
    assert TakedownRequest.objects.get(pk=removal.pk).outcome == "removed_article"


def test_a_removed_article_leaves_the_list_and_search_but_the_record_stays(removal, article, lena, client):
    apply_action(removal, actor=lena, change=ArticleChange(outcome="removed_article", confirm_removal=True))

    assert article.headline not in client.get("/").content.decode()
    assert article.headline not in client.get("/?q=cranes").content.decode()
    assert Article.objects.get(pk=article.pk).citations.count() == 2


def test_the_api_answers_410_and_marks_it_removed(removal, article, lena, client, admin_client):
    apply_action(removal, actor=lena, change=ArticleChange(outcome="removed_article", confirm_removal=True))

    for caller in (client, admin_client):
        response = caller.get(f"/api/articles/{article.slug}/")
        assert response.status_code == 410
        assert response.json()["status"] == "removed" and response.json()["request"] == removal.pk
        assert "body" not in response.json()
    assert client.get("/api/articles/no-such-article/").status_code == 404


def test_editors_cannot_remove_an_article(make_request, eddie):
    takedown = make_request(status=Status.ACCEPTED, request_type="attribution", remedy="remove_article")

    with pytest.raises(Exception, match="Legal"):
        apply_action(takedown, actor=eddie, change=ArticleChange(outcome="removed_article", confirm_removal=True))
    assert Article.objects.filter(status="removed").count() == 0


def test_a_correction_keeps_the_old_text_and_adds_a_public_note(make_request, article, eddie, client):
    takedown = make_request(status=Status.ACCEPTED, request_type="factual_correction", remedy="change_passage")

    apply_action(
        takedown,
        actor=eddie,
        change=ArticleChange(
            outcome="text_corrected", body="The cranes came back on Tuesday.", correction_note="We had the day wrong."
        ),
    )

    article.refresh_from_db()
    assert article.body == "The cranes came back on Tuesday."
    assert _sources(article) == ["https://harbourgazette.example/cranes", "https://wire.example/cranes"]
    revision = ArticleRevision.objects.get(article=article, request=takedown)
    assert (revision.body, revision.reason, revision.actor) == (
        "The cranes came back on Monday.",
        "before_action",
        eddie,
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "We had the day wrong." in page and "on Tuesday" in page
    assert RequestEvent.objects.filter(request=takedown, kind="action").exists()


def test_an_attribution_change_goes_through_the_import_service(make_request, article, eddie):
    takedown = make_request(status=Status.ACCEPTED)

    apply_action(
        takedown,
        actor=eddie,
        change=ArticleChange(
            outcome="attribution_changed",
            sources=["https://harbourgazette.example/cranes-original", "https://wire.example/cranes"],
        ),
    )

    article.refresh_from_db()
    assert _sources(article) == ["https://harbourgazette.example/cranes-original", "https://wire.example/cranes"]
    assert article.citations.get(position=1).source_url.host == "harbourgazette.example"
    assert TakedownRequest.objects.get(pk=takedown.pk).outcome == "attribution_changed"


def test_a_bad_change_is_refused_and_nothing_is_half_saved(make_request, article, eddie):
    takedown = make_request(status=Status.ACCEPTED, request_type="factual_correction", remedy="change_passage")

    with pytest.raises(ValidationError) as raised:
        apply_action(takedown, actor=eddie, change=ArticleChange(outcome="text_corrected", body="   "))

    assert "body" in raised.value.message_dict
    assert TakedownRequest.objects.get(pk=takedown.pk).status == Status.ACCEPTED
    assert not ArticleRevision.objects.exists()


def test_an_article_outside_the_request_cannot_be_changed(make_request, eddie):
    from tests.attribution.factories import ArticleFactory

    takedown = make_request(status=Status.ACCEPTED, request_type="factual_correction", remedy="change_passage")
    other = ArticleFactory()

    with pytest.raises(ValidationError) as raised:
        apply_action(takedown, actor=eddie, change=ArticleChange(outcome="text_corrected", body="New.", article=other))
    assert list(raised.value.message_dict) == ["article"]


def test_reinstating_a_removal_brings_the_article_back(removal, article, lena, client):
    apply_action(removal, actor=lena, change=ArticleChange(outcome="removed_article", confirm_removal=True))

    reinstate_request(TakedownRequest.objects.get(pk=removal.pk), actor=lena, note="Counter-notice accepted.")

    assert client.get(article.get_absolute_url()).status_code == 200
    assert Article.objects.get(pk=article.pk).status == "published"
    assert ArticleRevision.objects.filter(article=article, reason="before_reinstatement", status="removed").exists()
    assert TakedownRequest.objects.get(pk=removal.pk).status == Status.REINSTATED


def test_reinstating_a_correction_restores_the_text_sources_and_retracts_the_note(make_request, article, eddie, lena):
    takedown = make_request(status=Status.ACCEPTED, request_type="factual_correction", remedy="change_passage")
    apply_action(
        takedown,
        actor=eddie,
        change=ArticleChange(outcome="text_corrected", headline="Cranes return", body="Changed.", correction_note="x"),
    )
    apply_action(
        make_request(status=Status.ACCEPTED),
        actor=eddie,
        change=ArticleChange(outcome="link_updated", sources=["https://other.example/"]),
    )
    assert Article.objects.get(pk=article.pk).headline == "Cranes return"

    reinstate_request(TakedownRequest.objects.get(pk=takedown.pk), actor=lena)

    article.refresh_from_db()
    assert (article.headline, article.body) == ("Harbour cranes return", "The cranes came back on Monday.")
    assert _sources(article) == ["https://harbourgazette.example/cranes", "https://wire.example/cranes"]
    assert CorrectionNote.objects.get(request_number=takedown.pk).retracted_at is not None


def test_the_article_page_query_count_does_not_grow_with_corrections(make_request, article, eddie, client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(captured)

    CorrectionNote.objects.create(article=article, text="First fix.")
    one = queries()
    for n in range(5):
        CorrectionNote.objects.create(article=article, text=f"Fix {n}.")

    assert queries() == one
