"""Snapshots of an article taken by the request workflow, so any action on it can be reversed.

Articles belong to the attribution app; these revisions live here because a
revision only ever exists as part of a request's action.
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

    def __str__(self):
        return f"{self.article_id} @ {self.created_at:%Y-%m-%d %H:%M} ({self.get_reason_display()})"
