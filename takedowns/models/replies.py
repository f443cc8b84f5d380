"""Editable texts of the messages the newsroom sends to requesters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReplyTemplate(models.Model):
    """Editable text for messages to requesters.

    A template with an ``action`` is the default message of that transition
    (sent when the editor leaves the note empty); every template is offered
    under "Reply to requester", to be edited before sending. Placeholders:
    {request_id}, {requester_name}, {article}.
    """

    name = models.CharField(max_length=100, unique=True)
    action = models.CharField(max_length=32, blank=True, help_text=_("The transition this is the default text of."))
    body = models.TextField(max_length=5000)
    # Requesters are written to in the language they filed in (TakedownRequest.language): one default text per
    # action and language; a language without its own text gets the site's (LANGUAGE_CODE).
    language = models.CharField(max_length=16, default="en", help_text=_("The language of this text: en or ar."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("reply template")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "language"], condition=~models.Q(action=""), name="reply_template_action_language"
            )
        ]

    def __str__(self):
        return self.name
