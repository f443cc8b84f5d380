"""What the request form and status page tell people (issue 13): required marks, which requests need which
fields, the error summary, the rate-limit page that keeps what was typed, unknown article names, and the
question a needs-info request waits on."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from takedowns.conditional import NEEDED_FOR
from takedowns.forms import RequestForm
from takedowns.models import RequestEvent, TakedownRequest
from tests.takedowns.factories import TakedownRequestFactory, copyright_data, form_data

pytestmark = pytest.mark.django_db


def tag(html: str, element_id: str) -> str:
    match = re.search(rf'<(?:input|textarea|select)[^>]*id="{element_id}"[^>]*>', html)
    assert match, element_id
    return match.group(0)


def test_always_required_fields_are_marked_for_eyes_and_screen_readers(client, article):
    html = client.get("/requests/new/?article=harbour-cranes").content.decode()

    for name in ("articles", "requester_name", "requester_email", "requester_country", "signature"):
        control = tag(html, f"id_{name}")
        assert " required" in control and 'aria-required="true"' in control, control
        assert re.search(rf'<label for="id_{name}" class="cw-is-required">', html), name
    assert '<legend class="cw-is-required">What is your request about?</legend>' in html
    assert "Fields marked" in html and "are required" in html
    # The optional ones are not.
    assert "required" not in tag(html, "id_organisation")


def test_conditional_fields_say_which_requests_need_them_and_are_not_required_up_front(client, article):
    html = client.get("/requests/new/?article=harbour-cranes").content.decode()

    for name in NEEDED_FOR:
        control = tag(html, f"id_{name}")
        assert "required" not in control, control
        assert re.search(r'data-cw-(types|remedies|relationships)="', control), control
    assert "Needed for: Copyright or republication; Attribution or source correction; Update a link." in html
    assert "Needed for: Factual correction; Privacy; Other." in html
    assert "Copyright requests need a phone number or a postal address." in html
    assert 'src="/static/takedowns-form.js"' in html


def test_after_a_failed_submit_the_fields_the_type_needs_are_marked_required(submit, article):
    response = submit(copyright_data(article, original_work_description="", requester_name=""))

    html = response.content.decode()
    assert response.status_code == 400
    assert 'aria-required="true"' in tag(html, "id_original_work_description")
    assert 'aria-required="true"' in tag(html, "id_statement_perjury")
    # One of phone or postal address: neither is required on its own.
    assert "aria-required" not in tag(html, "id_requester_postal_address")
    assert "aria-required" not in tag(html, "id_details")


@pytest.mark.parametrize("name", sorted(NEEDED_FOR))
def test_the_table_of_conditional_fields_agrees_with_the_form_rules(article, name):
    """Each choice the table names makes its field required in clean(), so the page never promises wrongly."""
    rule = NEEDED_FOR[name]
    choices = [("request_type", v) for v in rule.get("types", [])]
    choices += [("remedy", v) for v in rule.get("remedies", [])]
    choices += [("relationship", v) for v in rule.get("relationships", [])]
    for field, value in choices:
        data = copyright_data(article, **{field: value})
        data.pop(name, None)
        if rule.get("either"):
            data.pop("requester_phone", None)
            data.pop("requester_postal_address", None)
        errors = RequestForm(data).errors
        failed = "requester_phone" if rule.get("either") else name
        assert failed in errors, (name, field, value)


def test_the_error_summary_counts_links_and_takes_focus(submit, article):
    response = submit(
        form_data(article, requester_email="not-an-email", signature="Someone Else", requester_country=None)
    )

    html = response.content.decode()
    assert response.status_code == 400
    summary = re.search(r'<div class="cw-error-summary" id="form-errors"[^>]*>(.*?)</div>', html, re.S)
    assert summary, html
    assert 'tabindex="-1"' in summary.group(0) and 'role="alert"' in summary.group(0)
    assert "There are 3 problems with your request" in summary.group(1)
    links = re.findall(r'<a href="#(id_\w+)">', summary.group(1))
    assert sorted(links) == ["id_requester_country", "id_requester_email", "id_signature"]
    for element_id in links:
        assert f'id="{element_id}"' in html
    assert "<title>Error: Request a change or removal" in html


def test_show_sources_reports_names_that_are_not_our_articles(client, article):
    response = client.post("/requests/new/", {"articles": "harbour-cranes\nno-such-story", "show_sources": "1"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Not one of our published articles: no-such-story." in html
    assert "1/ https://abcnews.go.com/story/cranes" in html  # the known one still lists its sources
    assert not TakedownRequest.objects.exists()


def test_show_sources_keeps_every_source_ticked(client, article):
    ids = [str(c.pk) for c in article.citations.order_by("position")]
    response = client.post("/requests/new/", {"articles": "harbour-cranes", "citations": ids, "show_sources": "1"})

    html = response.content.decode()
    assert all(re.search(rf'value="{pk}"[^>]*checked', html) for pk in ids)
    assert "Not one of our published articles" not in html


def test_past_the_hourly_limit_the_form_comes_back_with_everything_typed(submit, article, settings):
    settings.TAKEDOWNS_RATE_PER_IP_PER_HOUR = 1
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert submit(form_data(article)).status_code == 302
        citation = article.citations.get(position=2)
        response = submit(
            copyright_data(
                article,
                requester_name="Rita Rights",
                requester_email="second@harbourgazette.example",
                original_work_description="Photo essay, second try",
                citations=[citation.pk],
            )
        )

    html = response.content.decode()
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "limit of 1 submission an hour" in html
    assert (start + dt.timedelta(hours=1)).strftime("%H:%M") in html
    assert 'value="second@harbourgazette.example"' in html
    assert "Photo essay, second try</textarea>" in html
    assert 'value="copyright"' in html and re.search(r'value="copyright"[^>]*checked', html)
    assert re.search(rf'value="{citation.pk}"[^>]*checked', html)
    assert "errorlist" not in html  # the limit is the only message: the fields were not judged
    assert TakedownRequest.objects.count() == 1


def test_a_needs_info_request_shows_the_question_the_reply_box_and_the_closing_date(client, settings):
    settings.TAKEDOWNS_NEEDS_INFO_WITHDRAW_DAYS = 14
    takedown = TakedownRequestFactory(status=TakedownRequest.Status.NEEDS_INFO)
    asked_at = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 30))
    with time_machine.travel(asked_at, tick=False):
        RequestEvent.objects.create(
            request=takedown,
            actor_label="staff",
            kind="status_changed",
            from_status="in_review",
            to_status="needs_info",
            note="Which paragraph of the article copies your photo caption?",
            visible_to_requester=True,
        )

    html = client.get(takedown.get_absolute_url()).content.decode()
    ask = re.search(r'<section class="cw-ask".*?</section>', html, re.S)
    assert ask, html
    assert "We need your reply" in ask.group(0)
    assert "Which paragraph of the article copies your photo caption?" in ask.group(0)
    assert "Please reply by 16 March 2026, 09:30." in ask.group(0)
    assert "within 14 days of asking, the request is closed as withdrawn" in ask.group(0)
    assert f'action="/requests/{takedown.token}/messages/"' in ask.group(0)
    assert html.count('name="body"') == 1  # one reply box, in the question's box


def test_other_open_states_have_no_question_box(client):
    takedown = TakedownRequestFactory(status=TakedownRequest.Status.IN_REVIEW)

    html = client.get(takedown.get_absolute_url()).content.decode()
    assert "cw-ask" not in html
    assert html.count('name="body"') == 1


def test_past_the_message_limit_the_status_page_keeps_the_message(client, settings):
    settings.TAKEDOWNS_MESSAGES_PER_HOUR = 1
    takedown = TakedownRequestFactory(status=TakedownRequest.Status.IN_REVIEW)
    assert client.post(f"/requests/{takedown.token}/messages/", {"body": "first"}).status_code == 302

    response = client.post(f"/requests/{takedown.token}/messages/", {"body": "Here is the caption we mean."})

    html = response.content.decode()
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "limit of 1 message an hour" in html
    assert "Here is the caption we mean.</textarea>" in html
    assert 'id="form-errors"' in html and 'tabindex="-1"' in html


def test_the_closing_date_shown_is_when_the_silence_job_closes_the_request(client, settings):
    from takedowns.workflow.jobs import withdraw_silent_requests

    settings.TAKEDOWNS_NEEDS_INFO_WITHDRAW_DAYS = 3
    takedown = TakedownRequestFactory(status=TakedownRequest.Status.NEEDS_INFO)
    RequestEvent.objects.create(
        request=takedown, actor_label="staff", kind="status_changed", to_status="needs_info", note="Which one?"
    )
    closes_at = client.get(takedown.get_absolute_url()).context["closes_at"]
    shown = re.search(r"Please reply by ([^.]+)\.", client.get(takedown.get_absolute_url()).content.decode()).group(1)
    assert shown == timezone.localtime(closes_at).strftime("%-d %B %Y, %H:%M")

    assert withdraw_silent_requests(now=closes_at - dt.timedelta(minutes=1)) == 0
    assert withdraw_silent_requests(now=closes_at + dt.timedelta(minutes=1)) == 1
    takedown.refresh_from_db()
    assert takedown.status == TakedownRequest.Status.WITHDRAWN
