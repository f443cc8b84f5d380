"""Shared fixtures: named people, services that must exist under CI, and the browser.

Services (PostgreSQL, Redis, chromium) are optional on a developer's bare
machine, where tests that need them skip with the reason. Under CI=true they
are required: a missing service fails the test instead of hiding it.
"""

import gc
import io
import os
import shutil
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from attribution.management import progress
from config.celery import app as celery_app

IN_CI = os.environ.get("CI", "").lower() == "true"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Shared 2-core machines are slow at times; a per-example deadline would make
# property tests flaky without finding bugs.
hypothesis_settings.register_profile(
    "citewatch", deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("citewatch")


def pytest_configure(config):
    # Tests run tasks in-process unless a test starts a real worker itself.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


def pytest_collection_modifyitems(config, items):
    # Playwright's sync API keeps an asyncio loop running in the main thread
    # while the session-scoped browser is open; any later test that calls
    # asyncio.run() would fail. Browser tests therefore run last.
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))


def require_service(name: str, reason: str) -> None:
    """Fail under CI, skip elsewhere: a missing service must never pass silently in CI."""
    message = f"{name} is not available: {reason}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def redis_url():
    """A reachable Redis URL (CELERY_BROKER_URL or the local default)."""
    import redis

    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        require_service("Redis", f"{url}: {exc}")
    return url


@pytest.fixture
def postgres(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        require_service("PostgreSQL", "set DATABASE_URL=postgres://... to run this test")
    return connection


@pytest.fixture(scope="module")
def cms():
    """The CMS stand-in on 127.0.0.1 that feed tests publish to (tests/attribution/feed_server.py), one per module."""
    from tests.attribution.feed_server import FeedServer

    server = FeedServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        require_service("chromium", f"{CHROMIUM} not found; install Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # tests make between page actions are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def mail_outbox(mailoutbox):
    return mailoutbox


@pytest.fixture
def editor(django_user_model):
    """Staff with no special group: sees the admin, edits articles."""
    return django_user_model.objects.create_user(
        "edna-editor", "edna@newsroom.example", "pw-edna-editor-1", is_staff=True, is_superuser=True
    )


@pytest.fixture
def outsider(django_user_model):
    """A logged-in user who is not staff."""
    return django_user_model.objects.create_user("oscar-outsider", "oscar@example.org", "pw-oscar-1")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads written during a test never land in the project tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: LocaleMiddleware leaves a request's language (Arabic…) active."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _broker_not_paused(monkeypatch):
    """A failed publish pauses this process's publishing (attribution/lib/queue.py); no test inherits another's pause."""
    monkeypatch.setattr("attribution.lib.queue._broker_paused_until", 0.0)


class FakeTerminal(io.StringIO):
    """An output stream that says it is a terminal, so the commands draw their progress bars into it."""

    def isatty(self):
        return True


@pytest.fixture
def steps(monkeypatch):
    """Every step the progress bar is moved by, in order."""
    moved: list[int] = []

    class CountingBar(progress.tqdm):
        def update(self, n=1):
            moved.append(n)
            return super().update(n)

    monkeypatch.setattr(progress, "tqdm", CountingBar)
    return moved


@pytest.fixture
def default_threshold():
    """The cyclic GC at Python's default thresholds for the test, whatever the process set (attribution/lib/gc_threshold.py)."""
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)
