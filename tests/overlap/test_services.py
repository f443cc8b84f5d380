"""Stored overlap: computed once per (article, snapshot) when a snapshot is stored, swept, redone on a new text."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attribution.models import CopyOverlap
from attribution.overlap.compute import normal_words
from attribution.overlap.display import shown_overlaps
from attribution.overlap.services import compute_missing_overlaps, compute_pairs, due_pairs
from attribution.overlap.tasks import compute_snapshot_overlaps
from tests.overlap.factories import SourceSnapshotFactory, import_article, source
from tests.overlap.texts import LIGHT_REWRITE, UNRELATED_STORY, WIRE_STORY

pytestmark = pytest.mark.django_db
OTHER_URL = "https://library.example/sunday-hours"


@pytest.fixture
def articles():
    """Three articles citing the wire story: a verbatim copy, a light rewrite, and one about something else."""
    return {
        "copy": import_article("cranes-copy", WIRE_STORY),
        "rewrite": import_article("cranes-rewrite", LIGHT_REWRITE),
        "unrelated": import_article("library-sundays", UNRELATED_STORY),
    }


def row(article) -> CopyOverlap:
    return CopyOverlap.objects.get(article=article)


def test_storing_a_snapshot_computes_the_overlap_of_every_article_citing_it(
    articles, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = SourceSnapshotFactory(source_url=source())

    copy, rewrite, unrelated = row(articles["copy"]), row(articles["rewrite"]), row(articles["unrelated"])
    assert copy.snapshot == rewrite.snapshot == unrelated.snapshot == snapshot
    assert (copy.containment, copy.longest_passage_words, copy.position) == (1.0, len(normal_words(WIRE_STORY)[1]), 1)
    assert copy.longest_passage.startswith("The port authority said on Monday")
    assert 0.2 < rewrite.containment < 0.8 and rewrite.longest_passage_words == 20
    assert (unrelated.containment, unrelated.longest_passage_words, unrelated.longest_passage) == (0.0, 0, "")
    assert copy.article_fingerprint == articles["copy"].fingerprint and copy.ngram_words == 8


def test_it_is_computed_once_a_second_run_computes_nothing(articles, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        SourceSnapshotFactory(source_url=source())
    first = {r.pk: r.computed_at for r in CopyOverlap.objects.all()}

    with time_machine.travel(dt.timedelta(hours=1)):
        assert compute_missing_overlaps() == 0
        assert due_pairs() == []

    assert {r.pk: r.computed_at for r in CopyOverlap.objects.all()} == first and len(first) == 3


def test_the_sweep_computes_pairs_whose_message_was_lost(articles):
    SourceSnapshotFactory(source_url=source())  # no on-commit callback runs: the wake-up message is "lost"
    assert CopyOverlap.objects.count() == 0

    assert compute_missing_overlaps() == 3
    assert row(articles["copy"]).containment == 1.0


def test_a_new_article_text_makes_the_row_stale_and_the_sweep_recomputes_it(articles):
    SourceSnapshotFactory(source_url=source())
    compute_missing_overlaps()

    rewritten = import_article("cranes-copy", UNRELATED_STORY)  # the same article, re-imported with a new body

    stale = shown_overlaps([rewritten.pk]).get()
    assert stale.is_current is False and stale.containment == 1.0
    assert due_pairs() == [(rewritten.pk, stale.snapshot_id)]
    assert compute_missing_overlaps() == 1
    fresh = shown_overlaps([rewritten.pk]).get()
    assert fresh.is_current is True and fresh.containment == 0.0 and fresh.pk == stale.pk


def test_a_new_sequence_length_recomputes_every_row(articles, settings):
    SourceSnapshotFactory(source_url=source())
    compute_missing_overlaps()
    before = row(articles["rewrite"]).containment

    settings.OVERLAP_NGRAM_WORDS = 4

    assert compute_missing_overlaps() == 3
    assert row(articles["rewrite"]).ngram_words == 4 and row(articles["rewrite"]).containment > before


def test_rows_of_a_source_no_longer_cited_are_dropped(articles):
    SourceSnapshotFactory(source_url=source())
    compute_missing_overlaps()

    import_article("cranes-rewrite", LIGHT_REWRITE, sources=[OTHER_URL])
    compute_missing_overlaps()

    assert not CopyOverlap.objects.filter(article=articles["rewrite"]).exists()
    assert CopyOverlap.objects.count() == 2


def test_each_snapshot_of_a_source_gets_its_row_under_the_sources_first_number():
    article = import_article("cranes-copy", WIRE_STORY, sources=[OTHER_URL, "https://wire.example/2026/harbour-cranes"])
    wire = source()
    first = SourceSnapshotFactory(source_url=wire)
    drifted = SourceSnapshotFactory(source_url=wire, drift=True, text="The cranes are back. " * 30)

    assert compute_missing_overlaps() == 2

    rows = list(shown_overlaps([article.pk]))
    assert [(r.snapshot_id, r.position) for r in rows] == [(first.pk, 2), (drifted.pk, 2)]
    assert [r.containment for r in rows] == [1.0, 0.0]


def test_the_sweep_takes_at_most_a_batch_per_run(articles, settings):
    settings.OVERLAP_SWEEP_BATCH = 2
    SourceSnapshotFactory(source_url=source())

    assert [compute_missing_overlaps() for _ in range(3)] == [2, 1, 0]


def test_the_sweep_query_count_does_not_grow_with_the_pairs():
    def sweep_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            compute_missing_overlaps()
        return len(captured)

    import_article("one", WIRE_STORY)
    SourceSnapshotFactory(source_url=source())
    few = sweep_queries()

    for n in range(8):
        url = f"https://wire.example/story-{n}"
        import_article(f"many-{n}", WIRE_STORY, sources=[url, OTHER_URL])
        SourceSnapshotFactory(source_url=source(url))
        SourceSnapshotFactory(source_url=source(url), drift=True)

    assert sweep_queries() == few


def test_run_job_lists_and_runs_the_sweep(articles):
    SourceSnapshotFactory(source_url=source())

    listed, ran = io.StringIO(), io.StringIO()
    call_command("run_job", "--list", stdout=listed)
    call_command("run_job", "overlap-sweep", stdout=ran)

    assert "overlap-sweep\tattribution.overlap.tasks.compute_missing_overlaps\tevery 300 s" in listed.getvalue()
    assert "Result: 3" in ran.getvalue()


def test_the_task_is_idempotent_a_redelivered_message_computes_nothing(articles):
    snapshot = SourceSnapshotFactory(source_url=source())

    first = compute_snapshot_overlaps.apply(args=[snapshot.pk]).get()
    again = compute_snapshot_overlaps.apply(args=[snapshot.pk]).get()

    assert (first, again) == (3, 0)
    assert compute_snapshot_overlaps.apply(args=[snapshot.pk + 1000]).get() == 0  # deleted meanwhile: nothing


def test_two_workers_computing_the_same_pairs_leave_one_row_each(articles):
    SourceSnapshotFactory(source_url=source())
    pairs = due_pairs()  # both workers found the same work due before either wrote

    assert compute_pairs(pairs) == 3 and compute_pairs(pairs) == 3

    assert CopyOverlap.objects.count() == 3 and due_pairs() == []


def test_an_empty_snapshot_or_article_is_stored_as_no_overlap():
    import_article("empty-body", "", headline="Photo gallery")
    SourceSnapshotFactory(source_url=source(), text="")

    assert compute_missing_overlaps() == 1

    stored = CopyOverlap.objects.get()
    assert (stored.containment, stored.article_ngrams, stored.longest_passage, stored.percent) == (0.0, 0, "", "0")


def test_the_sentence_reads_as_the_issue_asks_and_never_rounds_a_match_away():
    def shown(shared, total, **fields):
        return CopyOverlap(shared_ngrams=shared, article_ngrams=total, containment=shared / total, **fields)

    sentence = shown(62, 100, ngram_words=8, position=2, longest_passage_words=48).summary()

    assert sentence == "62 % of this article's 8-word sequences appear in source 2; longest shared passage: 48 words"
    assert (shown(1, 250).percent, shown(249, 250).percent, shown(0, 250).percent) == ("<1", ">99", "0")


def test_a_snapshot_cited_by_many_articles_is_computed_in_batches(settings, articles):
    settings.OVERLAP_SWEEP_BATCH = 2
    snapshot = SourceSnapshotFactory(source_url=source())

    assert compute_snapshot_overlaps.apply(args=[snapshot.pk]).get() == 3
    assert CopyOverlap.objects.count() == 3 and due_pairs() == []
