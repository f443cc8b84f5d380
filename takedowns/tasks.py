"""Thin Celery tasks of the request workflow: each calls one idempotent job. The database is the real queue."""

from celery import shared_task

from takedowns.workflow import jobs


@shared_task(ignore_result=True)
def expire_unconfirmed_requests() -> int:
    return jobs.expire_unconfirmed()


@shared_task(ignore_result=True)
def withdraw_silent_requests() -> int:
    return jobs.withdraw_silent_requests()


@shared_task(ignore_result=True)
def send_overdue_digest() -> int:
    return jobs.send_overdue_digest()


@shared_task(ignore_result=True)
def purge_closed_requests() -> int:
    return jobs.purge_closed_requests()
