"""Start-up: commands and workers do not import the web side, and the admin is still whole where it is used.

Each test starts a fresh Python process, as `manage.py`, a Celery worker or gunicorn does, and reads
its sys.modules: in this test process the URLs and admin are long since loaded. The admin is
discovered by config/urls.py and by the admin system check (config/apps.py), not at django.setup().
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The web side: each costs tens of milliseconds to import, and a job or an import uses none of it.
WEB_MODULES = [
    "config.urls",
    "attribution.admin",
    "takedowns.admin",
    "attribution.linkcheck.admin",
    "drf_spectacular.views",
    "rest_framework.serializers",
    "aiohttp",
    "feedparser",
]


CHECKER = ["aiohttp", "attribution.linkcheck.checker", "attribution.linkcheck.streaming"]


def run_python(code: str, tmp_path: Path) -> dict:
    """Run ``code`` in a new interpreter from the project root; it prints one JSON object last."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CITEWATCH_VAR_DIR": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": "startup-test",
    }
    # SQLite in tmp_path: nothing here needs the test database, and a worker set-up must not touch it.
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def loaded(names: list[str]) -> str:
    """An expression for the child: which of ``names`` it has imported."""
    return f"sorted(name for name in {names!r} if name in sys.modules)"


def test_a_management_command_starts_without_importing_the_web_side(tmp_path):
    (tmp_path / "empty").mkdir()
    code = f"""
import contextlib, io, json, sys
from django.core.management import execute_from_command_line
err = io.StringIO()
with contextlib.redirect_stderr(err), contextlib.suppress(SystemExit):
    execute_from_command_line(["manage.py", "import_articles", {str(tmp_path / "empty")!r}, "--no-progress"])
print(json.dumps({{"stderr": err.getvalue(), "web": {loaded(WEB_MODULES)}}}))
"""
    started = run_python(code, tmp_path)

    # The command really ran (and found nothing to import), with its system checks.
    assert "no .text or .txt files" in started["stderr"]
    assert started["web"] == []


def test_the_command_still_refuses_to_start_on_a_failing_model_check(tmp_path):
    code = """
import json
import django
django.setup()
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

@checks.register(checks.Tags.models)
def broken(app_configs, **kwargs):
    return [checks.Error("a broken model", id="startup.E001")]

try:
    call_command("import_articles", "/nonexistent", "--no-progress", skip_checks=False)
except SystemCheckError as error:
    print(json.dumps({"refused": "startup.E001" in str(error)}))
"""
    assert run_python(code, tmp_path) == {"refused": True}


def shared_tasks() -> set[str]:
    """Every ``@shared_task`` function in the source, as ``module.function``: what a worker must register."""
    names = set()
    for path in [*ROOT.glob("attribution/**/*.py"), *ROOT.glob("takedowns/**/*.py")]:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for function in re.findall(r"^@shared_task.*\n(?:@.*\n)*def (\w+)", path.read_text(), re.MULTILINE):
            names.add(f"{module}.{function}")
    return names


def test_a_worker_registers_every_task_without_importing_the_web_side(tmp_path):
    code = f"""
import json, sys
import django
django.setup()
from config.celery import app
app.loader.import_default_modules()  # what `celery worker` does before it takes a task
app.finalize()
web, checker_before = {loaded(WEB_MODULES[:6])}, {loaded(CHECKER)}
from celery.signals import worker_init
worker_init.send(sender=None)  # what the worker's main process sends before it forks its pool
print(json.dumps({{"tasks": sorted(app.tasks), "web": web, "checker": [checker_before, {loaded(CHECKER)}]}}))
"""
    worker = run_python(code, tmp_path)
    # Warm before the tick: the pool's processes inherit the checker instead of importing it in their first batch.
    # (The snapshot tasks already import aiohttp and the checker; the batch's streaming module comes with the hook.)
    assert "attribution.linkcheck.streaming" not in worker["checker"][0]
    assert worker["checker"][1] == CHECKER

    expected = shared_tasks()
    assert len(expected) >= 19
    assert expected <= set(worker["tasks"])
    assert worker["web"] == []


def test_a_web_worker_loads_its_urls_without_the_fetching_code(tmp_path):
    # Fetching (aiohttp), feed parsing and snapshot capture run in workers; a page or API view only queues them.
    code = f"""
import json, sys
import config.wsgi
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps({{"fetching": {loaded(["aiohttp", "feedparser", "lxml", "warcio"])}, "admin": {loaded(["attribution.admin"])}}}))
"""
    web = run_python(code, tmp_path)

    assert web == {"fetching": [], "admin": ["attribution.admin"]}


def test_the_admin_is_whole_once_the_urls_load(tmp_path):
    code = """
import json
import django
django.setup()
from django.contrib import admin
before = len(admin.site._registry)
from django.urls import reverse
reverse("admin:index")
print(json.dumps({"before": before, "after": sorted(m._meta.label for m in admin.site._registry)}))
"""
    site = run_python(code, tmp_path)

    assert site["before"] == 0
    assert {
        "attribution.Article",
        "attribution.SourceURL",
        "attribution.Feed",
        "takedowns.TakedownRequest",
        "auth.User",
        "django_celery_beat.PeriodicTask",
    } <= set(site["after"])


def test_the_admin_system_check_checks_every_model_admin(tmp_path):
    # `manage.py check` may run the admin check before anything loads the URLs: it discovers the admin itself.
    code = """
import json
import django
django.setup()
from django.contrib.admin import ModelAdmin
from django.core.checks import run_checks
checked = []
original = ModelAdmin.check
def check(self, **kwargs):
    checked.append(self.model._meta.label)
    return original(self, **kwargs)
ModelAdmin.check = check
errors = run_checks(tags=["admin"])
print(json.dumps({"checked": checked, "errors": [str(e) for e in errors]}))
"""
    result = run_python(code, tmp_path)

    assert result["errors"] == []
    assert {"attribution.Article", "attribution.SourceURL", "takedowns.TakedownRequest"} <= set(result["checked"])


def test_a_process_that_only_reads_settings_to_check_links_does_not_import_celery(tmp_path):
    # The bench's checker process (bench/linkcheck.py --child checker) and anything like it: the Celery app
    # comes with django.setup() (config/project.py), not with the config package (~0.17 s of CPU).
    code = f"""
import json, sys
from django.conf import settings
settings.LINKCHECK_USER_AGENT
from attribution.linkcheck.checker import check_urls
before_setup = {loaded(["celery", "kombu"])}
import django
django.setup()
from celery import current_app
print(json.dumps({{"before_setup": before_setup, "current_app": current_app.main}}))
"""
    assert run_python(code, tmp_path) == {"before_setup": [], "current_app": "citewatch"}


def test_a_worker_started_from_a_process_that_loaded_the_celery_app_starts(tmp_path):
    # config/celery.py sets CELERY_SKIP_CHECKS for the process; the celery CLI reads the same variable as
    # its --skip-checks flag, so a worker started from that process (manage.py serve, the benchmarks)
    # must inherit a value the CLI accepts. A marker once made it refuse to start ("not a valid boolean").
    code = """
import json, subprocess, sys
import config.celery
cli = subprocess.run([sys.executable, "-m", "celery", "-A", "config", "report"], capture_output=True, text=True)
print(json.dumps({"status": cli.returncode, "stderr": cli.stderr[-500:]}))
"""
    child = run_python(code, tmp_path)
    assert child["status"] == 0, child["stderr"]
