"""Benchmark: import 100,000 articles (3 sources each, from 5,000 distinct URLs) through `import_articles`.

    .venv/bin/python bench/import_articles.py [--articles 100000] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
    .venv/bin/python bench/import_articles.py --files /tmp/articles --only postgres --postgres ...   # reuse files


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


def run_import(directory: Path, env: dict) -> tuple[float, float, float, str]:
    """Import in a child process; returns (seconds, CPU seconds, peak RSS in MB, last output line).

    CPU time (user + sys of the child) is the figure to compare on a shared
    machine: it hardly moves with the load average, wall-clock time does. It
    includes the import's reading process (attribution/importing/ahead.py),
    which the child waits for; peak RSS is the larger of the two processes.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
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
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return elapsed, cpu, max(before, usage.ru_maxrss) / 1024, done.stdout.strip().splitlines()[-1]


def bench(label: str, directory: Path, env: dict, articles: int) -> None:
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    for run in ("first import", "re-import (unchanged)"):
        load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
        seconds, cpu, peak_mb, summary = run_import(directory, env)
        print(
            f"{label:10} {run:22} {articles / seconds:8.0f} articles/s  {seconds:6.1f} s  CPU {cpu:6.1f} s  "
            f"peak RSS {peak_mb:5.0f} MB  load {load}  [{summary}]",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--urls", type=int, default=5_000)
    parser.add_argument("--postgres", default="", help="server URL; a database --db-name is created on it")
    parser.add_argument("--db-name", default="citewatch_bench", help="PostgreSQL database to create and drop")
    parser.add_argument("--files", default="", help="directory of generated files to reuse (made if missing)")
    parser.add_argument("--only", choices=("sqlite", "postgres"), default="", help="run one database only")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="citewatch-bench-") as tmp:
        tmp = Path(tmp)
        files = Path(args.files) if args.files else tmp / "articles"
        if not files.exists():
            started = time.perf_counter()
            generate(files, args.articles, args.urls)
            print(f"generated {args.articles} articles in {time.perf_counter() - started:.1f} s")

        base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
        # Production settings: DEBUG=true would log every SQL statement.
        base |= {"DEBUG": "false", "SECRET_KEY": "bench-only", "ALLOWED_HOSTS": "localhost"}
        sqlite_env = {**base, "SQLITE_PATH": str(tmp / "bench.sqlite3"), "LOG_LEVEL": "WARNING"}
        if args.only != "postgres":
            bench("SQLite", files, sqlite_env, args.articles)

        if args.postgres and args.only != "sqlite":
            import psycopg

            admin_url = args.postgres
            name = args.db_name
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                db_url = admin_url.rsplit("/", 1)[0] + "/" + name
                bench(
                    "PostgreSQL",
                    files,
                    {**base, "DATABASE_URL": db_url, "LOG_LEVEL": "WARNING"},
                    args.articles,
                )
            finally:
                with psycopg.connect(admin_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
