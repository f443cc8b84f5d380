"""The project's own app: it creates the Celery app when Django is set up, not when settings are first read.

Tasks (``@shared_task``) and attribution/lib/queue.py send through Celery's current app. Until
config/celery.py has run that is Celery's default app (amqp://localhost, no settings), so every
process that sends a task must have created ours first. Every such process sets Django up (task
modules import models), and ready() runs then. A process that only reads settings, such as the
link checker in bench/linkcheck.py, no longer imports Celery and kombu (~0.17 s of CPU), as it did
while config/__init__.py imported the app. ``celery -A config`` finds ``config.celery.app`` itself.
"""

from django.apps import AppConfig


class CitewatchConfig(AppConfig):
    name = "config"
    verbose_name = "Citewatch"

    def ready(self):
        import config.celery  # noqa: F401
