"""The API and the public pages under load: gunicorn (2 workers, DEBUG=false) on PostgreSQL, driven by ``ab``.

    .venv/bin/python bench/api_load.py [--postgres postgres://postgres@127.0.0.1:5432/citewatch_bench_api]
        [--articles 10000] [--requests 3000] [--concurrency 4] [--reuse] [--server-root DIR]

It creates the PostgreSQL database named in ``--postgres`` (dropped first if it exists; ``--reuse`` keeps
one a previous run filled), migrates it and imports ``--articles`` generated articles (3 sources each,
from 5,000 distinct URLs on 200 hosts, bodies of ``--body-chars``, 2,000 characters) through ``manage.py
import_articles``. It makes a staff user in the Editors group and an API token for it
(``manage.py create_api_token``), starts ``gunicorn config.wsgi`` with production settings (DEBUG=false, a
SECRET_KEY, no Celery broker) and, for each endpoint, warms it up and runs ``ab -n N -c C``:

- ``GET /api/articles/`` (a page of ``API_PAGE_SIZE``, 50) and ``GET /api/articles/<slug>/``, as the editor
  with ``Authorization: Bearer <token>``;
- the public article list ``/`` and an article page ``/articles/<slug>/``, anonymous.

It prints requests/s, p50 and p95 (ms), the CPU time the gunicorn workers and the PostgreSQL backends
spent per request (less sensitive to other work on the machine than wall time; PostgreSQL's parallel
workers, when a plan uses them, are not counted) and the load average. The database is VACUUM ANALYZEd
after the import, as autovacuum would leave it, and connections are kept for the run (``DB_CONN_MAX_AGE``)
so their server processes can be read.
``--server-root`` serves another copy of the code (e.g. ``git archive <commit> | tar -x -C DIR``, with this
venv) against the same database, to measure before and after alternately.

``ab`` is Debian's apache2-utils: ``apt-get install apache2-utils``.
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TICK = os.sysconf("SC_CLK_TCK")
SENTENCES = [
    "The council met on Tuesday and agreed the plan after a long debate.",
    "Work starts next month and should end in the spring, the contractor said.",
    "Residents asked for the noise to stop before eight in the evening.",
    "A spokesperson for the port declined to comment on the cost.",
    "Figures published on Monday show traffic fell by a fifth over the year.",
]


def generate(directory: Path, articles: int, distinct_urls: int = 5_000, body_chars: int = 2_000) -> None:
    """Text-format articles (as bench/import_articles.py makes them, with longer bodies)."""
    rng = random.Random(14)
    hosts = [f"outlet{n}.example" for n in range(200)]
    urls = [f"https://www.{hosts[n % len(hosts)]}/news/2026/story-{n}" for n in range(distinct_urls)]
    for n in range(articles):
        sub = directory / f"{n // 1000:03d}"
        if n % 1000 == 0:
            sub.mkdir(parents=True)
        paragraphs, size = [], 0
        while size < body_chars:
            paragraph = " ".join(rng.choice(SENTENCES) for _ in range(4))
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        sources = " ".join(f"{i}/ {url}" for i, url in enumerate(rng.sample(urls, 3), 1))
        (sub / f"{n}.txt").write_text(
            f"date 2026-{1 + n % 12:02d}-{1 + n % 28:02d}\nLoad test story number {n}\n"
            + "\n\n".join(paragraphs)
            + f"\nSources {sources} The mentioned sources can contact us to ask for removal.\n"
        )


def manage(env: dict, *args: str, root: Path = ROOT) -> str:
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=root, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


EDITOR = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
user, _ = get_user_model().objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
user.groups.add(Group.objects.get(name="Editors"))
"""


def fill_database(args, env: dict) -> None:
    import psycopg

    server, name = args.postgres.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "-v0")
    with tempfile.TemporaryDirectory(prefix="citewatch-api-load-") as tmp:
        generate(Path(tmp) / "articles", args.articles, body_chars=args.body_chars)
        started = time.perf_counter()
        print(manage(env, "import_articles", str(Path(tmp) / "articles"), "--no-progress").strip().splitlines()[-1])
        print(f"imported {args.articles} articles in {time.perf_counter() - started:.1f} s")
    manage(env, "shell", "-c", EDITOR)
    # Planner statistics and the visibility map, as autovacuum leaves them a minute after a bulk import
    # (without them PostgreSQL sorts the whole table for the public list and counts with a full scan).
    with psycopg.connect(args.postgres, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(args, env: dict, port: int) -> subprocess.Popen:
    command = [PYTHON, "-m", "gunicorn", "config.wsgi", "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}"]
    command += args.gunicorn_args.split()
    server = subprocess.Popen(command, cwd=args.server_root, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    sys.exit("gunicorn did not answer /healthz within 60 s")


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    """User + system CPU of each process still running, in clock ticks."""
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks


def cpu_spent(before: dict[int, int], after: dict[int, int]) -> float:
    """Seconds of CPU the processes running at both readings spent between them."""
    return sum(after[pid] - before[pid] for pid in before.keys() & after.keys()) / TICK


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def backend_pids(args) -> list[int]:
    """PostgreSQL server processes serving the bench database (same machine): their CPU counts too."""
    import psycopg

    server, name = args.postgres.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,)).fetchall()
    return [row[0] for row in rows]


