"""Settings for Save Page Now (attribution/snapshots/save_page_now.py): included into config/settings.py by django-split-settings.

Runs in the settings module's namespace, so it reads names defined there
(CELERY_BEAT_SCHEDULE, CELERY_TASK_ROUTES, CELERY_IMPORTS).
"""

# ruff: noqa: F821
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_str

# --- Save Page Now -------------------------------------------------------------------
# Off by default: working sources are sent to the Wayback Machine's Save Page Now API (SPN2) with the
# newsroom's archive.org key, and the copy's address is kept as the source's archive_url. README "Save Page Now".
SNAPSHOTS_SAVE_PAGE_NOW_ENABLED = env_bool("SNAPSHOTS_SAVE_PAGE_NOW_ENABLED", False)
# The capture endpoint; status is polled at <this>/status/<job_id> (tests point it at a local stand-in).
SNAPSHOTS_SAVE_PAGE_NOW_URL = env_str("SNAPSHOTS_SAVE_PAGE_NOW_URL", "https://web.archive.org/save").rstrip("/")
# The S3-style key pair from https://archive.org/account/s3.php, sent as "Authorization: LOW key:secret".
SNAPSHOTS_SAVE_PAGE_NOW_ACCESS_KEY = env_str("SNAPSHOTS_SAVE_PAGE_NOW_ACCESS_KEY")
SNAPSHOTS_SAVE_PAGE_NOW_SECRET_KEY = env_str("SNAPSHOTS_SAVE_PAGE_NOW_SECRET_KEY")
if SNAPSHOTS_SAVE_PAGE_NOW_ENABLED and not (SNAPSHOTS_SAVE_PAGE_NOW_ACCESS_KEY and SNAPSHOTS_SAVE_PAGE_NOW_SECRET_KEY):
    raise ImproperlyConfigured(
        "SNAPSHOTS_SAVE_PAGE_NOW_ENABLED=true needs SNAPSHOTS_SAVE_PAGE_NOW_ACCESS_KEY and "
        "SNAPSHOTS_SAVE_PAGE_NOW_SECRET_KEY (the newsroom's archive.org S3 keys)."
    )
# Captures requested per minute, counted in the database so the limit holds across every worker.
SNAPSHOTS_SAVE_PAGE_NOW_PER_MINUTE = env_int("SNAPSHOTS_SAVE_PAGE_NOW_PER_MINUTE", 4, minimum=1)
# How long after a submission (and between polls) to ask whether the capture is done.
SNAPSHOTS_SAVE_PAGE_NOW_POLL_SECONDS = env_int("SNAPSHOTS_SAVE_PAGE_NOW_POLL_SECONDS", 60, minimum=1)
# A 429, a 5xx or a timeout waits 5 minutes × 2^(attempts-1), at most this long; after this many
# attempts the source is marked failed (admin shows why) and left alone.
SNAPSHOTS_SAVE_PAGE_NOW_MAX_BACKOFF_HOURS = env_int("SNAPSHOTS_SAVE_PAGE_NOW_MAX_BACKOFF_HOURS", 6, minimum=1)
SNAPSHOTS_SAVE_PAGE_NOW_MAX_ATTEMPTS = env_int("SNAPSHOTS_SAVE_PAGE_NOW_MAX_ATTEMPTS", 8, minimum=1)
# Wall-clock ceiling for one call to the archive.
SNAPSHOTS_SAVE_PAGE_NOW_TIMEOUT = env_float("SNAPSHOTS_SAVE_PAGE_NOW_TIMEOUT", 30.0, minimum=1.0)

CELERY_IMPORTS = (*globals().get("CELERY_IMPORTS", ()), "attribution.snapshots.save_page_now_tasks")
# Beside the snapshot tasks, so a slow archive never holds up a link-check batch.
CELERY_TASK_ROUTES["attribution.snapshots.save_page_now_tasks.save_page_now_sweep"] = {"queue": "snapshots"}
CELERY_BEAT_SCHEDULE["snapshots-save-page-now"] = {
    "task": "attribution.snapshots.save_page_now_tasks.save_page_now_sweep",
    "schedule": 60.0,
}
