"""Benchmark: import 100,000 articles (3 sources each, from 5,000 distinct URLs) through `import_articles`.

    .venv/bin/python bench/import_articles.py [--articles 100000] [--postgres postgres://postgres@127.0.0.1:5432/postgres]

Each run imports into a fresh database in a child process, so the figures
include Django start-up and the child's peak RSS is the import's own. It runs
the import twice: the first creates everything, the second finds every article
unchanged (the idempotent path a nightly re-import takes).
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def generate(directory: Path, articles: int, distinct_urls: int, sources_per_article: int = 3) -> None:
    rng = random.Random(42)
    hosts = [f"outlet{n}.example" for n in range(200)]
    urls = [f"https://www.{hosts[n % len(hosts)]}/news/2026/story-{n}" for n in range(distinct_urls)]
    body = "The council met on Tuesday and agreed the plan.\n\nWork starts next month and ends in the spring."
    for n in range(articles):
        sub = directory / f"{n // 1000:03d}"
        if n % 1000 == 0:
            sub.mkdir(parents=True)
        sources = " ".join(f"{i}/ {url}" for i, url in enumerate(rng.sample(urls, sources_per_article), 1))
        (sub / f"{n}.txt").write_text(
            f"date 2026-{1 + n % 12:02d}-{1 + n % 28:02d}\nBenchmark story number {n}\n{body}\n"
            f"Sources {sources} The mentioned sources can contact us to ask for removal.\n"
        )


def run_import(directory: Path, env: dict) -> tuple[float, float, str]:
    """Import in a child process; returns (seconds, peak RSS in MB, last output line)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "manage.py", "import_articles", str(directory), "--no-progress"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    peak_kb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return elapsed, peak_kb / 1024, done.stdout.strip().splitlines()[-1]


def bench(label: str, directory: Path, env: dict, articles: int) -> None:
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    for run in ("first import", "re-import (unchanged)"):
        seconds, peak_mb, summary = run_import(directory, env)
        print(
            f"{label:10} {run:22} {articles / seconds:8.0f} articles/s  {seconds:6.1f} s  peak RSS {peak_mb:5.0f} MB  [{summary}]"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--urls", type=int, default=5_000)
    parser.add_argument("--postgres", default="", help="server URL; a database citewatch_bench is created on it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="citewatch-bench-") as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        generate(tmp / "articles", args.articles, args.urls)
        print(f"generated {args.articles} articles in {time.perf_counter() - started:.1f} s")

        base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
        # Production settings: DEBUG=true would log every SQL statement.
        base |= {"DEBUG": "false", "SECRET_KEY": "bench-only", "ALLOWED_HOSTS": "localhost"}
        sqlite_env = {**base, "SQLITE_PATH": str(tmp / "bench.sqlite3"), "LOG_LEVEL": "WARNING"}
        bench("SQLite", tmp / "articles", sqlite_env, args.articles)

        if args.postgres:
            import psycopg

            admin_url = args.postgres
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS citewatch_bench")
                conn.execute("CREATE DATABASE citewatch_bench")
            try:
                db_url = admin_url.rsplit("/", 1)[0] + "/citewatch_bench"
                bench(
                    "PostgreSQL",
                    tmp / "articles",
                    {**base, "DATABASE_URL": db_url, "LOG_LEVEL": "WARNING"},
                    args.articles,
                )
            finally:
                with psycopg.connect(admin_url, autocommit=True) as conn:
                    conn.execute("DROP DATABASE IF EXISTS citewatch_bench WITH (FORCE)")


if __name__ == "__main__":
    main()
