"""Benchmark: link checks end to end with 1, 2 and 4 worker processes, on one Redis queue or spread over two.

    .venv/bin/python bench/scaleout.py [--urls 10000 --hosts 200 --latency-ms 50 --concurrency 4]
        [--workers 1,2,4] [--queues 1,2] [--runs 2]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres --db-name citewatch_bench_scaleout]
        [--redis redis://127.0.0.1:6379/4]

Same loopback server and URL mix as bench/linkcheck.py. Each run resets the
SourceURLs to due and unchecked, flushes the Redis DB, starts the workers
(with two queues: one Celery worker on ``celery,linkcheck`` and one on
``linkcheck-2``, the processes split between them), waits until they answer,
sends one beat tick and times it until every URL has a history row in
PostgreSQL. The tick claims everything as one batch per worker process, and
LINKCHECK_QUEUES spreads the batches over the queues. Configurations are
alternated run by run. Besides wall time it prints the CPU the worker
processes used (user + sys), which a busy machine inflates far less than wall time.

More hosts than bench/linkcheck.py's default (200 rather than 50) lower the
politeness bound N·L/(H·C), so the processes, not the hosts' limits, are what is measured.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from linkcheck import bench_urls, fresh_database, insert_sources, start_server  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """user + sys of a live process and its reaped children, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS


def process_tree(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *map(int, children)]


def start_workers(processes: int, queues: int, env: dict) -> list[subprocess.Popen]:
    """One Celery worker per queue; the first also takes the tick (queue ``celery``)."""
    names = ["linkcheck", "linkcheck-2"][:queues]
    env = env | {
        "LINKCHECK_QUEUES": ",".join(names),
        "LINKCHECK_MAX_BATCHES_PER_TICK": str(processes),
    }
    workers = []
    for n, queue in enumerate(names):
        share = processes // queues + (1 if n < processes % queues else 0)
        workers.append(
            subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "-n", f"scaleout{n}@%h"]
                + ["-Q", f"celery,{queue}" if n == 0 else queue, "--concurrency", str(share)]
                + ["--without-mingle", "--without-gossip", "-l", "WARNING"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,  # the banner; warnings and errors go to stderr
            )
        )
    return workers


def reset(connection, redis_url: str) -> None:
    import redis

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE attribution_linkcheck")
        cursor.execute(
            "UPDATE attribution_sourceurl SET next_check_at = now(), lease_token = '', lease_expires_at = NULL, "
            "status = 'unchecked', consecutive_failures = 0, hard_failures = 0, first_failure_at = NULL, "
            "first_hard_failure_at = NULL"
        )
    redis.Redis.from_url(redis_url).flushdb()


def one_run(args, processes: int, queues: int, env: dict) -> tuple[float, float]:
    """Seconds from the tick to the last row recorded, and the workers' CPU seconds."""
    from celery import Celery
    from django.db import connection

    from attribution.models import LinkCheck

    reset(connection, args.redis)
    env = env | {"LINKCHECK_BATCH_SIZE": str(-(-args.urls // processes))}
    workers = start_workers(processes, queues, env)
    try:
        with Celery(broker=args.redis, set_as_current=False) as app:
            while len(app.control.ping(timeout=0.5)) < len(workers):
                if any(w.poll() is not None for w in workers):
                    raise SystemExit("a Celery worker exited: see its log above")
            pids = [pid for w in workers for pid in process_tree(w.pid)]
            cpu_before = sum(cpu_seconds(pid) for pid in pids)
            started = time.perf_counter()
            app.send_task("attribution.tasks.linkcheck_tick")
            while LinkCheck.objects.count() < args.urls:
                time.sleep(0.01)
            elapsed = time.perf_counter() - started
            cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(30)
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--urls", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--concurrency", type=int, default=4, help="per-host concurrency C")
    parser.add_argument("--slow-factor", type=float, default=2)
    parser.add_argument("--port", type=int, default=18580)
    parser.add_argument("--workers", default="1,2,4", help="worker process counts to compare")
    parser.add_argument("--queues", default="1,2", help="queue counts to compare")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--db-name", default="citewatch_bench_scaleout")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/4")
    args = parser.parse_args()
    configs = [(w, q) for w in map(int, args.workers.split(",")) for q in map(int, args.queues.split(",")) if q <= w]
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": fresh_database(args.postgres, args.db_name),
        "DEBUG": "false",
        "SECRET_KEY": "bench",
        "CELERY_BROKER_URL": args.redis,
        "LINKCHECK_ALLOW_PRIVATE_HOSTS": "true",
        "LINKCHECK_PER_HOST_CONCURRENCY": str(args.concurrency),
        "LINKCHECK_PER_HOST_INTERVAL_MS": "0",
        "LINKCHECK_TOTAL_TIMEOUT": "30",
        "LINKCHECK_READ_TITLES": "auto",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    urls = bench_urls(args.urls, args.hosts, args.port)
    with connection.cursor() as cursor:
        insert_sources(cursor, "SELECT u, n FROM unnest(%s::text[]) WITH ORDINALITY AS t(u, n)", [urls], "now()")
    bound = args.urls * args.latency_ms / 1000 / (args.hosts * args.concurrency)
    server = start_server(argparse.Namespace(**vars(args)))
    figures: dict[tuple[int, int], list[tuple[float, float, str]]] = {config: [] for config in configs}
    try:
        for run in range(1, args.runs + 1):
            for processes, queues in configs:
                elapsed, cpu = one_run(args, processes, queues, env)
                load = Path("/proc/loadavg").read_text().split()[0]
                figures[(processes, queues)].append((elapsed, cpu, load))
                print(
                    f"run {run}: {processes} process(es), {queues} queue(s): {elapsed:6.2f} s "
                    f"{args.urls / elapsed:7.0f} links/s  workers' CPU {cpu:5.2f} s  load {load}",
                    flush=True,
                )
    finally:
        server.terminate()
    print(
        f"\n{args.urls:,} URLs, {args.hosts} hosts, L = {args.latency_ms:.0f} ms, C = {args.concurrency}; "
        f"politeness bound {bound:.2f} s ({args.urls / bound:,.0f} links/s)"
    )
    print("| processes | queues | seconds (runs) | links/s (median) | workers' CPU per 1,000 URLs | load |")
    print("|---|---|---|---|---|---|")
    for (processes, queues), rows in figures.items():
        median = statistics.median(r[0] for r in rows)
        cpu = statistics.median(r[1] for r in rows) / args.urls * 1000
        print(
            f"| {processes} | {queues} | {', '.join(f'{r[0]:.2f}' for r in rows)} | {args.urls / median:,.0f} | "
            f"{cpu:.2f} s | {', '.join(r[2] for r in rows)} |"
        )


if __name__ == "__main__":
    main()
