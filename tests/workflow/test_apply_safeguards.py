"""Applying the action cannot go wrong by accident: no default outcome, only fitting outcomes, removal confirmed."""

import html
import itertools
import re

import pytest

from attribution.models import Article
from takedowns.models import ArticleRevision, RequestEvent, TakedownRequest
from takedowns.workflow.outcomes import offered_outcomes
from tests.workflow.helpers import perform

Status = TakedownRequest.Status
pytestmark = pytest.mark.django_db
HIDDEN = re.compile(r'<input type="hidden" name="([\w-]+)" value="([^"]*)">')


def transition_url(takedown):
    return f"/admin/takedowns/takedownrequest/{takedown.pk}/transition/"


def page_url(takedown):
    return f"/admin/takedowns/takedownrequest/{takedown.pk}/change/"


@pytest.fixture
def removal(make_request, lena):
    """A copyright removal request Lena has accepted."""
    takedown = make_request(status=Status.IN_REVIEW, request_type="copyright", remedy="remove_article")
    return perform("accept", takedown, lena)


def _unchanged(takedown, article, events_before):
    assert TakedownRequest.objects.get(pk=takedown.pk).status == Status.ACCEPTED
    assert TakedownRequest.objects.get(pk=takedown.pk).outcome == ""
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert not ArticleRevision.objects.exists()
    assert RequestEvent.objects.filter(request=takedown).count() == events_before


def test_apply_without_an_outcome_is_refused_in_the_admin(client, lena, removal, article):
    events = RequestEvent.objects.filter(request=removal).count()
    client.force_login(lena)

    response = client.post(transition_url(removal), {"action": "apply", "note": "Done."}, follow=True)

    assert "Apply needs an outcome" in response.content.decode()
    _unchanged(removal, article, events)


def test_removal_asks_for_confirmation_naming_the_article_then_removes(client, lena, removal, article):
    events = RequestEvent.objects.filter(request=removal).count()
    client.force_login(lena)

    asked = client.post(
        transition_url(removal),
        {"action": "apply", "outcome": "removed_article", "article": article.slug, "note": "Removed as asked."},
    )

    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Remove “Harbour cranes return”?" in page and "410 Gone" in page
    _unchanged(removal, article, events)

    replayed = {name: html.unescape(value) for name, value in HIDDEN.findall(page)}
    assert replayed["confirm_removal"] == "true" and replayed["note"] == "Removed as asked."
    client.post(transition_url(removal), replayed)

    assert Article.objects.get(pk=article.pk).status == Article.Status.REMOVED
    assert TakedownRequest.objects.get(pk=removal.pk).outcome == "removed_article"
    assert client.get(article.get_absolute_url()).status_code == 410


def test_the_apply_section_has_no_preselected_outcome_and_offers_only_fitting_ones(client, lena, eddie, make_request):
    removal = make_request(status=Status.ACCEPTED, request_type="copyright", remedy="remove_article")
    link = make_request(status=Status.ACCEPTED, request_type="attribution", remedy="update_link")
    client.force_login(lena)

    removal_page = client.get(page_url(removal)).content.decode()
    client.force_login(eddie)
    link_page = client.get(page_url(link)).content.decode()

    def outcomes(page):
        return re.findall(r'data-outcome="(\w+)"', page)

    assert outcomes(link_page) == ["attribution_changed", "link_updated", "no_action"]
    assert outcomes(removal_page) == [
        "removed_article",
        "removed_passage",
        "text_corrected",
        "attribution_changed",
        "no_action",
    ]
    for page in (removal_page, link_page):
        assert 'name="outcome" required' not in page and "<select" not in page.split('data-action="apply"')[1]
        assert "<details open" not in page


def test_each_outcome_form_shows_only_its_own_fields(client, eddie, make_request):
    takedown = make_request(status=Status.ACCEPTED, request_type="factual_correction", remedy="change_passage")
    client.force_login(eddie)

    page = client.get(page_url(takedown)).content.decode()

    sections = dict(re.findall(r'data-outcome="(\w+)">(.*?)</details>', page, re.S))
    assert 'name="body"' in sections["text_corrected"] and 'name="sources"' not in sections["text_corrected"]
    assert 'name="body"' not in sections["no_action"] and 'name="sources"' not in sections["no_action"]


def test_with_two_articles_each_form_carries_its_own_article_and_text(client, eddie, make_request, article):
    from tests.attribution.factories import ArticleFactory

    other = ArticleFactory(headline="Ferry timetable changes", body="Ferries leave at nine.")
    takedown = make_request(
        status=Status.ACCEPTED, request_type="factual_correction", remedy="change_passage", articles=[article, other]
    )
    client.force_login(eddie)

    page = client.get(page_url(takedown)).content.decode()
    section = dict(re.findall(r'data-outcome="(\w+)">(.*?)</details>', page, re.S))["text_corrected"]
    forms = re.findall(r'data-article="([\w-]+)">(.*?)</form>', section, re.S)
    assert [slug for slug, _form in forms] == [article.slug, other.slug]
    assert "Ferries leave at nine." in forms[1][1] and "The cranes came back" not in forms[1][1]

    fields = {name: html.unescape(value) for name, value in HIDDEN.findall(forms[1][1])}
    client.post(transition_url(takedown), {**fields, "body": "Ferries leave at ten.", "headline": other.headline})

    assert Article.objects.get(pk=other.pk).body == "Ferries leave at ten."
    assert Article.objects.get(pk=article.pk).body == "The cranes came back on Monday."


@pytest.mark.parametrize(
    ("request_type", "remedy"),
    list(itertools.product(TakedownRequest.RequestType.values, TakedownRequest.Remedy.values)),
)
def test_an_article_is_only_ever_removed_on_a_request_asking_for_removal(request_type, remedy):
    offered = offered_outcomes(TakedownRequest(request_type=request_type, remedy=remedy))

    assert ("removed_article" in offered) == (remedy == "remove_article")
    assert offered[-1] == "no_action" and len(offered) > 1


def test_the_api_refuses_apply_without_an_outcome(client, lena, removal, article):
    events = RequestEvent.objects.filter(request=removal).count()
    client.force_login(lena)

    response = client.post(transition_url_api(removal), {"action": "apply"}, content_type="application/json")

    assert response.status_code == 400 and list(response.json()) == ["outcome"]
    assert response.json()["outcome"] == ["Apply needs an outcome: say what was done."]
    _unchanged(removal, article, events)


def test_the_api_needs_confirm_removal_to_remove(client, lena, removal, article):
    events = RequestEvent.objects.filter(request=removal).count()
    client.force_login(lena)

    for confirm in ({}, {"confirm_removal": False}):
        body = {"action": "apply", "outcome": "removed_article", **confirm}
        response = client.post(transition_url_api(removal), body, content_type="application/json")
        assert response.status_code == 400 and list(response.json()) == ["confirm_removal"]
        assert "Harbour cranes return" in response.json()["confirm_removal"][0]
    _unchanged(removal, article, events)


def test_an_outcome_that_does_not_fit_the_request_is_a_400(client, lena, make_request, article):
    takedown = make_request(status=Status.ACCEPTED, request_type="attribution", remedy="update_link")
    client.force_login(lena)

    response = client.post(
        transition_url_api(takedown),
        {"action": "apply", "outcome": "removed_article", "confirm_removal": True},
        content_type="application/json",
    )

    assert response.status_code == 400 and "does not fit" in response.json()["outcome"][0]
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert TakedownRequest.objects.get(pk=takedown.pk).status == Status.ACCEPTED


def transition_url_api(takedown):
    return f"/api/requests/{takedown.pk}/transitions/"
