"""Serve the site and run the periodic jobs: what `make run` starts.

Without CELERY_BROKER_URL, tasks run in-process and a background thread ticks
the periodic jobs from CELERY_BEAT_SCHEDULE, so the demo needs nothing but
SQLite. With a broker, it starts a real Celery worker and beat beside the web
server. In production run the three as separate processes (see README).
"""

import logging
import signal
import subprocess
import sys
import threading
import time

from celery.schedules import maybe_schedule
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from config.celery import app
from config.health import record_embedded_tick
from config.site_url import follow_served_address

logger = logging.getLogger("citewatch.serve")
TICK_SECONDS = 5


def run_periodic_jobs_forever(stop: threading.Event) -> None:
    """Run each CELERY_BEAT_SCHEDULE entry in-process when it is due, as beat would."""
    # Register every task module (tasks.py of each app, CELERY_IMPORTS) as a worker does at start-up.
    app.loader.import_default_modules()
    schedules = {name: maybe_schedule(entry["schedule"]) for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
    last_run = dict.fromkeys(schedules, timezone.now())
    # /readyz (served by this same process) reads these ticks to tell that the jobs are alive.
    record_embedded_tick()
    while not stop.wait(TICK_SECONDS):
        record_embedded_tick()
        for name, schedule in schedules.items():
            due, _next = schedule.is_due(last_run[name])
            if not due:
                continue
            last_run[name] = timezone.now()
            entry = settings.CELERY_BEAT_SCHEDULE[name]
            try:
                app.tasks[entry["task"]].apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
            except Exception:
                # A failing job must not stop the others or the web server.
                logger.exception("periodic job %s failed", name)


class Command(BaseCommand):
    help = "Serve the site with its periodic jobs (in-process, or with a Celery worker and beat when a broker is set)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, **options):
        # Before anything starts: the periodic jobs, the worker and beat all render links in mail.
        site_url = follow_served_address(settings, options["addr"], options["port"])
        self.stdout.write(f"Links in mail point to {site_url} (set SITE_URL to change that).")
        children = []
        stop = threading.Event()
        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write("No CELERY_BROKER_URL: tasks and periodic jobs run inside this process.")
            threading.Thread(target=run_periodic_jobs_forever, args=(stop,), daemon=True, name="periodic").start()
        else:
            self.stdout.write("CELERY_BROKER_URL is set: starting a Celery worker and beat beside the web server.")
            celery = [sys.executable, "-m", "celery", "-A", "config"]
            children.append(subprocess.Popen([*celery, "worker", "-Q", "celery,linkcheck", "--loglevel", "INFO"]))
            # Drift checks re-read old sources slowly: a worker of their own, so they never take a link check's slot.
            drift = [*celery, "worker", "-Q", "drift", "--concurrency", "1", "-n", "drift@%h", "--loglevel", "INFO"]
            children.append(subprocess.Popen(drift))
            # Snapshots fetch whole pages (up to SNAPSHOTS_MAX_BYTES): their own worker too, apart from link checks.
            snapshots = [*celery, "worker", "-Q", "snapshots", "--concurrency", "1", "-n", "snapshots@%h"]
            children.append(subprocess.Popen([*snapshots, "--loglevel", "INFO"]))
            children.append(subprocess.Popen([*celery, "beat", "--loglevel", "INFO"]))
        # Ctrl-C reaches the whole process group, but a supervisor's SIGTERM
        # reaches only us: turn it into an exit so the children are stopped too.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            call_command("runserver", f"{options['addr']}:{options['port']}", use_reloader=False)
        finally:
            stop.set()
            for child in children:
                child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
