"""Thin Celery tasks of the request workflow: each calls one idempotent job. The database is the real queue.

Each docstring's first line is what ``manage.py run_job`` prints beside the result.
"""

from celery import shared_task

from takedowns.workflow import jobs


@shared_task(ignore_result=True)
def expire_unconfirmed_requests() -> int:
    """Close requests never confirmed in time; returns how many."""
    return jobs.expire_unconfirmed()


@shared_task(ignore_result=True)
def withdraw_silent_requests() -> int:
    """Close as withdrawn the requests whose requester did not answer in time; returns how many."""
    return jobs.withdraw_silent_requests()


@shared_task(ignore_result=True)
def send_overdue_digest() -> int:
    """Queue the overdue-requests digest to assignees and Editors; returns the emails queued."""
    return jobs.send_overdue_digest()


@shared_task(ignore_result=True)
def purge_closed_requests() -> int:
    """Purge the personal data of requests closed longer than TAKEDOWNS_RETENTION_DAYS; returns how many."""
    return jobs.purge_closed_requests()
