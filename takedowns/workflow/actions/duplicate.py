"""Mark as duplicate: any open state → duplicate, linked to the original request, which records the link too."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from takedowns.mail import duplicate_context
from takedowns.models import RequestEvent, TakedownRequest
from takedowns.workflow import steps
from takedowns.workflow.graph import require_permission
from takedowns.workflow.transition import record_event


@transaction.atomic
def mark_duplicate(takedown, *, actor, original, note: str = "", internal_note: str = "") -> TakedownRequest:
    """``original`` (another request) gets a ``duplicate_detected`` event; the requester is pointed to it."""
    require_permission(actor, "duplicate", takedown)
    if original is None or original.pk == takedown.pk:
        raise ValidationError({"duplicate_of": _("Choose another request as the original.")})
    moved = steps.decide(
        takedown,
        "duplicate",
        actor=actor,
        note=note,
        internal_note=internal_note,
        updates={"duplicate_of": original},
        notify_context=duplicate_context(takedown, original),
    )
    record_event(original, kind=RequestEvent.Kind.DUPLICATE_DETECTED, actor=actor, note=f"#{takedown.pk}")
    return moved
