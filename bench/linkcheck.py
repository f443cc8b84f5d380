"""Benchmark: link checks against a loopback server, checker alone and end to end, plus one scheduler tick.

    .venv/bin/python bench/linkcheck.py [--urls 10000 --hosts 50 --latency-ms 50 --concurrency 4 --interval-ms 0]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--redis redis://127.0.0.1:6379/14]
        [--only checker|e2e|tick] [--tick-rows 1000000]

It starts its own server (bench/support/linkcheck_server.py) on 127.0.0.1 … 127.0.0.H;
no traffic leaves the machine. URLs mix 60 % pages, 15 % permanent redirects to
a page, 15 % 404s and 10 % slow pages (2 L, or --slow-factor). The politeness
bound is N·L/(H·C): what one request of L per URL would take if every host were
kept exactly at its concurrency limit. The mix's own floor is higher, since a
redirect is two requests and a slow page holds its slot longer: it is printed too.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
KINDS = ["ok"] * 12 + ["moved"] * 3 + ["missing"] * 3 + ["slow"] * 2


def bench_urls(n: int, hosts: int, port: int) -> list[str]:
    return [f"http://127.0.0.{1 + i % hosts}:{port}/{KINDS[(i // hosts) % len(KINDS)]}/{i}" for i in range(n)]


def start_server(args) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench/support/linkcheck_server.py"), "--hosts", str(args.hosts)]
        + ["--latency-ms", str(args.latency_ms), "--port", str(args.port), "--slow-factor", str(args.slow_factor)],
        stdout=subprocess.PIPE,
        text=True,
    )
    if server.stdout.readline().strip() != "ready":
        raise SystemExit("benchmark server did not start")
    return server


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a live process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def mix_floor(args) -> float:
    """The least time the mix can take at these limits: latency units per URL (a redirect is 2, a slow page
    --slow-factor), plus one probe per host with --read-titles auto, spread over H·C slots."""
    units = {"ok": 1, "moved": 2, "missing": 1, "slow": args.slow_factor}
    probes = args.hosts if args.read_titles == "auto" else 0
    total = sum(units[KINDS[(i // args.hosts) % len(KINDS)]] for i in range(args.urls)) + probes
    return total * args.latency_ms / 1000 / (args.hosts * args.concurrency)


def report(label: str, n: int, seconds: float, bound: float, rss: float, floor: float) -> None:
    print(
        f"{label:<12} {n:>7} URLs  {seconds:6.2f} s  {n / seconds:8.0f} links/s  "
        f"{seconds / bound:5.2f}× the bound ({bound:.2f} s)  {seconds / floor:5.2f}× the mix's floor "
        f"({floor:.2f} s)  peak RSS {rss:.0f} MB",
        flush=True,
    )


def checker_alone(args, bound: float) -> None:
    """check_urls() in a process that only checks: settings are read, but unless --django-setup the app
    registry is not populated, since checking needs no model and no admin (django.setup() would import the
    admin, DRF and Celery: ~0.6 s CPU and 40 MB here). A worker pays that once, at start. The bench's URLs
    are all valid, so no refusal message needs the registry's translations."""
    import resource
    from collections import Counter

    from django.conf import settings

    if args.django_setup:
        import django

        django.setup()
    settings.LINKCHECK_USER_AGENT  # noqa: B018 - read the settings now, before the clock starts
    from attribution.linkcheck.checker import CheckerConfig, check_urls

    if args.url_file:  # the list lychee reads (compare_lychee.py): both processes start from the same file
        urls = args.url_file.read_text().split()
    else:
        urls = bench_urls(args.urls, args.hosts, args.port)
    config = CheckerConfig.from_settings(
        allow_private=True,
        per_host_concurrency=args.concurrency,
        per_host_interval=args.interval_ms / 1000,
        total_timeout=30,
        read_titles=args.read_titles,
    )
    started = time.perf_counter()
    results = check_urls(urls, config=config)
    elapsed = time.perf_counter() - started
    report("checker", len(urls), elapsed, bound, peak_rss_mb(os.getpid()), mix_floor(args))
    print("   outcomes:", dict(Counter(r.outcome for r in results.values())), flush=True)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"   per URL: {sum(r.requests for r in results.values()) / len(urls):.3f} requests, "
        f"{sum(r.bytes_read for r in results.values()) / len(urls):,.0f} body bytes read; process CPU "
        f"{usage.ru_utime + usage.ru_stime:.2f} s (user {usage.ru_utime:.2f}, sys {usage.ru_stime:.2f})",
        flush=True,
    )


