"""Child of bench/overlap.py: the overlap sweep end to end on a fresh database (DATABASE_URL, made by the parent).

    DATABASE_URL=... python bench/support/overlap_sweep.py --articles 100000 --computed-pairs 3000

Articles cite 3 of ``articles // 4`` sources, every source has one snapshot (a bench page's true text), and
each article's body is a copy, a light rewrite or another page. First the sweep computes ``--computed-pairs``
pairs from nothing (per pair, database included); then every other pair gets a current row, and the sweep
is timed when nothing is due: the cost it pays every OVERLAP_SWEEP_SECONDS at that size.
"""

import argparse
import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from attribution.models import Article, Citation, CopyOverlap, SourceSnapshot, SourceURL  # noqa: E402
from attribution.overlap import services  # noqa: E402

BATCH = 5000


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def populate(articles: int) -> int:
    pages = [p.read_text() for p in sorted((ROOT / "bench/pages").glob("*.txt"))] or ["word " * 800]
    sources = max(10, articles // 4)
    urls = [
        SourceURL(url=f"https://wire{n % 50}.example/story-{n}", url_hash=f"{n:064x}", url_as_cited="x", host="w")
        for n in range(sources)
    ]
    SourceURL.objects.bulk_create(urls, batch_size=BATCH)
    ids = list(SourceURL.objects.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    snapshots = [
        SourceSnapshot(source_url_id=sid, taken_at=now, fetched_url="x", text=pages[i % len(pages)])
        for i, sid in enumerate(ids)
    ]
    SourceSnapshot.objects.bulk_create(snapshots, batch_size=BATCH)
    for start in range(0, articles, BATCH):
        chunk = range(start, min(start + BATCH, articles))
        Article.objects.bulk_create(
            [
                Article(slug=f"a-{n}", headline="h", body=pages[n % len(pages)], published_on=dt.date(2026, 1, 1))
                for n in chunk
            ]
        )
    article_ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    citations = [
        Citation(article_id=aid, source_url_id=ids[(i * 3 + k) % len(ids)], position=k + 1, text_as_written="x")
        for i, aid in enumerate(article_ids)
        for k in range(3)
    ]
    Citation.objects.bulk_create(citations, batch_size=BATCH)
    return len(citations)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--computed-pairs", type=int, default=3000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    pairs = populate(args.articles)
    print(f"  {args.articles} articles, {pairs} article × snapshot pairs ({connection.vendor})")

    settings.OVERLAP_SWEEP_BATCH = 500
    done, wall, used = 0, time.perf_counter(), cpu()
    while done < args.computed_pairs:
        done += services.compute_missing_overlaps()
    wall, used = time.perf_counter() - wall, cpu() - used
    print(
        f"  sweep from nothing: {done} pairs, {wall / done * 1000:.2f} ms wall and {used / done * 1000:.2f} ms CPU per pair"
    )

    # Every other pair current, without computing it: the sweep's steady state at this size.
    rows = [
        CopyOverlap(
            **fields, ngram_words=8, article_ngrams=1, shared_ngrams=0, containment=0, computed_at=timezone.now()
        )
        for fields in (
            {"article_id": a, "snapshot_id": s, "source_url_id": u, "position": p, "article_fingerprint": f}
            for a, s, u, p, f in Citation.objects.values_list(
                "article_id", "source_url__snapshots__id", "source_url_id", "position", "article__fingerprint"
            )
        )
    ]
    CopyOverlap.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        assert services.compute_missing_overlaps() == 0
        times.append(time.perf_counter() - start)
    print(
        f"  sweep with nothing due, {CopyOverlap.objects.count()} rows: {sorted(times)[2] * 1000:.0f} ms (median of 5)"
    )


if __name__ == "__main__":
    main()
