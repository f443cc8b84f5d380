"""Copy overlap (issue 12 §3): CPU per (article, snapshot) pair, and how it grows with the texts.

    .venv/bin/python bench/overlap.py [--repeat 15] [--sizes 1000,10000,50000] [--difflib-max 10000]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres --sweep-articles 100000]

1. Pairs: each page's true article text in bench/pages/*.txt (made by bench/support/news_pages.py) is the
   snapshot; the articles compared with it are a verbatim copy, a light rewrite (every 12th word changed)
   and an unrelated text (the next page's). Median CPU per pair (user+sys of this process: index the
   snapshot, then compare), over --repeat runs, per kind; then the median over pages.
2. Growth: synthetic texts of N words, the article being the snapshot's middle half. Our CPU per pair
   beside difflib's SequenceMatcher.find_longest_match over the two word lists (autojunk off, the exact
   longest block), run alternately; difflib only up to --difflib-max words.

3. With --postgres: the sweep end to end on a fresh database (bench/support/overlap_sweep.py, in a child
   process): per pair computed from nothing, and the sweep's cost when nothing is due at --sweep-articles.

Parts 1 and 2 use compute.py alone, which is all a pair costs beyond loading two texts and one upsert.
"""

import argparse
import difflib
import os
import random
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from attribution.overlap.compute import compare, index_source, normal_words  # noqa: E402

NGRAM_WORDS = 8
MAX_PASSAGE_CHARS = 2000


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def light_rewrite(text: str) -> str:
    words = text.split()
    return " ".join("changed" if i % 12 == 5 else word for i, word in enumerate(words))


def pair_cpu_ms(article: str, snapshot: str, repeat: int) -> float:
    """Median CPU milliseconds to index ``snapshot`` and compare ``article`` with it."""
    return median_cpu_ms(
        lambda: compare(article, index_source(snapshot, NGRAM_WORDS), max_passage_chars=MAX_PASSAGE_CHARS), repeat
    )


def median_cpu_ms(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = cpu()
        call()
        times.append((cpu() - start) * 1000)
    return statistics.median(times)


def bench_pages(repeat: int) -> None:
    pages = sorted((ROOT / "bench/pages").glob("*.txt"))
    if not pages:
        print("no bench/pages/*.txt: run bench/support/news_pages.py first; skipping the pairs")
        return
    texts = [page.read_text() for page in pages]
    by_kind: dict[str, list[float]] = {"copy": [], "rewrite": [], "unrelated": []}
    index_ms, compare_ms = [], []
    for i, snapshot in enumerate(texts):
        articles = {"copy": snapshot, "rewrite": light_rewrite(snapshot), "unrelated": texts[(i + 1) % len(texts)]}
        for kind, article in articles.items():
            by_kind[kind].append(pair_cpu_ms(article, snapshot, repeat))
        index = index_source(snapshot, NGRAM_WORDS)
        index_ms.append(median_cpu_ms(lambda s=snapshot: index_source(s, NGRAM_WORDS), repeat))
        compare_ms.append(
            median_cpu_ms(
                lambda a=articles["copy"], i=index: compare(a, i, max_passage_chars=MAX_PASSAGE_CHARS), repeat
            )
        )
    words = statistics.median(len(normal_words(text)[1]) for text in texts)
    print(f"\n1. {len(texts)} pages (median {words:.0f} words), CPU per pair, median over pages ({load()})")
    for kind, times in by_kind.items():
        print(f"  {kind:10} median {statistics.median(times):.2f} ms   max {max(times):.2f} ms")
    print(
        f"  of which: indexing the snapshot (once per snapshot) {statistics.median(index_ms):.2f} ms, "
        f"comparing one more article (a copy) {statistics.median(compare_ms):.2f} ms"
    )
    containment = [
        compare(light_rewrite(t), index_source(t, NGRAM_WORDS), max_passage_chars=MAX_PASSAGE_CHARS).containment
        for t in texts
    ]
    print(f"  light rewrite: median containment {statistics.median(containment):.0%}")


def synthetic(words: int, seed: int) -> str:
    """Prose-like word frequencies (Zipf: "the" is common, most words rare), which is what makes difflib slow."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(20_000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    return " ".join(rng.choices(vocabulary, weights, k=words))


def difflib_cpu_ms(article: str, snapshot: str) -> float:
    """The same normalisation, then the exact longest common block of words (what our longest passage is)."""
    start = cpu()
    a, b = normal_words(article)[1], normal_words(snapshot)[1]
    difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return (cpu() - start) * 1000


def bench_growth(sizes: list[int], difflib_max: int, repeat: int) -> None:
    print(f"\n2. Growth: snapshot of N words, article = its middle half ({load()})")
    print(f"  {'N':>7} {'ours ms':>9} {'ms/1k words':>12} {'difflib ms':>11} {'difflib/ours':>13}")
    for size in sizes:
        snapshot = synthetic(size, seed=size)
        words = snapshot.split()
        article = " ".join(words[size // 4 : 3 * size // 4])
        ours, theirs = [], []
        for _ in range(max(1, repeat // 5)):  # alternated, so both meet the same load
            ours.append(pair_cpu_ms(article, snapshot, 1))
            if size <= difflib_max:
                theirs.append(difflib_cpu_ms(article, snapshot))
        mine = statistics.median(ours)
        other = f"{statistics.median(theirs):11.1f} {statistics.median(theirs) / mine:12.1f}×" if theirs else ""
        print(f"  {size:7d} {mine:9.2f} {mine / size * 1000:12.3f} {other}")


def bench_sweep(server_url: str, articles: int) -> None:
    import psycopg

    name = "h_overlap_bench"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"\n3. The sweep on PostgreSQL ({load()})")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env |= {"DATABASE_URL": server_url.rsplit("/", 1)[0] + "/" + name, "DEBUG": "false", "LOG_LEVEL": "WARNING"}
    env |= {"SECRET_KEY": "bench-only", "ALLOWED_HOSTS": "localhost"}
    try:
        script = str(ROOT / "bench/support/overlap_sweep.py")
        subprocess.run([sys.executable, script, "--articles", str(articles)], env=env, check=True)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"  ({load()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--difflib-max", type=int, default=10_000)
    parser.add_argument("--postgres", default="", help="server URL; a database h_overlap_bench is made on it")
    parser.add_argument("--sweep-articles", type=int, default=100_000)
    args = parser.parse_args()
    print(f"copy overlap bench, {NGRAM_WORDS}-word sequences, pid {os.getpid()}")
    bench_pages(args.repeat)
    bench_growth([int(s) for s in args.sizes.split(",")], args.difflib_max, args.repeat)
    if args.postgres:
        bench_sweep(args.postgres, args.sweep_articles)


if __name__ == "__main__":
    main()
