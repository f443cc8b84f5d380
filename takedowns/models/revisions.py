"""Records the editorial workflow adds: article revisions, public correction notes, editable reply texts.

Imported at the end of takedowns/models.py so Django sees these as models of
the ``takedowns`` app. Articles belong to the attribution app; their history
lives here, because a revision only ever exists as part of a request's action.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleRevision(models.Model):
    """A snapshot of an article (headline, body, status, sources) taken just before the workflow changes it.

    Append-only, like the audit trail: reinstating a request restores the
    snapshot taken before its action. Sources are stored as written, in
    order, so a restore re-imports them through the import service.
    """

    class Reason(models.TextChoices):
        BEFORE_ACTION = "before_action", _("Before an action on a request")
        BEFORE_REINSTATEMENT = "before_reinstatement", _("Before a reinstatement")

    article = models.ForeignKey("attribution.Article", on_delete=models.PROTECT, related_name="revisions")
    request = models.ForeignKey(
        "takedowns.TakedownRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="article_revisions"
    )
    reason = models.CharField(max_length=32, choices=Reason.choices)
    headline = models.CharField(max_length=500)
    body = models.TextField()
    published_on = models.DateField()
    status = models.CharField(max_length=20)
    # [text as written, …] in position order.
    sources = models.JSONField(default=list)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("article revision")
        indexes = [
            # Reinstatement: the snapshot taken before one request's action.
            models.Index(fields=["request", "reason"], name="revision_request_reason"),
            # An article's history, newest first.
            models.Index(fields=["article", "-created_at"], name="revision_article_created"),
        ]
        # The workflow's permissions. They guard actions on TakedownRequest,
        # which the requests module owns, so they are declared here.
        permissions = [
            ("triage_request", _("Can triage requests: take, assign, ask, reject, spam, duplicate")),
            ("decide_legal_request", _("Can decide removal, copyright and privacy requests")),
            ("reinstate_request", _("Can reinstate an actioned request")),
        ]

    def __str__(self):
        return f"{self.article_id} @ {self.created_at:%Y-%m-%d %H:%M} ({self.get_reason_display()})"


class CorrectionNote(models.Model):
    """A public note appended to an article after a correction. Retracted (hidden) if the request is reinstated."""

    article = models.ForeignKey("attribution.Article", on_delete=models.PROTECT, related_name="correction_notes")
    request = models.ForeignKey(
        "takedowns.TakedownRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="correction_notes"
    )
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    retracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("correction note")

    def __str__(self):
        return self.text[:80]


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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("reply template")
        constraints = [
            models.UniqueConstraint(fields=["action"], condition=~models.Q(action=""), name="reply_template_action")
        ]

    def __str__(self):
        return self.name
