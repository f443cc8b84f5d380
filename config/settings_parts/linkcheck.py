"""Settings for link checks (attribution/linkcheck/), the API schema enums and history: included into config/settings.py by django-split-settings.

Runs in the settings module's namespace, so it reads names defined there
(SITE_URL, SECRET_KEY, CELERY_BEAT_SCHEDULE, SPECTACULAR_SETTINGS).
"""

# ruff: noqa: F821
from config.env import env_bool, env_choice, env_float, env_int, env_list, env_str

# --- Link checks ----------------------------------------------------------------
# How Citewatch checks cited sources (attribution/linkcheck/). See README "Link checks".
# Refusing loopback/private addresses is the SSRF guard; lift it only for tests
# and intranet deployments whose sources live on private networks.
LINKCHECK_ALLOW_PRIVATE_HOSTS = env_bool("LINKCHECK_ALLOW_PRIVATE_HOSTS", False)
# Or trust only these host names (an intranet's), which may then resolve privately.
LINKCHECK_PRIVATE_HOSTS_ALLOWED = env_list("LINKCHECK_PRIVATE_HOSTS_ALLOWED")
LINKCHECK_CONNECT_TIMEOUT = env_float("LINKCHECK_CONNECT_TIMEOUT", 5.0, minimum=0.1)
# Wall-clock ceiling for one URL, redirects and retries included: a slow-drip
# server cannot hold a check longer than this.
LINKCHECK_TOTAL_TIMEOUT = env_float("LINKCHECK_TOTAL_TIMEOUT", 20.0, minimum=0.5)
LINKCHECK_MAX_BODY_BYTES = env_int("LINKCHECK_MAX_BODY_BYTES", 256 * 1024, minimum=1024)
LINKCHECK_MAX_REDIRECTS = env_int("LINKCHECK_MAX_REDIRECTS", 10, minimum=1)
# Which pages' titles are read ("Page not found" soft 404s). "always": every HTML page's, from the one
# GET each URL costs (its first bytes up to </title>). HEAD first instead, for the fewest bytes read:
# "auto" reads a page's title (a second request) only on sites that answer a made-up address with a
# page instead of a 404 (one HEAD per site and run finds out); "never" reads none.
LINKCHECK_READ_TITLES = env_choice("LINKCHECK_READ_TITLES", "always", ("always", "auto", "never"))
# The dead rule: this many consecutive hard failures spanning at least this long.
LINKCHECK_DEAD_AFTER_FAILURES = env_int("LINKCHECK_DEAD_AFTER_FAILURES", 3, minimum=1)
LINKCHECK_DEAD_AFTER_HOURS = env_int("LINKCHECK_DEAD_AFTER_HOURS", 72, minimum=0)
# Cadences: how long until the next check, by status (jitter spreads a big import).
LINKCHECK_OK_INTERVAL_HOURS = env_int("LINKCHECK_OK_INTERVAL_HOURS", 7 * 24, minimum=1)
LINKCHECK_FAILING_INTERVAL_HOURS = env_int("LINKCHECK_FAILING_INTERVAL_HOURS", 24, minimum=1)
LINKCHECK_DEAD_INTERVAL_HOURS = env_int("LINKCHECK_DEAD_INTERVAL_HOURS", 30 * 24, minimum=1)
LINKCHECK_JITTER_PERCENT = env_int("LINKCHECK_JITTER_PERCENT", 10, minimum=0)
# Politeness towards each host.
LINKCHECK_PER_HOST_CONCURRENCY = env_int("LINKCHECK_PER_HOST_CONCURRENCY", 2, minimum=1)
LINKCHECK_PER_HOST_INTERVAL_MS = env_int("LINKCHECK_PER_HOST_INTERVAL_MS", 250, minimum=0)
LINKCHECK_MAX_RETRY_AFTER_SECONDS = env_int("LINKCHECK_MAX_RETRY_AFTER_SECONDS", 120, minimum=0)
# Scheduling: URLs per batch task, batches per tick, and how long a claim lasts
# before a crashed worker's batch is handed to another.
LINKCHECK_BATCH_SIZE = env_int("LINKCHECK_BATCH_SIZE", 100, minimum=1)
LINKCHECK_MAX_BATCHES_PER_TICK = env_int("LINKCHECK_MAX_BATCHES_PER_TICK", 5, minimum=1)
LINKCHECK_LEASE_SECONDS = env_int("LINKCHECK_LEASE_SECONDS", 600, minimum=1)
# How often beat sends the tick; URLs of a host whose batch is still running wait this long for the next one.
LINKCHECK_TICK_SECONDS = env_float("LINKCHECK_TICK_SECONDS", 60.0, minimum=1.0)
# A batch's results are written in chunks of this many while the rest are still being checked.
LINKCHECK_RECORD_CHUNK_SIZE = env_int("LINKCHECK_RECORD_CHUNK_SIZE", 500, minimum=1)
# The Celery queues batches go to, spread round-robin by the tick; run workers on each (README "at scale").
LINKCHECK_QUEUES = env_list("LINKCHECK_QUEUES", ["linkcheck"]) or ["linkcheck"]
LINKCHECK_HISTORY_DAYS = env_int("LINKCHECK_HISTORY_DAYS", 180, minimum=1)
# Site owners who see our requests in their logs follow this to reach us.
LINKCHECK_CONTACT_URL = env_str("LINKCHECK_CONTACT_URL", f"{SITE_URL}/")
LINKCHECK_USER_AGENT = env_str("LINKCHECK_USER_AGENT", f"CitewatchLinkChecker/1.0 (+{LINKCHECK_CONTACT_URL})")
LINKCHECK_DIGEST_RECIPIENTS = env_list("LINKCHECK_DIGEST_RECIPIENTS")
LINKCHECK_WAYBACK_ENABLED = env_bool("LINKCHECK_WAYBACK_ENABLED", False)
LINKCHECK_WAYBACK_URL = env_str("LINKCHECK_WAYBACK_URL", "https://archive.org/wayback/available")

# Batches sent outside the tick ("check now") go to the first queue.
CELERY_TASK_ROUTES = {"attribution.tasks.check_link_batch": {"queue": LINKCHECK_QUEUES[0]}}
CELERY_BEAT_SCHEDULE["linkcheck-tick"] = {
    "task": "attribution.tasks.linkcheck_tick",
    "schedule": LINKCHECK_TICK_SECONDS,
}
CELERY_BEAT_SCHEDULE["linkcheck-digest"] = {"task": "attribution.tasks.send_linkcheck_digest", "schedule": 24 * 3600.0}
CELERY_BEAT_SCHEDULE["linkcheck-prune-history"] = {
    "task": "attribution.tasks.prune_link_history",
    "schedule": 24 * 3600.0,
}
# Article and SourceURL both have a "status" choice set; name the schema enums apart.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "LinkStatusEnum": "attribution.models.SourceURL.Status",
        "LinkFailureKindEnum": "attribution.models.SourceURL.FailureKind",
        "LinkOverrideEnum": "attribution.models.SourceURL.Override",
        "ImportConflictStatusEnum": "attribution.importing.models.ImportConflict.Status",
    }
)

# History (attribution/history/): off only to measure its cost; no admin revert (it would bypass the services).
SIMPLE_HISTORY_ENABLED, SIMPLE_HISTORY_REVERT_DISABLED = env_bool("HISTORY_ENABLED", True), True
