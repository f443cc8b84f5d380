"""Every field rule of the public form: messages beside the field, what was typed kept, nothing half-saved."""

import pytest

from takedowns.models import TakedownRequest
from tests.attribution.factories import ArticleFactory
from tests.takedowns.factories import copyright_data, form_data

pytestmark = pytest.mark.django_db


def errors_of(response) -> dict:
    return {name: [str(e) for e in errors] for name, errors in response.context["form"].errors.items()}


def test_it_arrives_prefilled_from_the_article_link_with_its_sources(client, article):
    response = client.get("/requests/new/?article=harbour-cranes")

    html = response.content.decode()
    assert response.status_code == 200
    assert "harbour-cranes</textarea>" in html
    assert "1/ https://abcnews.go.com/story/cranes" in html
    assert 'name="website"' in html  # the honeypot is there, hidden by CSS


def test_a_valid_request_is_saved_pending_verification(submit, article, mailoutbox):
    response = submit(form_data(article, citations=[article.citations.get(position=1).pk]))

    assert response.status_code == 302 and response["Location"] == "/requests/sent/"
    takedown = TakedownRequest.objects.get()
    assert takedown.status == "pending_verification"
    assert list(takedown.articles.all()) == [article]
    assert [c.position for c in takedown.request_citations.all()] == [1]
    assert takedown.requester_email == "rita@harbourgazette.example"
    assert "good-faith belief" in takedown.statements_text
    assert len(mailoutbox) == 1


def test_articles_are_accepted_by_address_or_slug(submit, article):
    other = ArticleFactory(slug="library-hours")

    submit(form_data(article, articles="http://127.0.0.1:8000/articles/harbour-cranes/\nlibrary-hours"))

    assert set(TakedownRequest.objects.get().articles.all()) == {article, other}


@pytest.mark.parametrize("reference", ["no-such-article", "unpublished-one", "removed-one"])
def test_it_refuses_articles_that_are_not_published(submit, article, reference):
    ArticleFactory(slug="unpublished-one", unpublished=True)
    ArticleFactory(slug="removed-one", removed=True)

    response = submit(form_data(article, articles=reference))

    assert response.status_code == 400
    assert reference in errors_of(response)["articles"][0]
    assert not TakedownRequest.objects.exists()


def test_cited_sources_must_come_from_the_named_article(submit, article):
    stranger = ArticleFactory(slug="other-story")
    from tests.attribution.factories import CitationFactory

    foreign = CitationFactory(article=stranger, position=1)

    response = submit(form_data(article, citations=[foreign.pk]))

    assert response.status_code == 400
    assert "citations" in errors_of(response)


@pytest.mark.parametrize(
    "field",
    [
        "request_type",
        "articles",
        "relationship",
        "requester_name",
        "requester_email",
        "requester_country",
        "remedy",
        "signature",
        "statement_good_faith",
        "statement_accuracy",
    ],
)
def test_required_fields_are_reported_beside_the_field(submit, article, field):
    response = submit(form_data(article, **{field: None}))

    assert response.status_code == 400
    assert field in errors_of(response)
    # Django renders the message right before the input, tied to it by aria-describedby.
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error">' in html
    assert (
        f'id_{field}_error"' in html.split(f'name="{field}"')[1].split(">")[0]
        or f'aria-describedby="id_{field}_error"' in html
    )


def test_a_rejected_submission_keeps_what_was_typed(submit, article):
    response = submit(form_data(article, requester_email="not-an-email", details="Keep <this> text"))

    html = response.content.decode()
    assert "requester_email" in errors_of(response)
    assert 'value="Harbour Gazette"' in html
    assert "Keep &lt;this&gt; text</textarea>" in html


def test_copyright_needs_the_perjury_statement(submit, article):
    response = submit(copyright_data(article, statement_perjury=None))
    assert "statement_perjury" in errors_of(response)


def test_copyright_wording_is_stronger():
    from takedowns.forms import PERJURY

    assert "under penalty of perjury" in str(PERJURY)


def test_copyright_needs_a_phone_or_postal_address(submit, article):
    response = submit(copyright_data(article, requester_phone=None))
    assert "phone number or a postal address" in errors_of(response)["requester_phone"][0]

    with_address = submit(copyright_data(article, requester_phone=None, requester_postal_address="1 Quay St, Cork"))
    assert with_address.status_code == 302


def test_copyright_records_all_statements_agreed(submit, article):
    submit(copyright_data(article, consent_to_publication="on"))

    takedown = TakedownRequest.objects.get()
    assert takedown.statement_perjury and takedown.consent_to_publication
    assert "under penalty of perjury" in takedown.statements_text


@pytest.mark.parametrize("request_type", ["copyright", "attribution"])
def test_copyright_and_attribution_need_the_original_work(submit, article, request_type):
    data = copyright_data(article) if request_type == "copyright" else form_data(article)
    data.pop("original_work_url")
    assert "original_work_url" in errors_of(submit(data))


@pytest.mark.parametrize("request_type", ["factual_correction", "privacy", "other"])
def test_other_types_need_an_explanation(submit, article, request_type):
    response = submit(form_data(article, request_type=request_type, details=None))
    assert "details" in errors_of(response)


def test_changing_a_passage_needs_the_passage_and_the_proposed_text(submit, article):
    errors = errors_of(submit(form_data(article, remedy="change_passage")))
    assert {"passage", "proposed_text"} <= set(errors)


def test_updating_a_link_needs_the_correct_link(submit, article):
    response = submit(form_data(article, remedy="update_link", original_work_url=None))
    assert "original_work_url" in errors_of(response)


def test_an_agent_must_say_whom_they_act_for(submit, article):
    assert "acting_for" in errors_of(submit(form_data(article, relationship="authorised_agent")))
    assert (
        submit(form_data(article, relationship="authorised_agent", acting_for="Harbour Gazette Ltd")).status_code == 302
    )


def test_the_signature_must_be_the_name_typed_above(submit, article):
    assert "signature" in errors_of(submit(form_data(article, signature="Someone Else")))
    assert submit(form_data(article, signature="  rita   RIGHTS ")).status_code == 302


def test_a_phone_number_must_look_like_one(submit, article):
    assert "requester_phone" in errors_of(submit(form_data(article, requester_phone="call me maybe")))


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("requester_name", 200),
        ("organisation", 200),
        ("requester_country", 100),
        ("details", 20000),
        ("passage", 20000),
    ],
)
def test_every_field_has_a_maximum_length(submit, article, field, limit):
    data = form_data(article, **{field: "x" * (limit + 1)})
    if field == "requester_name":
        data["signature"] = data[field]
    assert field in errors_of(submit(data))


def test_the_honeypot_looks_like_success_but_saves_and_sends_nothing(submit, article, mailoutbox):
    response = submit(form_data(article, website="http://spam.example"))

    assert response.status_code == 302 and response["Location"] == "/requests/sent/"
    assert not TakedownRequest.objects.exists()
    assert mailoutbox == []


def test_show_sources_lists_the_sources_of_the_articles_typed_without_validating(client, article):
    response = client.post("/requests/new/", {"articles": "harbour-cranes", "show_sources": "1"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "2/ https://other.example/report" in html
    assert "errorlist" not in html
    assert not TakedownRequest.objects.exists()


def test_csrf_is_enforced(article):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/requests/new/", form_data(article))
    assert response.status_code == 403
