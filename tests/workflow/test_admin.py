"""The triage admin: queue, filters, bulk actions, the request page and its buttons, permissions, query counts."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from takedowns.models import Message, RequestEvent, TakedownRequest
from tests.attribution.factories import ArticleFactory, CitationFactory, SourceURLFactory
from tests.takedowns.factories import TakedownRequestFactory
from tests.workflow.helpers import perform

Status = TakedownRequest.Status
pytestmark = pytest.mark.django_db
QUEUE = "/admin/takedowns/takedownrequest/"
SCRIPT = "<script>alert('x')</script>"


def page_url(takedown, suffix="change/"):
    return f"{QUEUE}{takedown.pk}/{suffix}"


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queue_shows_what_triage_needs(client, eddie, make_request):
    now = timezone.now()
    late = make_request(
        status=Status.SUBMITTED,
        organisation="Harbour Gazette",
        domain_match=True,
        first_response_due_at=now - dt.timedelta(days=1),
    )
    client.force_login(eddie)

    html = client.get(QUEUE).content.decode()

    assert f"#{late.pk}" in html and "Harbour Gazette" in html and "Harbour cranes return" in html
    assert "cw-overdue" in html and "overdue" in html


def test_filters_overdue_mine_status_and_publisher(client, eddie, erin, make_request, article):
    now = timezone.now()
    overdue = make_request(status=Status.SUBMITTED, first_response_due_at=now - dt.timedelta(hours=1))
    mine = make_request(
        status=Status.IN_REVIEW, assignee=eddie, first_response_at=now, decision_due_at=now + dt.timedelta(days=9)
    )
    theirs = make_request(status=Status.IN_REVIEW, assignee=erin, first_response_at=now)
    closed = make_request(status=Status.REJECTED)
    gazette = make_request(status=Status.SUBMITTED, domain_match=True, domain_match_host="harbourgazette.example")
    client.force_login(eddie)

    def numbers(query):
        html = client.get(QUEUE + query).content.decode()
        return {t.pk for t in (overdue, mine, theirs, closed, gazette) if f">#{t.pk}<" in html}

    assert numbers("?overdue=yes") == {overdue.pk}
    assert numbers("?assigned=me") == {mine.pk}
    assert numbers("?status=open") == {overdue.pk, mine.pk, theirs.pk, gazette.pk}
    assert numbers("?status=rejected") == {closed.pk}
    assert numbers("?publisher=harbourgazette.example") == {gazette.pk}
    assert numbers("?q=Harbour+cranes") == {overdue.pk, mine.pk, theirs.pk, closed.pk, gazette.pk}
    assert numbers(f"?q={gazette.token}") == {gazette.pk}


def test_bulk_assign_to_me_and_mark_as_spam(client, eddie, make_request):
    fresh = make_request(status=Status.SUBMITTED)
    done = make_request(status=Status.REJECTED)
    client.force_login(eddie)

    client.post(QUEUE, {"action": "assign_to_me", "_selected_action": [fresh.pk, done.pk]})
    assert TakedownRequest.objects.get(pk=fresh.pk).assignee == eddie
    assert TakedownRequest.objects.get(pk=done.pk).assignee is None

    response = client.post(QUEUE, {"action": "mark_as_spam", "_selected_action": [fresh.pk]}, follow=True)
    assert TakedownRequest.objects.get(pk=fresh.pk).status == Status.SPAM
    assert "1 request marked as spam." in response.content.decode()


def test_staff_outside_the_groups_see_nothing(client, stan, make_request):
    takedown = make_request(status=Status.SUBMITTED)
    client.force_login(stan)

    assert client.get(QUEUE).status_code == 403
    assert client.get(page_url(takedown)).status_code == 403
    response = client.post(page_url(takedown, "transition/"), {"action": "spam"})
    assert response.status_code == 403
    assert "Requests" not in client.get("/admin/").content.decode()
    assert TakedownRequest.objects.get(pk=takedown.pk).status == Status.SUBMITTED


def test_the_request_page_shows_timeline_preview_files_and_this_users_buttons(client, eddie, lena, make_request):
    takedown = make_request(status=Status.IN_REVIEW, request_type="copyright", requester_email="rita@gazette.example")
    takedown.messages.create(direction="from_requester", body="See paragraph two")
    RequestEvent.objects.create(
        request=takedown, kind="message", actor_label="requester", message=takedown.messages.get()
    )
    client.force_login(eddie)

    html = client.get(page_url(takedown)).content.decode()

    assert "See paragraph two" in html and "rita@gazette.example" in html
    assert "https://wire.example/cranes" in html and 'data-status="unchecked"' in html
    assert 'data-action="ask_for_information"' in html and 'data-action="spam"' in html
    assert 'data-action="accept"' not in html and 'data-action="reject"' not in html  # a copyright decision is Legal's
    client.force_login(lena)
    assert 'data-action="accept"' in client.get(page_url(takedown)).content.decode()


def test_contact_details_only_for_the_groups(client, django_user_model, make_request):
    from django.contrib.auth.models import Permission

    takedown = make_request(status=Status.SUBMITTED, requester_email="rita@gazette.example")
    viewer = django_user_model.objects.create_user("vera-viewer", password="pw-vera-1", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_takedownrequest"))
    client.force_login(viewer)

    html = client.get(page_url(takedown)).content.decode()

    assert "rita@gazette.example" not in html and "Attachments" not in html and "data-action" not in html


def test_a_button_runs_the_transition_and_a_refusal_shows_the_reason(client, eddie, erin, make_request):
    takedown = make_request(status=Status.SUBMITTED)
    client.force_login(eddie)

    client.post(page_url(takedown, "transition/"), {"action": "take", "note": "On it.", "internal_note": "mine"})
    assert TakedownRequest.objects.get(pk=takedown.pk).assignee == eddie

    client.force_login(erin)
    response = client.post(page_url(takedown, "transition/"), {"action": "accept", "note": ""}, follow=True)
    assert TakedownRequest.objects.get(pk=takedown.pk).status == Status.ACCEPTED
    response = client.post(page_url(takedown, "transition/"), {"action": "accept"}, follow=True)
    assert "cannot move" in response.content.decode()
    response = client.post(
        page_url(takedown, "transition/"), {"action": "apply", "outcome": "link_updated"}, follow=True
    )
    assert "Give the updated source list" in response.content.decode()
    assert TakedownRequest.objects.get(pk=takedown.pk).status == Status.ACCEPTED


def test_reply_to_requester_from_the_page(client, eddie, make_request, on_commit, mailoutbox):
    takedown = make_request(status=Status.IN_REVIEW)
    client.force_login(eddie)

    with on_commit:
        client.post(page_url(takedown, "reply/"), {"body": "Thank you, we are checking the dates."})

    assert Message.objects.get(request=takedown, direction="to_requester").author == eddie
    assert "checking the dates" in mailoutbox[0].body


def test_requester_text_is_escaped_everywhere(client, eddie, make_request):
    takedown = make_request(status=Status.SUBMITTED, requester_name=SCRIPT, organisation=SCRIPT, details=SCRIPT)
    client.force_login(eddie)

    for html in (client.get(QUEUE).content.decode(), client.get(page_url(takedown)).content.decode()):
        assert SCRIPT not in html


def _fill(count, article):
    for n in range(count):
        takedown = TakedownRequestFactory(articles=[article], status=Status.SUBMITTED, assignee=None)
        for _ in range(3):
            RequestEvent.objects.create(request=takedown, kind="note", actor_label="system", note=f"n{n}")


def test_queue_and_request_page_queries_do_not_grow_with_data(client, eddie, make_request, article):
    takedown = make_request(status=Status.IN_REVIEW)
    _fill(3, article)
    client.force_login(eddie)
    queue_few, page_few = _queries(client, QUEUE + "?status=open"), _queries(client, page_url(takedown))

    _fill(40, ArticleFactory())
    for position in range(3, 12):
        CitationFactory(article=article, position=position, source_url=SourceURLFactory())
    for _ in range(30):
        RequestEvent.objects.create(request=takedown, kind="note", actor_label="system", note="more")

    assert _queries(client, QUEUE + "?status=open") == queue_few
    assert _queries(client, page_url(takedown)) == page_few


def test_the_admin_index_counts_open_and_overdue_requests_and_new_dead_links(client, eddie, make_request):
    now = timezone.now()
    make_request(status=Status.SUBMITTED, first_response_due_at=now - dt.timedelta(days=2))
    make_request(status=Status.IN_REVIEW)
    SourceURLFactory(status="dead", became_dead_at=now - dt.timedelta(days=1))
    SourceURLFactory(status="dead", became_dead_at=now - dt.timedelta(days=30))
    client.force_login(eddie)

    html = client.get("/admin/").content.decode()

    assert 'cw-open-count">2<' in html
    assert '<td class="cw-overdue-count"><strong>1</strong></td>' in html  # red via the admin stylesheet
    assert 'cw-dead-count">1<' in html


def test_overdue_is_judged_by_the_clock(client, eddie, make_request):
    with time_machine.travel(dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC), tick=False):
        takedown = make_request(status=Status.SUBMITTED)
        from takedowns.workflow.sla import due_dates

        TakedownRequest.objects.filter(pk=takedown.pk).update(**due_dates(timezone.now()))
    client.force_login(eddie)
    with time_machine.travel(dt.datetime(2026, 5, 3, 9, tzinfo=dt.UTC), tick=False):
        assert f">#{takedown.pk}<" not in client.get(QUEUE + "?overdue=yes").content.decode()
    with time_machine.travel(dt.datetime(2026, 5, 4, 10, tzinfo=dt.UTC), tick=False):
        assert f">#{takedown.pk}<" in client.get(QUEUE + "?overdue=yes").content.decode()
        perform("take", TakedownRequest.objects.get(pk=takedown.pk), eddie)
        assert f">#{takedown.pk}<" not in client.get(QUEUE + "?overdue=yes").content.decode()
