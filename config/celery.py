"""The Celery application. Workers start it with `celery -A config worker`."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Celery's Django fix-up runs every system check as a worker starts, and ignores what they find. The
# URL, admin and template checks import the whole web side (~0.6 s of CPU, ~40 MB a worker) no task
# uses, so the fix-up is told to skip them all (CELERY_SKIP_CHECKS, also the CLI's --skip-checks, so it
# must be a boolean the CLI accepts) and _run_checks below runs the others. A second variable marks the
# skip as ours, and a worker started from a process that imported this (`manage.py serve`) inherits
# both and still runs them; an operator's own CELERY_SKIP_CHECKS=1 still skips every check.
_SKIP_IS_OURS = "CITEWATCH_CHECKS_WITHOUT_WEB"
if not os.environ.get("CELERY_SKIP_CHECKS"):
    os.environ["CELERY_SKIP_CHECKS"] = "true"
    os.environ[_SKIP_IS_OURS] = "1"
_RUN_CHECKS = os.environ.get(_SKIP_IS_OURS) == "1"

app = Celery("citewatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.import_modules.connect(sender=app)
def _run_checks(**kwargs):
    # Sent after the fix-up's own handler, which has called django.setup().
    if _RUN_CHECKS:
        from django.core.checks import run_checks

        from config.apps import checks_without_web

        run_checks(tags=checks_without_web())
