"""Thin Celery tasks for the editorial workflow's periodic jobs; each calls one idempotent service."""

from celery import shared_task

from takedowns import workflow_jobs


@shared_task(ignore_result=True)
def withdraw_silent_requests() -> int:
    return workflow_jobs.withdraw_silent_requests()


@shared_task(ignore_result=True)
def send_overdue_digest() -> int:
    return workflow_jobs.send_overdue_digest()


@shared_task(ignore_result=True)
def purge_closed_requests() -> int:
    return workflow_jobs.purge_closed_requests()
