"""Computing and storing copy overlap: once per (article, snapshot), again only when the article changes.

The database is the queue. A pair is due when its article cites the snapshot's source and there is no row
for it computed from the article's current text (``article_fingerprint``) with the current n-gram length.
The task sent when a snapshot is stored and the periodic sweep both compute due pairs only, so either can
run twice, or at once with the other, and the result is the same rows (written as an upsert).

Overlap is derived data, not an editorial decision: no actor and no audit row, like a link check.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.db.models import Exists, F, Min, OuterRef
from django.utils import timezone

from attribution.lib.queue import enqueue_on_commit
from attribution.models import Article, Citation, SourceSnapshot
from attribution.overlap.compute import compare, index_source
from attribution.overlap.models import CopyOverlap

logger = logging.getLogger(__name__)

COMPUTED_FIELDS = [
    "source_url",
    "position",
    "ngram_words",
    "article_ngrams",
    "shared_ngrams",
    "containment",
    "longest_passage_words",
    "longest_passage",
    "article_fingerprint",
    "computed_at",
]


def due_pairs(*, snapshot_id: int | None = None, limit: int | None = None) -> list[tuple[int, int]]:
    """(article id, snapshot id) pairs with no current row, by snapshot so one index serves many articles.

    One query: citations joined to their source's snapshots, less the pairs with a current row.
    """
    current = CopyOverlap.objects.filter(
        article_id=OuterRef("article_id"),
        snapshot_id=OuterRef("snapshot_id"),
        article_fingerprint=OuterRef("article__fingerprint"),
        ngram_words=settings.OVERLAP_NGRAM_WORDS,
    )
    citations = Citation.objects.annotate(snapshot_id=F("source_url__snapshots__id")).filter(snapshot_id__isnull=False)
    if snapshot_id is not None:
        citations = citations.filter(snapshot_id=snapshot_id)
    pairs = (
        citations.filter(~Exists(current))
        .values_list("snapshot_id", "article_id")
        .order_by("snapshot_id", "article_id")
        .distinct()
    )
    return [(article, snapshot) for snapshot, article in (pairs[:limit] if limit else pairs)]


def compute_pairs(pairs: list[tuple[int, int]]) -> int:
    """Compute and store the overlap of each (article id, snapshot id) pair; returns how many were written.

    Idempotent: the write is an upsert on (article, snapshot). Each snapshot's text is indexed once for
    all its articles. A pair whose article no longer cites the source (changed meanwhile) is skipped.
    """
    if not pairs:
        return 0
    by_snapshot: dict[int, list[int]] = defaultdict(list)
    for article_id, snapshot_id in pairs:
        by_snapshot[snapshot_id].append(article_id)
    snapshots = SourceSnapshot.objects.only("source_url", "text").in_bulk(list(by_snapshot))
    articles = Article.objects.only("body", "fingerprint").in_bulk({a for a, _s in pairs})
    positions = _first_positions(articles, {s.source_url_id for s in snapshots.values()})
    rows = []
    for snapshot_id, article_ids in by_snapshot.items():
        snapshot = snapshots.get(snapshot_id)
        if snapshot is None:
            continue  # deleted meanwhile (retention): nothing to compare with
        index = index_source(snapshot.text, settings.OVERLAP_NGRAM_WORDS)
        for article_id in article_ids:
            position = positions.get((article_id, snapshot.source_url_id))
            if article_id in articles and position is not None:
                rows.append(_row(articles[article_id], snapshot, position, index))
    CopyOverlap.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["article", "snapshot"], update_fields=COMPUTED_FIELDS
    )
    return len(rows)


def _first_positions(articles: dict, source_ids: set[int]) -> dict[tuple[int, int], int]:
    """(article id, source id) → the source's number in the article (its first citation, if cited twice)."""
    first = (
        Citation.objects.filter(article_id__in=list(articles), source_url_id__in=source_ids)
        .values("article_id", "source_url_id")
        .annotate(position=Min("position"))
        .order_by()
    )
    return {(row["article_id"], row["source_url_id"]): row["position"] for row in first}


def _row(article: Article, snapshot: SourceSnapshot, position: int, index) -> CopyOverlap:
    found = compare(article.body, index, max_passage_chars=settings.OVERLAP_PASSAGE_MAX_CHARS)
    return CopyOverlap(
        article=article,
        snapshot=snapshot,
        source_url_id=snapshot.source_url_id,
        position=position,
        ngram_words=found.ngram_words,
        article_ngrams=found.article_ngrams,
        shared_ngrams=found.shared_ngrams,
        containment=found.containment,
        longest_passage_words=found.longest_passage_words,
        longest_passage=found.longest_passage,
        # The fingerprint of the body just compared: if the article changes after this, the row is stale.
        article_fingerprint=article.fingerprint,
        computed_at=timezone.now(),
    )


def compute_snapshot_overlaps(snapshot_id: int) -> int:
    """Compute the due pairs of one snapshot (every article citing its source). Returns how many; 0 if none due.

    In batches of OVERLAP_SWEEP_BATCH, so a wire story cited by thousands of articles never holds all their
    bodies in memory at once.
    """
    pairs, batch = due_pairs(snapshot_id=snapshot_id), settings.OVERLAP_SWEEP_BATCH
    return sum(compute_pairs(pairs[start : start + batch]) for start in range(0, len(pairs), batch))


def compute_missing_overlaps() -> int:
    """The sweep: compute at most OVERLAP_SWEEP_BATCH due pairs, and drop rows for sources no longer cited.

    Returns how many pairs were computed. Idempotent; a second run right after computes nothing.
    """
    cited = Citation.objects.filter(article_id=OuterRef("article_id"), source_url_id=OuterRef("source_url_id"))
    dropped, _by_model = CopyOverlap.objects.filter(~Exists(cited)).delete()
    if dropped:
        logger.info("dropped %d copy overlap rows of sources no longer cited", dropped)
    return compute_pairs(due_pairs(limit=settings.OVERLAP_SWEEP_BATCH))


def snapshot_stored(snapshot_id: int) -> None:
    """Wake the overlap task for a new snapshot once it commits. The sweep finds the work if this message is lost."""
    enqueue_on_commit("attribution.overlap.tasks.compute_snapshot_overlaps", snapshot_id)
