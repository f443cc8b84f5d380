"""Mail to requesters, through the project's one outbox (``attribution.outbox``).

Rows about a request carry the topic ``request:<id>``, so the retention purge
finds them and the templates get the request itself (``takedown``) at send time.
"""

from django.conf import settings
from django.urls import reverse

from attribution import outbox
from takedowns.models import OPEN_STATUSES, TakedownRequest

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
    # Before confirmation the address is unproven: its mail carries the confirmation link and nothing else.
    links = (
        {} if takedown.status == TakedownRequest.Status.PENDING_VERIFICATION else {"status_url": status_url(takedown)}
    )
    return outbox.queue_email(
        topic=topic(takedown),
        template=template,
        recipients=[takedown.requester_email],
        context={**links, **(context or {})},
        language=takedown.language,
    )


def duplicate_context(takedown: TakedownRequest, original: TakedownRequest) -> dict:
    """What the duplicate notice says about the original request.

    Its status-page link only when the original is the same requester's: the
    link is a private key, and an editor may link requests from two outlets.
    """
    context = {"original_id": original.pk, "original_can_reply": original.status in OPEN_STATUSES}
    if original.requester_email and original.requester_email.lower() == (takedown.requester_email or "").lower():
        context["original_status_url"] = status_url(original)
    return context


def request_context(row_topic: str, context: dict) -> dict:
    """What requester templates need besides the row's own context: the request, whether it takes replies, the status label."""
    request_id = int(row_topic.partition(":")[2])
    takedown = TakedownRequest.objects.filter(pk=request_id).first()
    # Mail invites a reply only while the status page takes one (an open request), as of sending.
    extra = {"takedown": takedown, "can_reply": bool(takedown and takedown.status in OPEN_STATUSES)}
    if context.get("to_status") in TakedownRequest.Status.values:
        extra["to_status_label"] = TakedownRequest.Status(context["to_status"]).label
    return extra


def register() -> None:
    """Called from the app's ready(): render rows of topic ``request:<id>`` with the request."""
    outbox.register_context(TOPIC_PREFIX, request_context)
