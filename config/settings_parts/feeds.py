"""Settings for CMS feeds (attribution/feeds/): included into config/settings.py by django-split-settings.

Runs in the settings module's namespace, so it reads names defined there
(SITE_URL, SECRET_KEY, CELERY_BEAT_SCHEDULE, SPECTACULAR_SETTINGS).
"""

# ruff: noqa: F821
from config.env import env_float, env_int, env_list

# --- Feeds ------------------------------------------------------------------------
# Articles pulled from the newsroom's CMS (attribution/feeds/). See README "Feeds".
# Feeds go through the link checker's SSRF guard; a CMS on a private network must be
# named here (host names or IP literals) to be reachable. Nothing else private is.
FEEDS_ALLOWED_PRIVATE_HOSTS = env_list("FEEDS_ALLOWED_PRIVATE_HOSTS")
# Wall-clock ceiling for one request, and the most of one response read (a feed is read whole).
FEEDS_TIMEOUT = env_float("FEEDS_TIMEOUT", 30.0, minimum=1.0)
FEEDS_MAX_BYTES = env_int("FEEDS_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# A failing feed waits interval × 2^(failures-1), at most this long, before the next try.
FEEDS_MAX_BACKOFF_HOURS = env_int("FEEDS_MAX_BACKOFF_HOURS", 24, minimum=1)
# WordPress paging: posts per page (the API allows at most 100) and pages per sync.
FEEDS_WORDPRESS_PER_PAGE = env_int("FEEDS_WORDPRESS_PER_PAGE", 50, minimum=1)
FEEDS_WORDPRESS_MAX_PAGES = env_int("FEEDS_WORDPRESS_MAX_PAGES", 20, minimum=1)
# A claimed feed is not handed out again for this long, so a crashed sync is retried, not lost.
FEEDS_LEASE_SECONDS = env_int("FEEDS_LEASE_SECONDS", 900, minimum=60)
CELERY_BEAT_SCHEDULE["feeds-sync-due"] = {"task": "attribution.tasks.sync_due_feeds", "schedule": 60.0}
