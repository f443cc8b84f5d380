"""Mail to requesters, through the project's one outbox (``attribution.outbox``).

Rows about a request carry the topic ``request:<id>``, so the retention purge
finds them and the templates get the request itself (``takedown``) at send time.
"""

from django.conf import settings
from django.urls import reverse

from attribution import outbox
from takedowns.models import TakedownRequest

TOPIC_PREFIX = "request"


def topic(takedown: TakedownRequest) -> str:
    return f"{TOPIC_PREFIX}:{takedown.pk}"


def status_url(takedown: TakedownRequest) -> str:
    return settings.TAKEDOWNS_STATUS_URL_BASE + takedown.get_absolute_url()


def confirm_url(takedown: TakedownRequest) -> str:
    return settings.TAKEDOWNS_STATUS_URL_BASE + reverse(
        "takedowns:confirm", kwargs={"token": takedown.confirmation_token}
    )


def queue_requester_mail(takedown: TakedownRequest, template: str, context: dict | None = None):
    """Queue an email to the requester; call inside the transaction that makes the change.

    Returns the outbox row, or None (nothing queued) once the request's contact
    details have been purged.
    """
    if takedown.purged_at or not takedown.requester_email:
        return None
    return outbox.queue_email(
        topic=topic(takedown),
        template=template,
        recipients=[takedown.requester_email],
        context={"status_url": status_url(takedown), **(context or {})},
        language=takedown.language,
    )


def request_context(row_topic: str, context: dict) -> dict:
    """What requester templates need besides the row's own context: the request, and its new status's label."""
    request_id = int(row_topic.partition(":")[2])
    extra = {"takedown": TakedownRequest.objects.filter(pk=request_id).first()}
    if context.get("to_status") in TakedownRequest.Status.values:
        extra["to_status_label"] = TakedownRequest.Status(context["to_status"]).label
    return extra


def register() -> None:
    """Called from the app's ready(): render rows of topic ``request:<id>`` with the request."""
    outbox.register_context(TOPIC_PREFIX, request_context)
