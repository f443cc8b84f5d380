"""Benchmark: what Django start-up costs a management command, a Celery worker and gunicorn.

    .venv/bin/python bench/startup.py [--runs 10] [--before /path/to/an/older/checkout] [--importtime]

Each case runs in a fresh child process, ``--runs`` times; with ``--before`` the same case from
another checkout (the commit before a change) alternates with this one, run for run, so load
swings hit both alike. It prints the median wall time, CPU time (user + sys of the child, the
figure to compare on a shared machine) and peak RSS. ``--importtime`` prints this checkout's
largest ``python -X importtime`` items for the empty import instead (``--importtime-case`` another case).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# What a Celery worker does before it takes a task: Django set up (celery's Django fix-up), the
# task modules imported and the app finalised, so every task is registered.
WORKER = (
    "import django; django.setup(); from config.celery import app; "
    "app.loader.import_default_modules(); app.finalize(); assert app.tasks"
)
# What compare_lychee.py's checker child (bench/linkcheck.py --child checker) does before its first request:
# its module's imports, the settings, the checker, and check_urls() with nothing to check (loop and session).
CHECKER = (
    "import sys; sys.path.insert(0, 'bench'); import linkcheck; from django.conf import settings; "
    "settings.LINKCHECK_USER_AGENT; from attribution.linkcheck.checker import check_urls; assert not check_urls([])"
)
CASES = {
    "import_articles (no files)": ["manage.py", "import_articles", "{empty}", "--no-progress"],
    "manage.py check": ["manage.py", "check"],
    "django.setup()": ["-c", "import django; django.setup()"],
    "Celery worker set-up": ["-c", WORKER],
    "link checker child, to its first request": ["-c", CHECKER],
    # A gunicorn worker loads the WSGI app, then the URLconf (and with it the admin) on its first request.
    "gunicorn worker + URLconf": [
        "-c",
        "import config.wsgi; from django.urls import get_resolver; get_resolver().url_patterns",
    ],
}


def run_once(root: Path, args: list[str], env: dict) -> tuple[float, float, float]:
    """One child: (wall seconds, CPU seconds, peak RSS in MB). wait4 gives this child's own usage."""
    started = time.perf_counter()
    child = subprocess.Popen([PYTHON, *args], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    stderr = child.stderr.read().decode()
    child.stderr.close()
    # The empty import exits 1 ("no .text or .txt files"); anything else is a broken tree.
    if child.returncode not in (0, 1) or "Traceback" in stderr:
        raise SystemExit(f"{root}: {' '.join(args)} failed:\n{stderr}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def importtime(env: dict, args: list[str], top: int = 20) -> None:
    """The largest top-level imports (each with everything it pulled in) of one run of ``args``."""
    done = subprocess.run([PYTHON, "-X", "importtime", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            _, cumulative, name = line.split("|")
            # One space before a top-level module's name, two more for each level of nesting.
            if not name.startswith("  "):
                rows.append((int(cumulative), name.strip()))
    print(f"top-level imports: {sum(us for us, _ in rows) / 1000:.0f} ms in all (-X importtime inflates it); largest:")
    for us, name in sorted(rows, reverse=True)[:top]:
        print(f"{us / 1000:7.1f} ms  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--before", type=Path, help="another checkout whose runs alternate with this one's")
    parser.add_argument("--importtime", action="store_true")
    parser.add_argument("--importtime-case", default="import_articles (no files)", choices=CASES)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="citewatch-startup-") as scratch:
        empty = Path(scratch) / "empty"
        empty.mkdir()
        # Both trees use one scratch var dir (SQLite file), production-like settings.
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "x",
            "CITEWATCH_VAR_DIR": scratch,
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        env.pop("DATABASE_URL", None)
        cases = {name: [part.format(empty=empty) for part in argv] for name, argv in CASES.items()}
        if args.importtime:
            importtime(env, cases[args.importtime_case])
            return
        trees = {"after": ROOT, "before": args.before} if args.before else {"this checkout": ROOT}
        print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}, {args.runs} runs each")
        print("| case | tree | wall (median) | CPU user+sys (median) | peak RSS (median) |")
        print("|---|---|---|---|---|")
        for name, argv in cases.items():
            figures = {label: [] for label in trees}
            for _ in range(args.runs):
                for label, root in trees.items():
                    figures[label].append(run_once(root, argv, env))
            for label, runs in figures.items():
                wall, cpu, rss = (statistics.median(column) for column in zip(*runs, strict=True))
                print(f"| {name} | {label} | {wall:.3f} s | {cpu:.3f} s | {rss:.0f} MB |")
        print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])} at the end")


if __name__ == "__main__":
    main()
