"""The daily digest to editors, Wayback lookups against a local stand-in, and history pruning."""

import datetime as dt
import time

import pytest
import time_machine
from django.utils import timezone

from attribution.linkcheck.digest import send_digest
from attribution.linkcheck.services import prune_history, run_batch
from attribution.linkcheck.wayback import MAX_ANSWER_BYTES, archived_copies
from attribution.models import LinkCheck
from tests.attribution.factories import ArticleFactory, CitationFactory
from tests.linkcheck.factories import DeadSourceFactory, DueSourceFactory, OkSourceFactory

pytestmark = pytest.mark.django_db


def test_the_digest_lists_new_dead_and_moved_links_by_article(editor, mailoutbox, django_capture_on_commit_callbacks):
    article = ArticleFactory(headline="Cranes return to the harbour")
    dead = DeadSourceFactory(url_as_cited="https://gazette.example/cranes")
    moved = OkSourceFactory(
        url_as_cited="https://port.example/old", status="redirected", final_url="https://port.example/new"
    )
    moved.became_redirected_at = timezone.now()
    moved.save()
    CitationFactory(article=article, position=1, source_url=dead)
    CitationFactory(article=article, position=2, source_url=moved)
    CitationFactory(source_url=OkSourceFactory())
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest() == 2
    (mail,) = mailoutbox
    assert mail.to == [editor.email]
    assert "Cranes return to the harbour" in mail.body
    assert "1/ https://gazette.example/cranes" in mail.body and "https://port.example/new" in mail.body


def test_the_next_digest_lists_only_what_changed_since(editor, mailoutbox, django_capture_on_commit_callbacks):
    CitationFactory(source_url=DeadSourceFactory())
    with django_capture_on_commit_callbacks(execute=True):
        send_digest()
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digest() == 0
    assert len(mailoutbox) == 1


def test_the_digest_goes_to_configured_recipients(settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.LINKCHECK_DIGEST_RECIPIENTS = ["desk@newsroom.example"]
    CitationFactory(source_url=DeadSourceFactory())
    with django_capture_on_commit_callbacks(execute=True):
        send_digest()
    assert mailoutbox[0].to == ["desk@newsroom.example"]


def test_wayback_lookup_finds_a_snapshot_on_the_stand_in(server, loopback_settings):
    loopback_settings.LINKCHECK_WAYBACK_URL = server.url("/wayback/available")
    server.archived["https://gazette.example/cranes"] = (
        "https://web.archive.org/web/2024/https://gazette.example/cranes"
    )
    found = archived_copies({1: "https://gazette.example/cranes", 2: "https://gazette.example/never-archived"})
    assert found == {1: "https://web.archive.org/web/2024/https://gazette.example/cranes", 2: ""}


def test_wayback_lookup_goes_through_the_ssrf_guard(server, settings):
    settings.LINKCHECK_ALLOW_PRIVATE_HOSTS = False
    settings.LINKCHECK_WAYBACK_URL = server.url("/wayback/available")
    assert archived_copies({1: "https://gazette.example/cranes"}) == {}
    assert server.requests == []


def test_an_endless_wayback_answer_is_cut_off_and_counts_as_no_archive(server, loopback_settings, caplog):
    loopback_settings.LINKCHECK_TOTAL_TIMEOUT = 30  # so only the size bound, not the clock, can end the read
    loopback_settings.LINKCHECK_WAYBACK_URL = server.url("/wayback/endless")
    started = time.monotonic()
    assert archived_copies({1: "https://gazette.example/cranes"}) == {}
    assert time.monotonic() - started < 10
    assert f"sent more than {MAX_ANSWER_BYTES} bytes" in caplog.text


def test_a_failing_link_gets_its_archived_copy_when_enabled(server, loopback_settings):
    loopback_settings.LINKCHECK_WAYBACK_ENABLED = True
    loopback_settings.LINKCHECK_WAYBACK_URL = server.url("/wayback/available")
    source = DueSourceFactory(url_as_cited=server.url("/missing"))
    server.archived[source.url] = "https://web.archive.org/web/2024/x"
    run_batch(None, [source.pk])
    source.refresh_from_db()
    assert (source.status, source.archive_url) == ("failing", "https://web.archive.org/web/2024/x")


def test_history_older_than_the_retention_is_pruned(settings):
    settings.LINKCHECK_HISTORY_DAYS = 30
    source = OkSourceFactory()
    now = timezone.now()
    for days in (1, 29, 31, 400):
        LinkCheck.objects.create(source_url=source, checked_at=now - dt.timedelta(days=days), status="ok")
    assert prune_history(now=now, chunk=1) == 2
    assert LinkCheck.objects.count() == 2
