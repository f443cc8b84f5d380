"""Reply to the requester: a message from staff, logged and emailed. Not a move: the status stays."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attribution.lib.hostile import unsafe_in_text
from takedowns.mail import queue_requester_mail
from takedowns.models import MAX_SHORT_TEXT, Message, RequestEvent, TakedownRequest
from takedowns.workflow.graph import NotAllowed, can_triage
from takedowns.workflow.transition import record_event


@transaction.atomic
def reply_to_requester(takedown, *, actor, body: str) -> Message:
    """Logged as a Message and a visible event, and emailed after commit. The first reply counts as first response."""
    if not can_triage(actor):
        raise NotAllowed(_("Only the Editors and Legal groups handle requests."))
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the message to send.")})
    if unsafe_in_text(body):
        # The admin posts the body as typed; NUL cannot be stored in PostgreSQL nor sent by mail.
        raise ValidationError(
            {"body": _("Remove the control characters from the message (tabs and line breaks are fine).")}
        )
    if takedown.purged_at:
        raise ValidationError({"body": _("The requester's contact details were purged; nothing can be sent.")})
    message = Message.objects.create(
        request=takedown, direction=Message.Direction.TO_REQUESTER, author=actor, body=body[:MAX_SHORT_TEXT]
    )
    record_event(takedown, kind=RequestEvent.Kind.MESSAGE, actor=actor, message=message, visible_to_requester=True)
    queue_requester_mail(takedown, "workflow/reply", {"body": message.body})
    TakedownRequest.objects.filter(pk=takedown.pk, first_response_at__isnull=True).update(
        first_response_at=timezone.now()
    )
    return message
