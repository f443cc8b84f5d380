"""The admin for daily work: the start page, the default queue, recent actions, messages, dates, branding,
a reinstated request's header, and the transparency report's removal count."""

import datetime as dt
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from takedowns.models import TakedownRequest
from tests.linkcheck.factories import DeadSourceFactory, OkSourceFactory

Status = TakedownRequest.Status
QUEUE = "/admin/takedowns/takedownrequest/"
pytestmark = pytest.mark.django_db


def numbers(html, *requests):
    return {t.pk for t in requests if f">#{t.pk}<" in html}


def count_linked(html, css_class):
    """The count in the start page row whose link has ``css_class``, and where that link goes."""
    match = re.search(rf'<a class="{css_class}" href="([^"]+)">.*?</a></th><td class="[\w-]+">(?:<strong>)?(\d+)', html)
    assert match, css_class
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


def test_the_start_page_counts_what_needs_doing_and_links_to_each_list(client, eddie, erin, make_request):
    now = timezone.now()
    new = make_request(status=Status.SUBMITTED)
    late = make_request(status=Status.SUBMITTED, first_response_due_at=now - dt.timedelta(days=1))
    mine = make_request(status=Status.IN_REVIEW, assignee=eddie, first_response_at=now)
    theirs = make_request(status=Status.IN_REVIEW, assignee=erin, first_response_at=now)
    unconfirmed = make_request(status=Status.PENDING_VERIFICATION)
    everything = (new, late, mine, theirs, unconfirmed)
    DeadSourceFactory(became_dead_at=now - dt.timedelta(days=1))
    DeadSourceFactory(became_dead_at=now - dt.timedelta(days=20))
    OkSourceFactory(status="redirected", became_redirected_at=now - dt.timedelta(days=2))
    client.force_login(eddie)

    html = client.get("/admin/").content.decode()

    expected = {"cw-new": {new, late}, "cw-overdue-link": {late}, "cw-mine": {mine}}
    for css_class, shown in expected.items():
        count, link = count_linked(html, css_class)
        assert count == len(shown)
        assert numbers(client.get(link).content.decode(), *everything) == {t.pk for t in shown}, css_class
    for css_class in ("cw-dead", "cw-moved"):
        count, link = count_linked(html, css_class)
        assert count == 1
        assert client.get(link).content.decode().count('class="action-select"') == 1, css_class


def test_the_default_queue_hides_requests_waiting_for_email_confirmation(client, eddie, make_request):
    confirmed = make_request(status=Status.SUBMITTED)
    unconfirmed = make_request(status=Status.PENDING_VERIFICATION)
    client.force_login(eddie)

    default = client.get(QUEUE).content.decode()
    waiting = client.get(QUEUE, {"status": "pending_verification"}).content.decode()
    any_status = client.get(QUEUE, {"status": "any"}).content.decode()

    assert numbers(default, confirmed, unconfirmed) == {confirmed.pk}
    assert "Confirmed (default)" in default
    assert numbers(waiting, confirmed, unconfirmed) == {unconfirmed.pk}
    assert numbers(any_status, confirmed, unconfirmed) == {confirmed.pk, unconfirmed.pk}
    found = client.get(QUEUE, {"q": unconfirmed.token}).content.decode()  # looked up by its status token
    assert numbers(found, confirmed, unconfirmed) == {unconfirmed.pk}


def test_workflow_actions_appear_in_recent_actions(client, eddie, make_request):
    takedown = make_request(status=Status.SUBMITTED)
    other = make_request(status=Status.SUBMITTED)
    client.force_login(eddie)

    client.post(f"{QUEUE}{takedown.pk}/transition/", {"action": "take", "note": "On it."})
    client.post(QUEUE, {"action": "mark_as_spam", "_selected_action": [other.pk]})

    entries = LogEntry.objects.filter(user=eddie).order_by("id")
    assert [(e.object_id, e.get_change_message()) for e in entries] == [
        (str(takedown.pk), "Done: Take (assign to me)."),
        (str(other.pk), "Marked as spam"),
    ]
    index = client.get("/admin/").content.decode()
    assert f"Request #{takedown.pk}" in index or str(takedown) in index
    assert f"{QUEUE}{takedown.pk}/change/" in index  # the box links to the request


def test_bulk_messages_agree_in_number(client, eddie, make_request):
    one, two = make_request(status=Status.SUBMITTED), make_request(status=Status.SUBMITTED)
    client.force_login(eddie)

    single = client.post(QUEUE, {"action": "assign_to_me", "_selected_action": [one.pk]}, follow=True)
    both = client.post(QUEUE, {"action": "mark_as_spam", "_selected_action": [one.pk, two.pk]}, follow=True)

    assert "1 request assigned to you." in single.content.decode()
    assert "2 requests marked as spam." in both.content.decode()


def test_queue_dates_are_relative_with_the_exact_time_on_hover(client, eddie, make_request):
    now = timezone.now()
    make_request(status=Status.SUBMITTED, first_response_due_at=now + dt.timedelta(days=3, hours=1))
    client.force_login(eddie)

    html = client.get(QUEUE).content.decode()

    assert ">in 3\xa0days</time>" in html
    assert re.search(r'<time datetime="[^"]+" title="\d+ \w{3} \d{4}, \d\d:\d\d UTC">just now</time>', html)
    assert str(now.date()) not in re.sub(r'datetime="[^"]+"', "", html)  # no bare 2026-12-11 left


def test_the_admin_is_branded_citewatch(client, eddie):
    client.force_login(eddie)
    html = client.get("/admin/").content.decode()
    assert "Django administration" not in html and "Django site admin" not in html
    assert "<title>What needs doing | Citewatch</title>" in html


def test_a_reinstated_request_says_what_it_undid(client, lena, make_request):
    takedown = make_request(status=Status.REINSTATED, outcome="removed_article")
    client.force_login(lena)
    html = client.get(f"{QUEUE}{takedown.pk}/change/").content.decode()
    assert "Reinstated</span>" in html and "(undoes: Article removed)" in html
    assert "· Article removed" not in html


def test_the_transparency_report_counts_a_reinstated_removal_as_reinstated(client, make_request):
    at = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
    make_request(
        request_type="copyright",
        status=Status.REINSTATED,
        outcome="removed_article",
        submitted_at=at,
        decided_at=at,
        closed_at=at,
    )

    html = client.get("/transparency/").content.decode()
    row = re.search(r'<tr data-month="2026-03">(.*?)</tr>', html).group(1)
    cells = [int(n) for n in re.findall(r"<td>(\d+)</td>", row)]
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)  # types, then results

    assert 'class="cw-removed-count">0<' in html  # the article is back on the site
    assert dict(zip(headers, cells, strict=True))["Article removed"] == 0
    assert dict(zip(headers, cells, strict=True))["Reinstated"] == 1


def test_a_new_tokens_expiry_is_in_the_same_date_format(client, eddie):
    client.force_login(eddie)
    response = client.post(
        "/admin/attribution/apitoken/add/", {"owner": eddie.pk, "name": "newsletter script", "days": "30"}
    )
    assert re.search(
        r'It expires <time datetime="[^"]+" title="\d+ \w{3} \d{4}, \d\d:\d\d UTC">in 4\xa0weeks</time>\.',
        response.content.decode(),
    )
