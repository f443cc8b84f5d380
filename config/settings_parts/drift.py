"""Settings for drift and correction alerts (attribution/snapshots/drift.py): included into config/settings.py.

Runs in the settings module's namespace, so it reads names defined there
(CELERY_BEAT_SCHEDULE, CELERY_TASK_ROUTES, CELERY_IMPORTS). README "Drift and correction alerts".
"""

# ruff: noqa: F821
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int

# --- Drift --------------------------------------------------------------------------
DRIFT_ENABLED = env_bool("DRIFT_ENABLED", True)
# How often a working HTML source with a citation-time snapshot is read again and compared with it.
DRIFT_CHECK_DAYS = env_int("DRIFT_CHECK_DAYS", 30, minimum=1)
# A page that could not be read or compared (timeout, 5xx, no longer HTML) is tried again after this long.
DRIFT_RETRY_HOURS = env_int("DRIFT_RETRY_HOURS", 24, minimum=1)
# "changed" below this similarity (Jaccard index of 5-word shingles, 0..1): below 0.8, more than about one
# paragraph in ten was rewritten. A corrected typo or an added sentence stays above; boilerplate is normalised away.
DRIFT_CHANGED_BELOW = env_float("DRIFT_CHANGED_BELOW", 0.8, minimum=0.0)
# "corrected" when the title's word-by-word similarity falls below this (a new site-name suffix stays above).
DRIFT_TITLE_CHANGED_BELOW = env_float("DRIFT_TITLE_CHANGED_BELOW", 0.6, minimum=0.0)
# Words per shingle: 5 ignores a changed word's neighbours beyond a short window, yet two unrelated
# texts share almost no 5-word runs.
DRIFT_SHINGLE_WORDS = env_int("DRIFT_SHINGLE_WORDS", 5, minimum=1)
# Scheduling: sources per batch task, batches per tick, and how long a claim lasts before a crashed
# worker's sources fall due again.
DRIFT_BATCH_SIZE = env_int("DRIFT_BATCH_SIZE", 20, minimum=1)
DRIFT_MAX_BATCHES_PER_TICK = env_int("DRIFT_MAX_BATCHES_PER_TICK", 2, minimum=1)
DRIFT_LEASE_SECONDS = env_int("DRIFT_LEASE_SECONDS", 1800, minimum=60)

for _name in ("DRIFT_CHANGED_BELOW", "DRIFT_TITLE_CHANGED_BELOW"):
    if globals()[_name] > 1:
        raise ImproperlyConfigured(f"{_name}={globals()[_name]}: a similarity, at most 1.")

CELERY_IMPORTS = (*globals().get("CELERY_IMPORTS", ()), "attribution.snapshots.drift_tasks")
# Their own queue (and worker), so re-reading old sources never holds up a link-check batch.
CELERY_TASK_ROUTES["attribution.snapshots.drift_tasks.check_drift_batch"] = {"queue": "drift"}
CELERY_BEAT_SCHEDULE["drift-tick"] = {"task": "attribution.snapshots.drift_tasks.drift_tick", "schedule": 300.0}
