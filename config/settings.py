"""Citewatch settings: one module, read from the environment.

Every variable read here is listed in README.md. The defaults give a working
single-machine demo (SQLite, tasks in-process); production sets DATABASE_URL,
CELERY_BROKER_URL, SECRET_KEY and DEBUG=false.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Runtime files (SQLite database, demo mail, uploads) live here, outside the
# web root and outside the source tree that git tracks.
VAR_DIR = Path(env_str("CITEWATCH_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "insecure-dev-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public base URL, used in emails and anywhere an absolute link is needed
# outside a request (tasks, digests).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "attribution",
    "takedowns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# DATABASE_URL selects PostgreSQL (postgres://user@host:5432/name); without it
# Citewatch uses an embedded SQLite file in VAR_DIR.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    # Lets two test runs share one PostgreSQL server without clobbering each other.
    if env_str("TEST_DATABASE_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH") or VAR_DIR / "citewatch.sqlite3",
            # WAL lets the web server read while a worker or import writes.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                # IMMEDIATE takes the write lock when a transaction starts, so
                # two writers queue on `timeout` instead of failing mid-way.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Uploaded files (request attachments) live outside the web root and are
# served only through views that check permissions.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "uploads")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Hard ceilings on what one request may send; bigger bodies get a 400, not a
# worker tied up parsing them.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Email --------------------------------------------------------------------
# Without EMAIL_HOST, mail is written as .eml files to VAR_DIR/mail so the demo
# user can open the confirmation links.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Citewatch <citewatch@localhost>")

# --- API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 50, minimum=1),
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "EXCEPTION_HANDLER": "config.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Citewatch API",
    "DESCRIPTION": "Attribution records, link checks and removal or change requests.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI assets are served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery -------------------------------------------------------------------
# With no broker, tasks run in-process (eagerly) and `manage.py serve` ticks the
# periodic jobs itself, so the demo needs no Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# One message at a time per worker process: link-check batches are long, and
# prefetching more would let one worker hoard work another could do.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic jobs, keyed by name. django-celery-beat copies these into its
# database schedule at start-up; `manage.py serve` runs them in-process when
# there is no broker. Each app adds its own entries below.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}

# --- Outgoing mail (attribution/outbox.py) ----------------------------------------
# Every email (requester mail, link digest, overdue digest) goes through one outbox.
# Attempts before a row is marked failed, and the grace period before the sweep
# sends a row the after-commit task may still be sending.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8, minimum=1)
OUTBOX_SWEEP_GRACE_SECONDS = env_int("OUTBOX_SWEEP_GRACE_SECONDS", 60, minimum=0)
# The beat entry keeps its name from when the outbox was the requests' own.
CELERY_BEAT_SCHEDULE["takedowns-send-unsent-mail"] = {
    "task": "attribution.tasks.send_due_outbox_emails",
    "schedule": 60,
}

# --- Attribution ----------------------------------------------------------------
# Articles per database batch in import_articles: larger batches are faster
# but hold a write lock on SQLite for longer.
ATTRIBUTION_IMPORT_BATCH_SIZE = env_int("ATTRIBUTION_IMPORT_BATCH_SIZE", 500, minimum=1)
ATTRIBUTION_PAGE_SIZE = env_int("ATTRIBUTION_PAGE_SIZE", 20, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

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
# When to GET an HTML page after a HEAD that said 200, to read its title ("Page not found" soft 404s).
# "auto": only on sites that answer a made-up address with a page instead of a 404 (one HEAD per
# site and run finds out), since those are the sites whose missing pages look like working ones.
# "always": every HTML page (two requests per page). "never": HEAD alone.
LINKCHECK_READ_TITLES = env_choice("LINKCHECK_READ_TITLES", "auto", ("auto", "always", "never"))
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
LINKCHECK_HISTORY_DAYS = env_int("LINKCHECK_HISTORY_DAYS", 180, minimum=1)
# Site owners who see our requests in their logs follow this to reach us.
LINKCHECK_CONTACT_URL = env_str("LINKCHECK_CONTACT_URL", f"{SITE_URL}/")
LINKCHECK_USER_AGENT = env_str("LINKCHECK_USER_AGENT", f"CitewatchLinkChecker/1.0 (+{LINKCHECK_CONTACT_URL})")
LINKCHECK_DIGEST_RECIPIENTS = env_list("LINKCHECK_DIGEST_RECIPIENTS")
LINKCHECK_WAYBACK_ENABLED = env_bool("LINKCHECK_WAYBACK_ENABLED", False)
LINKCHECK_WAYBACK_URL = env_str("LINKCHECK_WAYBACK_URL", "https://archive.org/wayback/available")

CELERY_TASK_ROUTES = {"attribution.tasks.check_link_batch": {"queue": "linkcheck"}}
CELERY_BEAT_SCHEDULE["linkcheck-tick"] = {"task": "attribution.tasks.linkcheck_tick", "schedule": 60.0}
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
    }
)

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
