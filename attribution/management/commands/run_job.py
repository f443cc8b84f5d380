"""Run one periodic job now, in this process, by its beat name or its task name: for operators.

The names are the CELERY_BEAT_SCHEDULE entries (``takedowns-retention-purge``)
and the tasks they call (``takedowns.tasks.purge_closed_requests``); tasks are
found by name through Celery, so this base app never imports another app's
code. Every periodic job is idempotent, so running one by hand beside beat is
safe.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.apps import checks_without_web
from config.celery import app

# argparse's own code for a bad command line; an unknown job name is one too.
USAGE_ERROR = 2


def periodic_jobs() -> dict[str, dict]:
    """Every runnable name → its beat entry: the beat names, then the task names they call."""
    jobs = dict(settings.CELERY_BEAT_SCHEDULE)
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        jobs.setdefault(entry["task"], entry)
    return jobs


def summary(task) -> str:
    """The first line of the task's docstring: what it does and what its result counts."""
    doc = (task.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""


def cadence(schedule) -> str:
    """A beat schedule as an operator reads it: seconds for an interval, Celery's own words for a crontab."""
    if isinstance(schedule, dt.timedelta):
        schedule = schedule.total_seconds()
    if isinstance(schedule, int | float):
        return f"every {schedule:g} s"
    return str(schedule)


class Command(BaseCommand):
    help = "Run a periodic job now (a CELERY_BEAT_SCHEDULE name or the task it calls); --list shows the names."
    # Not the checks of the web side (URLs, admin, templates): importing it costs ~0.6 s, unused here.
    requires_system_checks = checks_without_web()

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="Beat entry name or task name.")
        parser.add_argument("--list", action="store_true", help="List the job names and exit.")

    def handle(self, *args, name=None, **options):
        # Register every task module, as a worker does at start-up.
        app.loader.import_default_modules()
        if options["list"]:
            return self._list()
        jobs = periodic_jobs()
        if name not in jobs:
            raise CommandError(
                f"Unknown job {name!r}. Run `manage.py run_job --list` for the names." if name else "Name a job.",
                returncode=USAGE_ERROR,
            )
        entry = jobs[name]
        task = app.tasks[entry["task"]]
        result = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}), throw=True).get()
        self.stdout.write(f"{name} ({entry['task']}): {summary(task)}")
        self.stdout.write(self.style.SUCCESS(f"Result: {result}"))

    def _list(self):
        for beat_name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            task = app.tasks.get(entry["task"])
            self.stdout.write(
                f"{beat_name}\t{entry['task']}\t{cadence(entry['schedule'])}\t{summary(task) if task else ''}"
            )
