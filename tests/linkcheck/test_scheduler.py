"""Claiming due URLs with a lease, batch idempotency, and a tick whose cost does not grow with the table."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from attribution.linkcheck import classify as c
from attribution.linkcheck.checker import CheckResult
from attribution.linkcheck.scheduler import claim, claim_due_batches, pack_by_host
from attribution.linkcheck.services import record_check_results, run_batch
from attribution.models import LinkCheck, SourceURL
from attribution.tasks import linkcheck_tick
from tests.linkcheck.factories import DueSourceFactory, OkSourceFactory

pytestmark = pytest.mark.django_db


def test_new_urls_are_due_at_once():
    source = DueSourceFactory()
    assert source.next_check_at <= timezone.now()
    assert [b.source_ids for b in claim_due_batches()] == [[source.pk]]


def outlets(count: int, start: int = 0) -> list[SourceURL]:
    """Due URLs on as many different hosts."""
    return [DueSourceFactory(url_as_cited=f"https://outlet{n}.example/story") for n in range(start, start + count)]


def test_it_claims_only_due_urls_in_batches(settings):
    settings.LINKCHECK_BATCH_SIZE = 2
    due = sorted(s.pk for s in outlets(5))
    OkSourceFactory.create_batch(3)
    batches = claim_due_batches(max_batches=2)
    assert [len(b.source_ids) for b in batches] == [2, 2]
    assert {pk for b in batches for pk in b.source_ids} < set(due)


def test_two_schedulers_never_claim_the_same_url():
    DueSourceFactory.create_batch(4)
    first = claim_due_batches()
    second = claim_due_batches()
    assert sum(len(b.source_ids) for b in first) == 4
    assert second == []


def test_a_racing_claim_on_the_same_rows_loses():
    ids = [s.pk for s in DueSourceFactory.create_batch(3)]
    now = timezone.now()
    winner = claim(ids, now=now, only_due=True)
    loser = claim(ids, now=now, only_due=True)
    assert winner.source_ids == sorted(ids)
    assert loser.source_ids == []


def test_a_crashed_batch_is_claimed_again_when_its_lease_expires(settings):
    settings.LINKCHECK_LEASE_SECONDS = 600
    DueSourceFactory.create_batch(2)
    (lost,) = claim_due_batches()
    assert claim_due_batches() == []
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=601)):
        (retry,) = claim_due_batches()
    assert retry.source_ids == lost.source_ids and retry.token != lost.token


def test_a_late_or_repeated_batch_writes_nothing():
    source = DueSourceFactory()
    (batch,) = claim_due_batches()
    result = {source.pk: CheckResult(source.url, c.OK, http_status=200)}
    assert record_check_results(result, token=batch.token) == 1
    assert record_check_results(result, token=batch.token) == 0  # redelivered message
    assert record_check_results(result, token="someone-elses") == 0
    assert LinkCheck.objects.filter(source_url=source).count() == 1


def test_the_tick_query_count_does_not_depend_on_the_total(settings, django_assert_num_queries):
    settings.LINKCHECK_BATCH_SIZE = 5
    outlets(10)
    OkSourceFactory.create_batch(5)
    with CaptureQueriesContext(connection) as small:
        claim_due_batches(max_batches=2)
    # Everything due again and no batch in flight, now among many more URLs that are not due.
    SourceURL.objects.update(
        next_check_at=timezone.now() - dt.timedelta(minutes=1), lease_token="", lease_expires_at=None
    )
    OkSourceFactory.create_batch(200)
    with CaptureQueriesContext(connection) as large:
        claim_due_batches(max_batches=2)
    # Busy hosts, due ids, then one UPDATE … RETURNING per batch (plus savepoints).
    assert len(large.captured_queries) == len(small.captured_queries) == 6


def test_the_tick_uses_the_next_check_index():
    later = timezone.now() + dt.timedelta(days=7)
    SourceURL.objects.bulk_create(
        SourceURL(url=f"https://news.example/{n}", url_hash=f"{n:064x}", url_as_cited="x", next_check_at=later)
        for n in range(3000)
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE attribution_sourceurl")
    due = SourceURL.objects.filter(next_check_at__lte=timezone.now()).order_by("next_check_at").values("id")[:10]
    assert "sourceurl_next_check" in due.explain()


def test_a_batch_checks_and_records_against_the_server(server, loopback_settings):
    ok = DueSourceFactory(url_as_cited=server.url("/story"))
    gone = DueSourceFactory(url_as_cited=server.url("/gone"))
    (batch,) = claim_due_batches()
    assert run_batch(batch.token, batch.source_ids) == 2
    ok.refresh_from_db()
    gone.refresh_from_db()
    assert (ok.status, ok.http_status, ok.lease_token) == ("ok", 200, "")
    assert (gone.status, gone.failure_kind) == ("failing", "http_4xx")
    assert ok.next_check_at > timezone.now() + dt.timedelta(days=6)


def test_the_tick_task_sends_batches_that_run(server, loopback_settings, django_capture_on_commit_callbacks):
    source = DueSourceFactory(url_as_cited=server.url("/moved-301"))
    with django_capture_on_commit_callbacks(execute=True):
        assert linkcheck_tick.delay().get() == 1
    source.refresh_from_db()
    assert (source.status, source.final_url) == ("redirected", server.url("/story"))


def test_batches_are_cut_along_host_lines(settings):
    settings.LINKCHECK_BATCH_SIZE = 3
    for n in range(3):
        DueSourceFactory(url_as_cited=f"https://alpha.example/{n}")
        DueSourceFactory(url_as_cited=f"https://beta.example/{n}")
    batches = claim_due_batches(max_batches=2)
    hosts = [set(SourceURL.objects.filter(pk__in=b.source_ids).values_list("host", flat=True)) for b in batches]
    assert hosts == [{"alpha.example"}, {"beta.example"}]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_ticks_on_postgresql_split_the_work_without_overlap(postgres, settings):
    import threading

    from django.db import connections

    settings.LINKCHECK_BATCH_SIZE = 10
    ids = {s.pk for s in outlets(60)}
    won: list[list[int]] = []
    start = threading.Barrier(3)

    def tick():
        try:
            start.wait()
            won.append([pk for b in claim_due_batches(max_batches=6) for pk in b.source_ids])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tick) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    claimed = [pk for batch in won for pk in batch]
    assert len(claimed) == len(set(claimed))  # nobody claimed a URL twice
    assert set(claimed) == ids  # and together they claimed all of them


def test_a_running_batch_keeps_its_lease(settings):
    from attribution.linkcheck.scheduler import LeaseKeeper

    settings.LINKCHECK_LEASE_SECONDS = 600
    source = DueSourceFactory()
    (batch,) = claim_due_batches()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=500)):
        assert LeaseKeeper(batch).extend() == 1
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=700)):
        assert claim_due_batches() == []  # without the renewal it would be handed out again
    source.refresh_from_db()
    assert source.lease_token == batch.token


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_slow_batch_is_not_handed_to_a_second_worker(postgres, settings, server, loopback_settings):
    import threading
    import time

    from django.db import connections

    settings.LINKCHECK_LEASE_SECONDS = 1
    settings.LINKCHECK_TOTAL_TIMEOUT = 10
    server.slow_seconds = 2.5  # the HEAD alone takes 2.5 s, over twice the lease
    DueSourceFactory(url_as_cited=server.url("/slow-story?lease"))
    (batch,) = claim_due_batches()

    def work():
        try:
            run_batch(batch.token, batch.source_ids)
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    time.sleep(1.5)  # real time: another process would tick now, past the original lease
    stolen = claim_due_batches()
    worker.join(30)
    assert stolen == []
    assert LinkCheck.objects.count() == 1


def test_a_host_with_a_batch_in_flight_waits_for_a_later_tick(settings):
    settings.LINKCHECK_BATCH_SIZE = 2
    DueSourceFactory(url_as_cited="https://alpha.example/1")
    (running,) = claim_due_batches(max_batches=1)
    later_alpha = DueSourceFactory(url_as_cited="https://alpha.example/2")
    beta = DueSourceFactory(url_as_cited="https://beta.example/1")
    assert [b.source_ids for b in claim_due_batches()] == [[beta.pk]]
    record_check_results({running.source_ids[0]: CheckResult("x", c.OK, http_status=200)}, token=running.token)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):  # it was postponed to the next tick
        assert [b.source_ids for b in claim_due_batches()] == [[later_alpha.pk]]


def test_a_host_gets_one_batch_per_tick_and_the_rest_of_its_urls_wait(settings):
    settings.LINKCHECK_BATCH_SIZE = 2
    alpha = [DueSourceFactory(url_as_cited=f"https://alpha.example/{n}") for n in range(5)]
    others = outlets(2)
    batches = claim_due_batches(max_batches=3)
    assert [b.source_ids for b in batches] == [[alpha[0].pk, alpha[1].pk], sorted(s.pk for s in others)]
    waiting = SourceURL.objects.filter(pk__in=[s.pk for s in alpha[2:]])
    assert all(row.next_check_at > timezone.now() and not row.lease_token for row in waiting)


def test_one_busy_host_with_a_backlog_does_not_starve_the_others(settings):
    """Its postponed URLs move out of the way, so the next tick's window reaches other hosts."""
    settings.LINKCHECK_BATCH_SIZE = 1
    DueSourceFactory(url_as_cited="https://alpha.example/running")
    (running,) = claim_due_batches(max_batches=1)
    for n in range(6):  # older than beta's, and more than a tick's window (1 × 1 × 4) holds
        DueSourceFactory(url_as_cited=f"https://alpha.example/{n}")
    (beta,) = outlets(1)
    claimed = claim_due_batches(max_batches=1) + claim_due_batches(max_batches=1)
    assert [b.source_ids for b in claimed] == [[beta.pk]]
    assert running.source_ids[0] not in [pk for b in claimed for pk in b.source_ids]


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    window=st.lists(st.sampled_from("abcdefg"), max_size=40),
    busy=st.sets(st.sampled_from("abcdefg"), max_size=3),
    batch_size=st.integers(1, 6),
    max_batches=st.integers(1, 4),
)
def test_packing_never_splits_a_host_or_exceeds_the_limits(window, busy, batch_size, max_batches):
    rows = list(enumerate(window))
    host_of = dict(rows)
    batches, postponed = pack_by_host(rows, busy=busy, batch_size=batch_size, max_batches=max_batches)
    assert len(batches) <= max_batches
    assert all(0 < len(batch) <= batch_size for batch in batches)
    hosts_per_batch = [{host_of[pk] for pk in batch} for batch in batches]
    assert sum(len(hosts) for hosts in hosts_per_batch) == len(set().union(*hosts_per_batch))  # one batch per host
    assert not set().union(*hosts_per_batch) & busy
    claimed = [pk for batch in batches for pk in batch]
    assert len(claimed) + len(postponed) == len(set(claimed) | set(postponed))  # nothing twice
    assert {pk for pk, host in rows if host in busy} <= set(postponed)
    for batch in batches:  # a host's share is its oldest due URLs
        for host in {host_of[pk] for pk in batch}:
            share = [pk for pk in batch if host_of[pk] == host]
            assert share == [pk for pk, h in rows if h == host][: len(share)]
