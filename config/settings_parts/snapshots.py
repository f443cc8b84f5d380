"""Settings for snapshots of cited sources (attribution/snapshots/): included into config/settings.py by django-split-settings.

Runs in the settings module's namespace, so it reads names defined there
(CELERY_BEAT_SCHEDULE, CELERY_TASK_ROUTES).
"""

# ruff: noqa: F821
from config.env import env_bool, env_float, env_int

# --- Snapshots ---------------------------------------------------------------------
# What a source said when first cited: its response as a WARC record, its main text and a hash. README "Snapshots".
SNAPSHOTS_ENABLED = env_bool("SNAPSHOTS_ENABLED", True)
# The most of one response kept (and read): a longer one keeps this prefix and is marked truncated.
SNAPSHOTS_MAX_BYTES = env_int("SNAPSHOTS_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
# Wall-clock ceiling for one snapshot's fetch, redirects included (a page can be larger than a link check reads).
SNAPSHOTS_TIMEOUT = env_float("SNAPSHOTS_TIMEOUT", 30.0, minimum=1.0)
# Drift snapshots older than this are deleted; the snapshot taken when a source was first cited never is.
SNAPSHOTS_RETENTION_DAYS = env_int("SNAPSHOTS_RETENTION_DAYS", 365, minimum=1)
# WARC files plus extracted text, all snapshots together. Over it: the oldest drift snapshots go first,
# then no new snapshot is taken until there is room (logged, and shown in the admin). 0 = no budget.
SNAPSHOTS_STORAGE_BUDGET_BYTES = env_int("SNAPSHOTS_STORAGE_BUDGET_BYTES", 10 * 1024**3, minimum=0)
# The sweep: sources checked OK with no first snapshot yet, at most this many sent per run.
SNAPSHOTS_SWEEP_BATCH = env_int("SNAPSHOTS_SWEEP_BATCH", 200, minimum=1)
# A source whose snapshot could not be taken (timeout, 5xx...) is tried again after this long, at most
# SNAPSHOTS_MAX_ATTEMPTS times in all; a page that is neither HTML nor PDF is not tried again.
SNAPSHOTS_RETRY_HOURS = env_int("SNAPSHOTS_RETRY_HOURS", 24, minimum=1)
SNAPSHOTS_MAX_ATTEMPTS = env_int("SNAPSHOTS_MAX_ATTEMPTS", 5, minimum=1)
# Text read from a PDF: its first pages only, so a 900-page report costs what a long article does.
SNAPSHOTS_PDF_MAX_PAGES = env_int("SNAPSHOTS_PDF_MAX_PAGES", 20, minimum=1)

# The tasks live in their own module: workers and run_job import it from here (autodiscovery finds only <app>.tasks).
CELERY_IMPORTS = (*globals().get("CELERY_IMPORTS", ()), "attribution.snapshots.tasks")
# Their own queue, so a slow page never holds up a link-check batch (README "Scaling out").
CELERY_TASK_ROUTES["attribution.snapshots.tasks.take_first_snapshot"] = {"queue": "snapshots"}
CELERY_BEAT_SCHEDULE["snapshots-sweep"] = {
    "task": "attribution.snapshots.tasks.sweep_first_snapshots",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["snapshots-prune"] = {
    "task": "attribution.snapshots.tasks.prune_snapshots",
    "schedule": 24 * 3600.0,
}
