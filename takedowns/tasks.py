"""Thin Celery tasks: each takes ids and calls one service. The database is the real queue."""

from celery import shared_task

from takedowns import notifications, services


# Not acks_late: sending mail twice is what the row claim prevents, but a
# redelivered message after a worker crash mid-send could still double-send;
# the sweep covers lost messages instead.
@shared_task(bind=True, max_retries=5, ignore_result=True)
def send_notification(self, notification_id: int) -> str:
    result = notifications.deliver_notification(notification_id)
    if result == notifications.RETRY and not self.request.is_eager:
        # Retry soon through the broker; if that is lost too, the sweep finds the row.
        raise self.retry(countdown=min(60 * 2**self.request.retries, 3600))
    return result


@shared_task(ignore_result=True)
def send_unsent_notifications() -> dict:
    return notifications.send_unsent_notifications()


@shared_task(ignore_result=True)
def expire_unconfirmed_requests() -> int:
    return services.expire_unconfirmed()
