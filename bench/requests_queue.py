"""Benchmark: the editors' queue page and a request page with 100,000 requests and 1,000,000 audit events.

    .venv/bin/python bench/requests_queue.py [--requests 100000] [--events 1000000]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres]

Each database is filled in a child process with bulk inserts (executemany on
SQLite, COPY on PostgreSQL), then the admin pages are rendered in-process with
Django's test client as a Legal user, DEBUG=false. Prints the median and 95th
percentile of each page and its query count. Target: < 300 ms per page.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 20
PAGES = {
    "queue (all, newest first)": "/admin/takedowns/takedownrequest/",
    "queue (open)": "/admin/takedowns/takedownrequest/?status=open",
    "queue (overdue)": "/admin/takedowns/takedownrequest/?overdue=yes",
    "queue (search organisation)": "/admin/takedowns/takedownrequest/?q=Gazette+17",
    "request page": "/admin/takedowns/takedownrequest/{pk}/change/",
}


def _insert(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", list(rows))


def _request_rows(count: int, rng: random.Random):
    """Rows for takedowns_takedownrequest, built from model instances so every column gets its value."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from takedowns.models import TakedownRequest

    Status = TakedownRequest.Status
    fields = [f for f in TakedownRequest._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    statuses = [Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_INFO, Status.ACTIONED, Status.REJECTED, Status.SPAM]
    weights = [10, 10, 5, 35, 30, 10]
    rows = []
    for n in range(count):
        created = now - dt.timedelta(minutes=n * 5)
        status = rng.choices(statuses, weights)[0]
        takedown = TakedownRequest(
            request_type=rng.choice(TakedownRequest.RequestType.values),
            relationship="rights_holder",
            organisation=f"Gazette {n % 500}",
            requester_name=f"Requester {n}",
            requester_email=f"r{n}@gazette{n % 500}.example",
            requester_country="Ireland",
            remedy="fix_attribution",
            signature=f"Requester {n}",
            status=status,
            created_at=created,
            updated_at=created,
            submitted_at=created,
            first_response_due_at=created + dt.timedelta(days=3),
            decision_due_at=created + dt.timedelta(days=14),
            closed_at=None if status in (Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_INFO) else created,
        )
        rows.append([f.get_db_prep_save(getattr(takedown, f.attname), connection) for f in fields])
    return [f.column for f in fields], rows


def fill(requests: int, events: int) -> int:
    """Create the data set; returns the pk of a request with a typical number of events."""
    from django.db import connection, transaction

    from tests.attribution.factories import ArticleFactory, CitationFactory

    rng = random.Random(5)
    started = time.perf_counter()
    with transaction.atomic():
        articles = [ArticleFactory() for _ in range(200)]
        for article in articles:
            for position in range(1, 4):
                CitationFactory(article=article, position=position)
        columns, rows = _request_rows(requests, rng)
        _insert("takedowns_takedownrequest", columns, rows)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, created_at FROM takedowns_takedownrequest ORDER BY id")
            ids = [row[0] for row in cursor.fetchall()]
        _insert(
            "takedowns_requestarticle",
            ["request_id", "article_id"],
            ((pk, articles[pk % len(articles)].pk) for pk in ids),
        )
    print(f"  {requests:,} requests in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    import datetime as dt

    from django.utils import timezone

    base = timezone.now() - dt.timedelta(days=400)
    columns = [
        "request_id",
        "actor_label",
        "kind",
        "from_status",
        "to_status",
        "note",
        "visible_to_requester",
        "created_at",
    ]
    per_batch = 100_000
    for start in range(0, events, per_batch):
        with transaction.atomic():
            _insert(
                "takedowns_requestevent",
                columns,
                (
                    (ids[n % len(ids)], "system", "note", "", "", f"event {n}", False, base + dt.timedelta(seconds=n))
                    for n in range(start, min(start + per_batch, events))
                ),
            )
    print(f"  {events:,} events in {time.perf_counter() - started:.1f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ids[len(ids) // 2]


def measure(pk: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    lena = get_user_model().objects.create_user("lena-legal", is_staff=True)
    lena.groups.add(Group.objects.get(name="Legal"))
    client = Client()
    client.force_login(lena)
    for label, url in PAGES.items():
        url = url.format(pk=pk)
        for _ in range(2):
            assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
        print(f"  {label:30} median {statistics.median(timings):6.1f} ms   p95 {p95:6.1f} ms   {len(captured)} queries")


def child(requests: int, events: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import warnings

    import django

    # whitenoise warns that collectstatic has not run; the admin pages do not need it here.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    pk = fill(requests, events)
    measure(pk)


def run(label: str, env: dict, args) -> None:
    print(f"== {label}", flush=True)
    command = [sys.executable, __file__, "--child", "--requests", str(args.requests), "--events", str(args.events)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="", help="server URL; a database citewatch_bench_queue is created on it")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.requests, args.events)
        return

    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    base |= {"DEBUG": "false", "SECRET_KEY": "bench-only", "ALLOWED_HOSTS": "testserver", "LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory(prefix="citewatch-bench-") as tmp:
        run("SQLite", {**base, "SQLITE_PATH": str(Path(tmp) / "bench.sqlite3"), "CITEWATCH_VAR_DIR": tmp}, args)
    if args.postgres:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS citewatch_bench_queue")
            conn.execute("CREATE DATABASE citewatch_bench_queue")
        try:
            db_url = args.postgres.rsplit("/", 1)[0] + "/citewatch_bench_queue"
            run("PostgreSQL", {**base, "DATABASE_URL": db_url}, args)
        finally:
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS citewatch_bench_queue WITH (FORCE)")


if __name__ == "__main__":
    main()
