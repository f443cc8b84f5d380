"""Citewatch settings: one module, read from the environment.

Every variable read here is listed in README.md. The defaults give a working
single-machine demo (SQLite, tasks in-process); production sets DATABASE_URL,
CELERY_BROKER_URL, SECRET_KEY and DEBUG=false.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from split_settings.tools import include

from config.env import env_bool, env_float, env_int, env_list, env_str

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
    # First, so the Celery app exists before any other app's ready() runs (config/project.py).
    "config.project.CitewatchConfig",
    # Django's admin without autodiscovery at start-up: config/urls.py and the admin check discover it (config/apps.py).
    "config.apps.CitewatchAdminConfig",
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
    "csp",
    "axes",
    "simple_history",
    "attribution",
    "takedowns",
]

MIDDLEWARE = [
    # /healthz and /readyz answer before the Host check and https redirect (config/health.py).
    "config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.csp_policy.CitewatchCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Control characters (NUL…) in the path, query, credentials or session cookie: a 400/401 that
    # says so, before a session, a user or a view turns them into a query PostgreSQL refuses (config/hostile.py).
    "config.hostile.HostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Lets history rows credit the signed-in user and tell admin from API changes (attribution/history/).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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
# The languages Citewatch's pages and mail exist in; a request's mail is rendered in the one its form was
# used in. Add one here with its translations (tests/takedowns/test_mail_truth.py renders every email in each).
LANGUAGES = [("en", "English"), ("ar", "العربية")]
# Our own catalogues (locale/<code>/LC_MESSAGES/django.po); `make setup` compiles them (README "Languages").
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Uploaded files (request attachments) live outside the web root and are
# served only through views that check permissions.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "uploads")

# Files go through Django's storage API, so web and worker machines can share them: request
# attachments ("default") and source snapshots ("snapshots") on local disk under MEDIA_ROOT unless
# object storage is configured (README "Storage").
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "snapshots": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Hard ceilings on what one request may send; bigger bodies get a 400, not a
# worker tied up parsing them.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000


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
API_BASIC_AUTH = env_bool("API_BASIC_AUTH", False)
REST_FRAMEWORK = {
    # drf-spectacular plus the error responses every endpoint can give, documented once (config/openapi.py).
    "DEFAULT_SCHEMA_CLASS": "config.openapi.CitewatchAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 50, minimum=1),
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    # Scripts send an API token (attribution/tokens/); people in a browser use their admin session.
    # The token class comes first: it reads every Authorization header, refuses a bad one with a 401
    # saying what to send, and makes a request without credentials a 401 rather than a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "attribution.tokens.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ]
    # Passwords over Basic auth only where an operator still needs them (off by default).
    + (["rest_framework.authentication.BasicAuthentication"] if API_BASIC_AUTH else []),
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # DRF's JSON parser bounded in nesting depth, refusing NUL and lone surrogates (config/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
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
# Publishing gives up at once when the broker is down: one connection attempt
# (kombu's default is to retry for several seconds), bounded by a short
# connect timeout. A web request that saved its work must not stall on an
# outage; the database-backed sweeps publish it later. Workers keep retrying
# their own consuming connection (broker_connection_retry), which this leaves alone.
CELERY_BROKER_PUBLISH_CONNECT_TIMEOUT = env_float("CELERY_BROKER_PUBLISH_CONNECT_TIMEOUT", 0.5, minimum=0.05)
# A broker that accepts and then hangs would hold a publish forever without a socket timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": CELERY_BROKER_PUBLISH_CONNECT_TIMEOUT,
    "socket_timeout": env_float("CELERY_BROKER_SOCKET_TIMEOUT", 2.0, minimum=1.5),
}
CELERY_BROKER_CONNECTION_TIMEOUT = CELERY_BROKER_PUBLISH_CONNECT_TIMEOUT
# After a failed publish a process leaves the broker alone this long (attribution/lib/queue.py).
CELERY_PUBLISH_PAUSE_SECONDS = env_float("CELERY_PUBLISH_PAUSE_SECONDS", 15.0, minimum=0.0)
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
# Articles per database batch in import_articles: larger batches are faster (2,000 against 500: 11-20 %
# more articles a second on SQLite, bench/README.md "Import speed") but hold SQLite's write lock longer
# (about 0.2 s a batch at 10,000 articles a second).
ATTRIBUTION_IMPORT_BATCH_SIZE = env_int("ATTRIBUTION_IMPORT_BATCH_SIZE", 2000, minimum=1)
ATTRIBUTION_PAGE_SIZE = env_int("ATTRIBUTION_PAGE_SIZE", 20, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Each app's own settings (config/settings_parts/), in this module's namespace ---
include(
    "settings_parts/security.py",
    "settings_parts/requests.py",
    "settings_parts/linkcheck.py",
    "settings_parts/feeds.py",
    "settings_parts/workflow.py",
    "settings_parts/overlap.py",
    "settings_parts/snapshots.py",
    "settings_parts/drift.py",
    "settings_parts/storage.py",
    "settings_parts/save_page_now.py",
)
