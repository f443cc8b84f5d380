"""A move (one source or one whole outlet rewritten) and the aliases it leaves for later imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MoveBatch(models.Model):
    """One rewrite an editor applied: what moved where, and each article's sources before and after.

    ``changes`` is a list of {"article": id, "slug", "before": [...], "after": [...], "fingerprint": ...}
    with the source entries in the import's form, so an undo writes ``before`` back through the same
    import path, and refuses an article whose fingerprint is no longer ``fingerprint`` (edited since).
    """

    class Kind(models.TextChoices):
        SOURCE = "source", _("One moved source")
        HOST = "host", _("A whole outlet")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    old = models.TextField(help_text=_("The old URL, or the old scheme and host."))
    new = models.TextField(help_text=_("The new URL, or the new scheme and host."))
    changes = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moved link")
        verbose_name_plural = _("moved links")

    def __str__(self):
        return f"{self.old} → {self.new}"

    @property
    def article_count(self) -> int:
        return len(self.changes)


class SourceAlias(models.Model):
    """An old source URL that now means another: an import or feed item citing ``old_url`` cites ``new_url``."""

    old_url = models.TextField()
    # Unique on a hash, like SourceURL.url_hash: a long TEXT column cannot carry a portable unique index.
    old_url_hash = models.CharField(max_length=64, unique=True)
    new_url = models.TextField()
    batch = models.ForeignKey(MoveBatch, on_delete=models.CASCADE, related_name="aliases")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("source alias")
        verbose_name_plural = _("source aliases")

    def __str__(self):
        return f"{self.old_url} → {self.new_url}"
