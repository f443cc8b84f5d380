"""Ask for information: in_review → needs_info; the note is the question to the requester."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from takedowns.models import TakedownRequest
from takedowns.workflow import steps
from takedowns.workflow.graph import require_permission


@transaction.atomic
def ask_for_information(takedown, *, actor, note: str = "", internal_note: str = "") -> TakedownRequest:
    """Their reply on the status page returns the request to in_review (``requester.add_requester_message``)."""
    require_permission(actor, "ask_for_information", takedown)
    if not note.strip():
        raise ValidationError({"note": _("Write the question to the requester.")})
    return steps.decide(takedown, "ask_for_information", actor=actor, note=note, internal_note=internal_note)
