"""Serve the site in-process on a throwaway database, so screenshots never touch real data."""

import os
import shutil
import tempfile
from contextlib import contextmanager

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings

from config.celery import app as celery_app

# What a local http server needs whatever the environment says (production may set https-only cookies).
LOCAL = {
    "SECURE_SSL_REDIRECT": False,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "AXES_FAILURE_LIMIT": 3,
}


@contextmanager
def throwaway_database():
    """A fresh, migrated database of the configured engine, dropped afterwards (as the test runner does)."""
    connection = connections["default"]
    folder = tempfile.mkdtemp(prefix="citewatch-screenshots-")
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        # A file, not memory: the server thread opens its own connection to it.
        test_settings["NAME"] = os.path.join(folder, "screenshots.sqlite3")
    else:
        test_settings["NAME"] = f"citewatch_screenshots_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def live_site():
    """The site on a free port of 127.0.0.1, with tasks run in-process; yields its base URL."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    with override_settings(ALLOWED_HOSTS=["127.0.0.1"], **LOCAL):
        thread = LiveServerThread("127.0.0.1", StaticFilesHandler)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        try:
            if thread.error:
                raise thread.error
            yield f"http://127.0.0.1:{thread.port}"
        finally:
            thread.terminate()
            thread.join()
            celery_app.conf.task_always_eager = eager
