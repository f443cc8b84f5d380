"""`make run` serves with DEBUG off: the site's own error pages, static files through WhiteNoise, a favicon.

This starts the real target (migrate, demo data, collectstatic, `manage.py serve`) in a process group of its
own, on a free port, with its database and mail in a temporary directory, and stops that group at the end.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# How long migrate + demo data may take on a busy 2-core machine before the test gives up waiting.
START_WAIT_SECONDS = 240


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str):
    """(status, headers, body) without following redirects; error statuses are answers too."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo_server(tmp_path):
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "SECURE_COOKIES",
            "SQLITE_PATH",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    env["CITEWATCH_VAR_DIR"] = str(tmp_path)
    log = (tmp_path / "make-run.log").open("wb")
    process = subprocess.Popen(
        ["make", "run", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_WAIT_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if fetch(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail(f"make run did not start: {(tmp_path / 'make-run.log').read_text()[-3000:]}")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_make_run_serves_with_debug_off(demo_server):
    status, _headers, body = fetch(demo_server + "/no-such-page/")
    page = body.decode()
    assert status == 404
    assert "<h1>Not found</h1>" in page and "See all articles" in page
    assert "Using the URLconf" not in page and "DEBUG = True" not in page  # not Django's debug 404

    status, headers, body = fetch(demo_server + "/static/citewatch.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert b".cw-summary" in body

    status, headers, _body = fetch(demo_server + "/favicon.ico")
    assert status == 301
    status, headers, body = fetch(demo_server + headers["Location"])
    assert status == 200 and body[:4] == b"\x00\x00\x01\x00"  # an ICO file

    status, _headers, body = fetch(demo_server + "/")
    assert status == 200 and b'rel="icon"' in body
    # Plain http: the session and CSRF cookies must not be https-only, or the demo's forms would fail.
    status, headers, _body = fetch(demo_server + "/requests/new/")
    assert status == 200
    assert "secure" not in (headers.get("Set-Cookie") or "").lower()