SOURCE_COLUMNS = (
    "url, url_hash, url_as_cited, host, is_valid, invalid_reason, is_homepage, created_at, status, final_url, "
    "redirect_chain, failure_kind, consecutive_failures, hard_failures, next_check_at, lease_token, override, "
    "override_status, archive_url, drift, drift_notice"
)


def insert_sources(cursor, select_urls_sql: str, params, due_sql: str) -> None:
    """Insert SourceURLs straight from SQL (a million ORM objects would measure the ORM, not the tick)."""
    cursor.execute(
        f"INSERT INTO attribution_sourceurl ({SOURCE_COLUMNS}) "
        f"SELECT u, md5(u) || md5(u || 'x'), u, split_part(split_part(u, '/', 3), ':', 1), true, '', false, now(), "
        f"'unchecked', '', '[]', '', 0, 0, {due_sql}, '', '', '', '', '', '' FROM ({select_urls_sql}) AS s(u, n)",
        params,
    )


def fresh_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        # FORCE: the last run's worker processes may still be closing their connections as this one starts.
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    env = os.environ | {"DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": "bench"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return url


def worker_pids(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *map(int, children)]


def alive(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        raise SystemExit(f"the Celery worker exited with status {worker.returncode}: see its log above")


def end_to_end(args, bound: float) -> None:
    import django

    django.setup()
    import redis
    from celery import Celery
    from django.db import connection

    from attribution.models import LinkCheck

    urls = bench_urls(args.urls, args.hosts, args.port)
    with connection.cursor() as cursor:
        insert_sources(cursor, "SELECT u, n FROM unnest(%s::text[]) WITH ORDINALITY AS t(u, n)", [urls], "now()")
    redis.Redis.from_url(args.redis).flushdb()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "celery,linkcheck"]
        + ["--concurrency", str(args.workers), "--without-mingle", "--without-gossip", "-l", "INFO"],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        with Celery(broker=args.redis) as app:
            while not app.control.ping(timeout=0.5):
                alive(worker)
            started = time.perf_counter()
            app.send_task("attribution.tasks.linkcheck_tick")  # what beat sends every minute
            while LinkCheck.objects.count() < len(urls):
                alive(worker)
                time.sleep(0.01)  # a coarser poll would add up to its own length to the figure
            elapsed = time.perf_counter() - started
        rss = [peak_rss_mb(pid) for pid in worker_pids(worker.pid)]
        report("end to end", len(urls), elapsed, bound, max(rss), mix_floor(args))
        print(f"   worker processes' peak RSS: {', '.join(f'{r:.0f}' for r in rss)} MB", flush=True)
    finally:
        worker.terminate()
        worker.wait(30)


def tick(args) -> None:
    import django

    django.setup()
    from django.db import connection

    from attribution.linkcheck.scheduler import claim_due_batches

    def measure(label: str) -> None:
        times, counts = [], []
        for _ in range(5):
            queries = []
            with connection.execute_wrapper(lambda execute, sql, *a, log=queries: log.append(sql) or execute(sql, *a)):
                started = time.perf_counter()
                batches = claim_due_batches(batch_size=100, max_batches=5)
                times.append((time.perf_counter() - started) * 1000)
            counts.append(len(queries))
            claimed = [pk for b in batches for pk in b.source_ids]
            with connection.cursor() as cursor:  # put them back for the next run
                cursor.execute(
                    "UPDATE attribution_sourceurl SET next_check_at = now() - interval '1 hour', lease_token = '', lease_expires_at = NULL "
                    "WHERE id = ANY(%s)",
                    [claimed],
                )
        print(
            f"tick over {label:>9} rows, 500 due: median {sorted(times)[2]:6.1f} ms, "
            f"{counts[0]} queries, claimed {len(claimed)}",
            flush=True,
        )

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE attribution_sourceurl CASCADE")
        series = "SELECT 'https://outlet' || (n %% 5000) || '.example/story/' || n, n FROM generate_series(1, %s) n"
        insert_sources(
            cursor,
            series,
            [1000],
            "CASE WHEN n <= 500 THEN now() - interval '1 hour' "
            "ELSE now() + interval '7 days' + n * interval '1 second' END",
        )
        cursor.execute("ANALYZE attribution_sourceurl")
    measure("1,000")
    with connection.cursor() as cursor:
        series = "SELECT 'https://outlet' || (n %% 5000) || '.example/story/' || n, n FROM generate_series(1001, %s) n"
        insert_sources(cursor, series, [args.tick_rows], "now() + interval '7 days' + n * interval '1 second'")
        cursor.execute("ANALYZE attribution_sourceurl")
        cursor.execute("SELECT count(*) FROM attribution_sourceurl")
        total = cursor.fetchone()[0]
    measure(f"{total:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--urls", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--concurrency", type=int, default=4, help="per-host concurrency C")
    parser.add_argument("--interval-ms", type=int, default=0, help="per-host minimum interval")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (end to end)")
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--slow-factor", type=float, default=2, help="slow pages answer after this many L")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--db-name", default="citewatch_bench_linkcheck", help="PostgreSQL database it recreates")
    parser.add_argument("--tick-rows", type=int, default=1_000_000)
    parser.add_argument(
        "--read-titles", choices=["always", "auto", "never"], default="always", help="LINKCHECK_READ_TITLES"
    )
    parser.add_argument("--django-setup", action="store_true", help="checker: populate the app registry first")
    parser.add_argument("--url-file", type=Path, help="checker: read the URLs (one a line) instead of making them")
    parser.add_argument("--only", choices=["checker", "e2e", "tick"])
    parser.add_argument("--child", choices=["checker", "e2e", "tick"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    bound = args.urls * args.latency_ms / 1000 / (args.hosts * args.concurrency)
    if args.child:
        {
            "checker": lambda: checker_alone(args, bound),
            "e2e": lambda: end_to_end(args, bound),
            "tick": lambda: tick(args),
        }[args.child]()
        return
    # Each part runs in a child process of its own, so its peak RSS and settings are its own.
    skipped = ("only", "child")
    options = {
        k.replace("_", "-"): v for k, v in vars(args).items() if k not in skipped and v is not False and v is not None
    }
    passthrough = [f"--{k}" if v is True else f"--{k}={v}" for k, v in options.items()]
    db_url = fresh_database(args.postgres, args.db_name)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": db_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench",
        "CELERY_BROKER_URL": args.redis,
        "LINKCHECK_ALLOW_PRIVATE_HOSTS": "true",
        "LINKCHECK_PER_HOST_CONCURRENCY": str(args.concurrency),
        "LINKCHECK_PER_HOST_INTERVAL_MS": str(args.interval_ms),
        "LINKCHECK_TOTAL_TIMEOUT": "30",
        "LINKCHECK_READ_TITLES": args.read_titles,
        # One tick claims everything, as one batch per worker process.
        "LINKCHECK_BATCH_SIZE": str(-(-args.urls // args.workers)),
        "LINKCHECK_MAX_BATCHES_PER_TICK": str(args.workers),
        "LOG_LEVEL": "INFO",
    }
    server = start_server(args)
    try:
        for part in ["checker", "e2e", "tick"]:
            if args.only in (None, part):
                subprocess.run([sys.executable, __file__, "--child", part, *passthrough], cwd=ROOT, env=env, check=True)
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
