"""Send a Celery task by name after commit, without importing the module that defines it.

Services call this instead of importing their app's ``tasks`` module, which
imports the services: no import cycle, and the task still runs in-process when
there is no broker (CELERY_TASK_ALWAYS_EAGER), unlike ``send_task``.
"""

import importlib
import logging
import time

from celery import current_app
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

# After a failed publish, this process skips the broker until this moment
# (time.monotonic()): during an outage one request per pause pays the connect
# timeout, not every request.
_broker_paused_until = 0.0


def _task(name: str):
    task = current_app.tasks.get(name)
    if task is None:
        # Not registered in this process yet: import the module that defines it (its name is the task's prefix).
        importlib.import_module(name.rpartition(".")[0])
        task = current_app.tasks[name]
    return task


def enqueue(name: str, *args) -> bool:
    """Publish one task now; returns False (logged) if the broker refused it. Never raises on a broker outage.

    No publish retries: during an outage a web request must not hang; the
    database-backed sweeps find the work again instead. After a failure the
    process stops trying for ``CELERY_PUBLISH_PAUSE_SECONDS``.
    """
    global _broker_paused_until
    if time.monotonic() < _broker_paused_until:
        logger.info("broker paused after a failed publish; %s%r is left to the periodic sweep", name, args)
        return False
    try:
        _task(name).apply_async(args, retry=False)
    except Exception:
        _broker_paused_until = time.monotonic() + settings.CELERY_PUBLISH_PAUSE_SECONDS
        logger.warning("could not enqueue %s%r; a periodic sweep will pick the work up", name, args, exc_info=True)
        return False
    return True


def enqueue_on_commit(name: str, *args) -> None:
    """``enqueue`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(name, *args))
