# Citewatch: `make run` serves the demo, `make test` runs the whole suite.
# Both set themselves up from nothing but Python 3.11+ and make.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup messages run test lint format chromium bench screenshots clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Citewatch needs Python 3.11 or newer (found: $$($(PYTHON) --version))."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

setup: $(STAMP) messages

# Translations (README "Languages"): each locale/<code>/LC_MESSAGES/django.po is in git, its compiled
# django.mo is not (.gitignore); a .po newer than its .mo is compiled here. compilemessages needs GNU
# gettext's msgfmt, installed with apt-get when we can (root), as the chromium target does.
LOCALE_MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

messages: $(LOCALE_MO)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	@command -v msgfmt >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing GNU gettext to compile the translations..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else echo "The translations need GNU gettext (msgfmt): install it (apt-get install gettext, brew install gettext)."; exit 1; fi; }
	@# DEBUG=true: compiling needs no SECRET_KEY, even when the environment says DEBUG=false.
	DEBUG=true $(BIN)/python manage.py compilemessages --locale $* --ignore '.venv' --ignore 'staticfiles' -v0
	@touch $@

# The demo runs as production does, with DEBUG off (the site's own 404 and 500 pages, static files
# through WhiteNoise from collectstatic), over plain http on $(HOST): a random secret key kept in
# var/demo-secret-key, cookies not limited to https, and $(HOST) allowed. Anything already set in the
# environment (DEBUG, SECRET_KEY, ALLOWED_HOSTS, SECURE_COOKIES) wins; production settings are untouched.
DEMO_SECRET := var/demo-secret-key
DEMO_ENV = DEBUG="$${DEBUG:-false}" SECURE_COOKIES="$${SECURE_COOKIES:-false}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(HOST),127.0.0.1,localhost}" SECRET_KEY="$${SECRET_KEY:-$$(cat $(DEMO_SECRET))}"

$(DEMO_SECRET):
	@mkdir -p $(@D)
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# Migrate, load the demo articles and admin account (idempotent), then serve
# web + periodic jobs: in-process without CELERY_BROKER_URL, or with a real
# Celery worker and beat when it is set.
run: setup $(DEMO_SECRET)
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py setup_demo
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(DEMO_ENV) $(BIN)/python manage.py serve --addr $(HOST) --port $(PORT)

test: setup lint chromium
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser tests drive Debian's chromium. Install it when we can (root with
# apt); otherwise they are skipped locally (and fail under CI=true).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed: browser tests will be skipped."; fi; }

# The README's screenshots (docs/screenshots/), remade from the demo in chromium on a throwaway database.
screenshots: setup chromium
	$(BIN)/python manage.py screenshots --out docs/screenshots

# Every benchmark in bench/ (they print figures; bench/README.md records them).
# bench/api_load.py drives gunicorn with ApacheBench (ab), installed here when we can (root), as chromium is.
bench: setup
	@command -v ab >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null; } || true
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var staticfiles test-artifacts .pytest_cache .ruff_cache .hypothesis
