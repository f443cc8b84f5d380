"""Recording a batch in chunks while it is still being checked (issue 14): cost, order, and the lease rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attribution.linkcheck import classify as c
from attribution.linkcheck.checker import CheckResult
from attribution.linkcheck.scheduler import Batch, claim, queues_for
from attribution.linkcheck.services import record_check_results, run_batch
from attribution.models import LinkCheck, SourceURL
from tests.linkcheck.factories import DueSourceFactory

pytestmark = pytest.mark.django_db


def queries_to_record(count: int) -> int:
    """Queries record_check_results makes for one chunk of ``count`` leased URLs with mixed results."""
    sources = DueSourceFactory.create_batch(count)
    batch = claim([s.pk for s in sources])
    outcomes = [CheckResult("x", c.OK, http_status=200), CheckResult("x", c.HARD_FAILURE, http_status=404)]
    results = {s.pk: outcomes[n % 2] for n, s in enumerate(sources)}
    with CaptureQueriesContext(connection) as recorded:
        assert record_check_results(results, token=batch.token) == count
    return len(recorded.captured_queries)


def test_a_chunk_costs_the_same_queries_whatever_its_size():
    # Across Django's bulk_update batch (100) and SQLite's bulk_create batch sizes: neither may leak in.
    assert queries_to_record(3) == queries_to_record(260)


def test_a_batch_is_recorded_chunk_by_chunk_as_its_checks_finish(server, loopback_settings):
    loopback_settings.LINKCHECK_RECORD_CHUNK_SIZE = 2
    server.slow_seconds = 0.5
    fast = [DueSourceFactory(url_as_cited=server.url(f"/story?chunked={n}")) for n in range(4)]
    slow = DueSourceFactory(url_as_cited=server.url("/slow-story?chunked"))
    batch = claim([s.pk for s in [*fast, slow]])
    with CaptureQueriesContext(connection) as recorded:
        assert run_batch(batch.token, batch.source_ids) == 5
    # Each chunk is one transaction with its own timestamp: two of two fast pages, then the slow one alone.
    chunks = {}
    for check in LinkCheck.objects.order_by("checked_at"):
        chunks.setdefault(check.checked_at, []).append(check.source_url_id)
    assert [len(ids) for ids in chunks.values()] == [2, 2, 1]
    assert list(chunks.values())[-1] == [slow.pk]
    history_writes = [q for q in recorded.captured_queries if "attribution_linkcheck" in q["sql"]]
    if connection.vendor != "postgresql":  # PostgreSQL writes history with COPY, which Django does not log
        assert len(history_writes) == 3
    assert not SourceURL.objects.exclude(lease_token="").exists()


def test_a_redelivered_batch_checks_only_what_was_not_recorded(server, loopback_settings):
    """A worker died after recording a chunk; the message comes again with the same token."""
    done = DueSourceFactory(url_as_cited=server.url("/story"))
    rest = [DueSourceFactory(url_as_cited=server.url(path)) for path in ("/gone", "/data.csv")]
    batch = claim([done.pk, *(s.pk for s in rest)])
    assert record_check_results({done.pk: CheckResult(done.url, c.OK, http_status=200)}, token=batch.token) == 1
    server.requests.clear()
    assert run_batch(batch.token, batch.source_ids) == 2
    assert not server.requests_for("/story")
    assert server.requests_for("/gone") and server.requests_for("/data.csv")
    assert {pk: LinkCheck.objects.filter(source_url_id=pk).count() for pk in batch.source_ids} == dict.fromkeys(
        batch.source_ids, 1
    )
    assert run_batch(batch.token, batch.source_ids) == 0  # and a third delivery does nothing at all


def test_a_chunk_for_an_expired_lease_is_not_recorded(server, loopback_settings):
    """Another worker holds the rows now (it claimed them after the lease ran out): the late results go."""
    sources = [DueSourceFactory(url_as_cited=server.url(f"/story?expired={n}")) for n in range(3)]
    first = claim([s.pk for s in sources])
    SourceURL.objects.update(lease_expires_at=None)  # the lease ran out...
    second = claim([s.pk for s in sources])  # ...and the next tick handed the URLs on
    assert second.source_ids == first.source_ids
    assert run_batch(first.token, first.source_ids) == 0
    assert LinkCheck.objects.count() == 0
    assert run_batch(second.token, second.source_ids) == 3


def test_the_tick_sends_batches_to_the_queues_in_turn(settings):
    settings.LINKCHECK_QUEUES = ["linkcheck", "linkcheck-2"]
    batches = [Batch(token=f"{n:032x}", source_ids=[n]) for n in range(1, 6)]
    queues = queues_for(batches)
    assert sorted(queues[:4]) == ["linkcheck", "linkcheck", "linkcheck-2", "linkcheck-2"]
    assert all(a != b for a, b in zip(queues, queues[1:], strict=False))  # alternating, from wherever it starts
    settings.LINKCHECK_QUEUES = ["linkcheck"]
    assert queues_for(batches) == ["linkcheck"] * 5
