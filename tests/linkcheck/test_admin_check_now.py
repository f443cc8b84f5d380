"""The source admin for daily work: "Check now" from the list and the source page, truthful plural-aware
messages, Unicode hosts, one date format, and the "changed recently" filter the start page links to."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from attribution.linkcheck.admin import check_messages
from attribution.models import SourceURL
from tests.attribution.factories import SourceURLFactory
from tests.linkcheck.factories import DeadSourceFactory, DueSourceFactory, OkSourceFactory

CHANGELIST = "/admin/attribution/sourceurl/"


def page_of(source):
    return reverse("admin:attribution_sourceurl_change", args=[source.pk])


def check_url(source):
    return reverse("admin:attribution_sourceurl_check", args=[source.pk])


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_messages_are_plural_aware_and_say_what_happened():
    assert [text for _level, text in check_messages(checked=1, queued=0, busy=0)] == ["1 link checked."]
    assert [text for _level, text in check_messages(checked=2, queued=0, busy=0)] == ["2 links checked."]
    assert [text for _level, text in check_messages(checked=0, queued=1, busy=0)] == ["1 link queued for a check."]
    assert [text for _level, text in check_messages(checked=0, queued=3, busy=1)] == [
        "3 links queued for a check.",
        "1 link is already being checked.",
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_check_now_on_the_source_page_checks_it_and_says_checked(client, editor, server, loopback_settings):
    # No broker: the check runs in-process once the claim commits, so the message must not say "queued".
    source = DueSourceFactory(url_as_cited=server.url("/story"))
    client.force_login(editor)

    response = client.post(check_url(source))

    assert response.status_code == 302 and response["Location"] == page_of(source)
    assert said(response) == ["1 link checked."]
    source.refresh_from_db()
    assert source.status == "ok" and source.checks.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_list_action_says_how_many_links_were_checked(client, editor, server, loopback_settings):
    sources = [DueSourceFactory(url_as_cited=server.url(path)) for path in ("/story", "/missing")]
    client.force_login(editor)
    response = client.post(CHANGELIST, {"action": "check_now", "_selected_action": [s.pk for s in sources]})

    assert said(response) == ["2 links checked."]
    assert all(SourceURL.objects.get(pk=s.pk).last_checked_at for s in sources)


@pytest.mark.django_db
def test_a_check_still_waiting_for_a_worker_is_reported_as_queued(client, editor):
    # Inside the test's transaction nothing commits, so the batch has not run: "queued" is the truth.
    source = DueSourceFactory()
    client.force_login(editor)
    response = client.post(check_url(source))
    assert said(response) == ["1 link queued for a check."]
    source.refresh_from_db()
    assert source.last_checked_at is None and source.lease_token


@pytest.mark.django_db
def test_a_source_already_being_checked_is_not_queued_twice(client, editor):
    source = DueSourceFactory()
    client.force_login(editor)
    client.post(check_url(source), follow=True)  # shows (and so uses up) the first message
    response = client.post(check_url(source))
    assert said(response) == ["1 link is already being checked."]


@pytest.mark.django_db
def test_the_source_page_has_a_check_now_button_for_those_who_may_change_sources(client, editor, django_user_model):
    source = DueSourceFactory()
    client.force_login(editor)
    html = client.get(page_of(source)).content.decode()
    assert f'action="{check_url(source)}"' in html and "Check now" in html

    viewer = django_user_model.objects.create_user("vic-viewer", "vic@newsroom.example", "pw-vic-1", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_sourceurl"))
    client.force_login(viewer)
    assert "Check now" not in client.get(page_of(source)).content.decode()
    assert client.post(check_url(source)).status_code == 403
    assert client.get(check_url(source)).status_code == 405  # a check changes state: POST only


@pytest.mark.django_db
def test_hosts_and_urls_are_shown_in_unicode(client, editor):
    source = SourceURLFactory(url_as_cited="https://bücher.example/neue-titel")
    assert source.host == "xn--bcher-kva.example"  # stored as punycode
    client.force_login(editor)

    listing = client.get(CHANGELIST).content.decode()
    detail = client.get(page_of(source)).content.decode()

    shown = "https://bücher.example/neue-titel"
    assert f'<span title="{shown}">{shown}</span>' in listing
    assert ">bücher.example</div>" in detail  # the host field


@pytest.mark.django_db
def test_long_urls_are_shortened_in_the_list_with_the_whole_url_on_hover(client, editor):
    long_url = "https://news.example/" + "a-very-long-path-segment/" * 8 + "story"
    SourceURLFactory(url_as_cited=long_url)
    client.force_login(editor)
    html = client.get(CHANGELIST).content.decode()
    assert f'title="{long_url}"' in html
    assert f">{long_url}<" not in html and "…" in html


@pytest.mark.django_db
def test_failing_since_is_relative_with_the_exact_time_on_hover(client, editor, settings):
    settings.TIME_ZONE = "Europe/Paris"
    first_failure = timezone.now() - dt.timedelta(days=3, minutes=5)
    source = DeadSourceFactory(first_failure_at=first_failure)
    client.force_login(editor)
    exact = timezone.localtime(first_failure).strftime("%-d %b %Y, %H:%M")

    for url in (CHANGELIST, page_of(source)):
        html = client.get(url).content.decode()
        assert f'title="{exact} CET">3\xa0days ago</time>' in html
        assert str(first_failure) not in html and "p.m." not in html


@pytest.mark.django_db
def test_the_changed_recently_filter_lists_links_newly_dead_or_moved(client, editor):
    now = timezone.now()
    new_dead = DeadSourceFactory(url_as_cited="https://news.example/new-dead", became_dead_at=now)
    DeadSourceFactory(url_as_cited="https://news.example/old-dead", became_dead_at=now - dt.timedelta(days=30))
    OkSourceFactory(
        url_as_cited="https://news.example/moved",
        status=SourceURL.Status.REDIRECTED,
        became_redirected_at=now - dt.timedelta(days=1),
    )
    client.force_login(editor)

    dead = client.get(CHANGELIST, {"newly": "dead"}).content.decode()
    moved = client.get(CHANGELIST, {"newly": "moved"}).content.decode()

    assert new_dead.url in dead and "old-dead" not in dead and "/moved" not in dead
    assert "https://news.example/moved" in moved and "new-dead" not in moved
