"""`manage.py check --deploy` passes with the settings a production deployment gives, and the demo stays on http."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(tmp_path, *args, **env_vars):
    # Only what the test says: none of the caller's own settings of these leak in.
    ours = {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "SITE_URL", "SECRET_KEY", "ALLOWED_HOSTS"}
    env = {key: value for key, value in os.environ.items() if key not in ours and not key.startswith("SECURE_")}
    env |= {"CITEWATCH_VAR_DIR": str(tmp_path), "LOG_LEVEL": "WARNING", **env_vars}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "citewatch.example",
    "SITE_URL": "https://citewatch.example",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_flags_a_site_served_over_plain_http(tmp_path):
    # The https protections follow SITE_URL: without https there, check --deploy says what is missing.
    result = run_manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION | {"SITE_URL": "http://citewatch.example"},
    )

    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # HSTS
    assert "security.W008" in result.stderr + result.stdout  # SSL redirect


def show(tmp_path, **env_vars):
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_manage(tmp_path, "shell", "-c", code, **env_vars)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_demo_keeps_plain_http(tmp_path):
    assert show(tmp_path) == "False 0 False None"


def test_production_gets_the_https_protections_and_each_can_be_set(tmp_path):
    assert show(tmp_path, **PRODUCTION) == "True 31536000 True None"
    behind_proxy = PRODUCTION | {"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto", "SECURE_HSTS_SECONDS": "3600"}
    assert show(tmp_path, **behind_proxy) == "True 3600 True ('HTTP_X_FORWARDED_PROTO', 'https')"
