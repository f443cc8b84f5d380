"""Settings for the editorial workflow (takedowns/workflow/): included into config/settings.py by django-split-settings.

Runs in the settings module's namespace, so it reads names defined there
(SITE_URL, SECRET_KEY, CELERY_BEAT_SCHEDULE, SPECTACULAR_SETTINGS).
"""

# ruff: noqa: F821
from config.env import env_int

# --- Editorial workflow -----------------------------------------------------------
# Triage, decisions, SLAs and retention of requests (takedowns/workflow/). See README "Editorial workflow".
# A request waiting for the requester's answer closes as withdrawn after this many days of silence.
TAKEDOWNS_NEEDS_INFO_WITHDRAW_DAYS = env_int("TAKEDOWNS_NEEDS_INFO_WITHDRAW_DAYS", 14, minimum=1)
# Due dates, counted from the requester's confirmation.
TAKEDOWNS_FIRST_RESPONSE_DAYS = env_int("TAKEDOWNS_FIRST_RESPONSE_DAYS", 3, minimum=1)
TAKEDOWNS_DECISION_DAYS = env_int("TAKEDOWNS_DECISION_DAYS", 14, minimum=1)
# Requester contact details, IP hashes and files are purged this many days after a request closes.
TAKEDOWNS_RETENTION_DAYS = env_int("TAKEDOWNS_RETENTION_DAYS", 365, minimum=1)
# Months shown on /transparency/ (the CSV has every month).
TAKEDOWNS_TRANSPARENCY_MONTHS = env_int("TAKEDOWNS_TRANSPARENCY_MONTHS", 24, minimum=1)
CELERY_BEAT_SCHEDULE["takedowns-withdraw-silent"] = {
    "task": "takedowns.tasks.withdraw_silent_requests",
    "schedule": 3600.0,
}
CELERY_BEAT_SCHEDULE["takedowns-overdue-digest"] = {
    "task": "takedowns.tasks.send_overdue_digest",
    "schedule": 24 * 3600.0,
}
CELERY_BEAT_SCHEDULE["takedowns-retention-purge"] = {
    "task": "takedowns.tasks.purge_closed_requests",
    "schedule": 24 * 3600.0,
}