def run_ab(url: str, requests: int, concurrency: int, headers: list[str]) -> dict:
    command = ["ab", "-q", "-n", str(requests), "-c", str(concurrency)]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def number(pattern: str, default: str = "0") -> float:
        found = re.search(pattern, output, re.MULTILINE)
        return float(found.group(1) if found else default)

    return {
        "rps": number(r"^Requests per second:\s+([\d.]+)"),
        "p50": number(r"^\s+50%\s+(\d+)"),
        "p95": number(r"^\s+95%\s+(\d+)"),
        "non2xx": int(number(r"^Non-2xx responses:\s+(\d+)")),
        "bytes": int(number(r"^Document Length:\s+(\d+)")),
    }


def measure(args, server: subprocess.Popen, base: str, endpoints: list[tuple[str, str, list[str]]]) -> None:
    workers = worker_pids(server.pid)
    print(f"\n{'endpoint':16} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'web CPU ms':>10} {'db CPU ms':>9}  load")
    for label, path, headers in endpoints:
        run_ab(base + path, max(50, args.requests // 10), args.concurrency, headers)  # warm up, fill connections
        backends = backend_pids(args)
        load = Path("/proc/loadavg").read_text().split()[0]
        web_before, db_before = cpu_ticks(workers), cpu_ticks(backends)
        result = run_ab(base + path, args.requests, args.concurrency, headers)
        web_ms = cpu_spent(web_before, cpu_ticks(workers)) * 1000 / args.requests
        db_ms = cpu_spent(db_before, cpu_ticks(backends)) * 1000 / args.requests
        bad = f"  {result['non2xx']} non-2xx!" if result["non2xx"] else ""
        print(
            f"{label:16} {result['rps']:7.1f} {result['p50']:7.0f} {result['p95']:7.0f} {web_ms:10.2f} "
            f"{db_ms:9.2f}  {load}  ({result['bytes']:,} bytes){bad}",
            flush=True,
        )


def first_slug(base: str, token: str) -> str:
    request = urllib.request.Request(f"{base}/api/articles/?format=json", headers={"Authorization": f"Bearer {token}"})
    import json

    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)["results"][0]["slug"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/citewatch_bench_api")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--body-chars", type=int, default=2_000, help="length of each article's body")
    parser.add_argument("--requests", type=int, default=3_000, help="requests per endpoint (after a warm-up)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gunicorn-args", default="", help="more gunicorn options, e.g. '--threads 2'")
    parser.add_argument("--reuse", action="store_true", help="keep the database a previous run filled")
    parser.add_argument("--server-root", type=Path, default=ROOT, help="the code gunicorn serves")
    parser.add_argument("--rounds", type=int, default=1, help="measure every endpoint this many times")
    parser.add_argument("--only", default="", help="comma-separated: api-list, api-detail, public-list, public-article")
    return parser.parse_args()


def production_env(args, var: str) -> dict:
    """The environment of every child: production settings on the bench database, no broker."""
    env = {k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL", "DATABASE_URL"}}
    env |= {
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "false",
        "DATABASE_URL": args.postgres,
        "CITEWATCH_VAR_DIR": var,
        "LOG_LEVEL": "WARNING",
        # Connections kept for the whole run, so the CPU of their PostgreSQL processes can be read (production's
        # 60 s default costs one reconnection a minute per worker, nothing measurable).
        "DB_CONN_MAX_AGE": "3600",
    }
    return env


def main():
    args = parse_args()
    if shutil.which("ab") is None:
        sys.exit("This benchmark needs ApacheBench (ab): apt-get install apache2-utils")
    var = tempfile.mkdtemp(prefix="citewatch-api-load-var-")
    env = production_env(args, var)
    if not args.reuse:
        fill_database(args, env)
    token = manage(env, "create_api_token", "bench-editor", "--name", "api load bench", "--days", "1").strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(args, env, port)
    try:
        slug = first_slug(base, token)
        editor = [f"Authorization: Bearer {token}"]
        endpoints = [
            ("api-list", "/api/articles/", editor),
            ("api-detail", f"/api/articles/{slug}/", editor),
            ("public-list", "/", []),
            ("public-article", f"/articles/{slug}/", []),
        ]
        if args.only:
            endpoints = [endpoint for endpoint in endpoints if endpoint[0] in args.only.split(",")]
        print(f"serving {args.server_root} with {args.workers} workers {args.gunicorn_args}; ab -c {args.concurrency}")
        for _round in range(args.rounds):
            measure(args, server, base, endpoints)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
