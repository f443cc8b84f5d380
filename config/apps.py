"""Django's admin, registered when the URLs or the checks first need it instead of at django.setup().

Django's default AdminConfig imports every app's admin module at start-up (autodiscovery). Ours pull
in DRF's serializers (the workflow registry), requests, psycopg and most services, ~0.4 s of CPU that a
Celery worker or a management command then never uses. config/urls.py calls admin.autodiscover() (Django's
documented SimpleAdminConfig pattern), so the admin is complete whenever a URL is resolved or
reversed; the admin system check discovers it too, so `manage.py check` still checks every ModelAdmin.
"""

from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks
from django.core.checks.registry import registry

# The system checks that import the web side: URLs (every view, the API, Swagger), admin (every
# ModelAdmin), templates (every template tag library) and compatibility (DRF's pagination check
# imports its serializers, requests and psycopg): ~0.6 s of CPU and ~40 MB together.
WEB_CHECK_TAGS = {checks.Tags.urls, checks.Tags.admin, checks.Tags.templates, checks.Tags.compatibility}


def checks_without_web():
    """The other system check tags (models, database, settings…), for commands and workers that serve no pages.

    `manage.py check`, runserver and the tests still run every check. Call after django.setup(): apps
    register their checks in ready(). Untagged checks (axes' and auth's settings checks) run only with all.
    """
    return sorted(registry.tags_available() - WEB_CHECK_TAGS)


def check_discovered_admin(app_configs, **kwargs):
    """Django's admin check, on the admin as autodiscovery registers it (idempotent: imports are cached)."""
    from django.contrib.admin import autodiscover

    autodiscover()
    return check_admin_app(app_configs, **kwargs)


class CitewatchAdminConfig(SimpleAdminConfig):
    def ready(self):
        # SimpleAdminConfig.ready() registers check_admin_app, which would check a site nothing had
        # registered yet when checks run before the URLs load (`manage.py check` does).
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_discovered_admin, checks.Tags.admin)
