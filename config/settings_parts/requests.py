"""Settings for removal and change requests (takedowns/): included into config/settings.py by django-split-settings.

Runs in the settings module's namespace, so it reads names defined there
(SITE_URL, SECRET_KEY, CELERY_BEAT_SCHEDULE, SPECTACULAR_SETTINGS).
"""

# ruff: noqa: F821
from config.env import env_int, env_str

# --- Requests -------------------------------------------------------------------
# Removal and change requests from rights holders (takedowns/). See README "Requests".
# Unconfirmed requests expire after this many hours (swept by a beat job).
TAKEDOWNS_VERIFICATION_HOURS = env_int("TAKEDOWNS_VERIFICATION_HOURS", 24, minimum=1)
# Rate limits, counted in the database (so they hold across every web process):
# requests created per client IP and per requester email in the last hour.
TAKEDOWNS_RATE_PER_IP_PER_HOUR = env_int("TAKEDOWNS_RATE_PER_IP_PER_HOUR", 5, minimum=1)
TAKEDOWNS_RATE_PER_EMAIL_PER_HOUR = env_int("TAKEDOWNS_RATE_PER_EMAIL_PER_HOUR", 3, minimum=1)
# Messages a requester may add to one request per hour on the status page.
TAKEDOWNS_MESSAGES_PER_HOUR = env_int("TAKEDOWNS_MESSAGES_PER_HOUR", 10, minimum=1)
# Key for the HMAC of client IPs; defaults to SECRET_KEY. Changing it makes
# earlier hashes unmatchable (rate limits restart), nothing worse.
TAKEDOWNS_IP_HASH_KEY = env_str("TAKEDOWNS_IP_HASH_KEY") or SECRET_KEY
# Behind N trusted reverse proxies, the client IP is the Nth address from the
# right of X-Forwarded-For; 0 means use the socket address.
TAKEDOWNS_TRUSTED_PROXIES = env_int("TAKEDOWNS_TRUSTED_PROXIES", 0, minimum=0)
TAKEDOWNS_MAX_ATTACHMENTS = env_int("TAKEDOWNS_MAX_ATTACHMENTS", 5, minimum=0)
TAKEDOWNS_MAX_ATTACHMENT_BYTES = env_int("TAKEDOWNS_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024, minimum=1024)
# Base of the links in requesters' emails (status page, confirmation).
TAKEDOWNS_STATUS_URL_BASE = env_str("TAKEDOWNS_STATUS_URL_BASE", SITE_URL).rstrip("/")
CELERY_BEAT_SCHEDULE["takedowns-expire-unconfirmed"] = {
    "task": "takedowns.tasks.expire_unconfirmed_requests",
    "schedule": 15 * 60,
}
