"""Records the import keeps beside articles: old addresses that moved, and incoming versions held for an editor.

Foreign keys name ``attribution.Article`` by string, so this module never
imports ``attribution.models`` (which imports this one to register the models).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from attribution.lib.indexes import exact_unique


class ArticleSlugRedirect(models.Model):
    """An address an article had before an import gave it a new slug; it answers 301 to the article."""

    old_slug = models.SlugField(max_length=120, unique=True, allow_unicode=True)
    article = models.ForeignKey("attribution.Article", on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("article slug redirect")

    def __str__(self):
        return f"{self.old_slug} → {self.article_id}"


class ImportConflict(models.Model):
    """An incoming version of an article the request workflow changed, held until an editor decides.

    Accepting applies it through the import service; dismissing keeps the
    article as it is, and the same incoming content (same fingerprint) is never
    raised again for that article.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    article = models.ForeignKey("attribution.Article", on_delete=models.CASCADE, related_name="import_conflicts")
    headline = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    published_on = models.DateField()
    # Sources as cited, in order (the import's own format: URLs or "[text](url)").
    sources = models.JSONField(default=list, blank=True)
    slug = models.CharField(max_length=120, blank=True)
    external_id = models.CharField(max_length=255, blank=True)
    canonical_url = models.CharField(max_length=2000, blank=True)
    fingerprint = models.CharField(max_length=64)
    # Where the incoming version came from: a file path, "jsonl:<path>:<line>", "api", a feed.
    origin = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import conflict")
        indexes = [
            # The import's look-up: has this article already held or dismissed this fingerprint?
            models.Index(fields=["article", "fingerprint"], name="importconflict_article_fp"),
            # The editors' queue: open conflicts, newest first.
            models.Index(fields=["status", "-created_at"], name="importconflict_status"),
        ]

    def __str__(self):
        return f"{self.headline[:60]} ({self.get_status_display()})"


class ImportedFile(models.Model):
    """What an import last read from one file: its bytes' hash, what they parsed to, and the article they are.

    A nightly re-import of unchanged files compares each file's hash with this
    row and checks the article still matches, instead of parsing and planning
    it again (attribution/importing/files.py). A cache: deleting rows only
    makes the next import slower.
    """

    origin = models.CharField(max_length=500)
    # sha256 of the parser's version and the file's bytes (attribution/importing/files.py).
    content_hash = models.CharField(max_length=64)
    article = models.ForeignKey("attribution.Article", on_delete=models.CASCADE, related_name="+")
    # What the bytes parsed to, as far as matching and the unchanged test need it.
    fingerprint = models.CharField(max_length=64)
    slug = models.CharField(max_length=120)  # the input's resolved slug (given, else derived from the headline)
    slug_given = models.BooleanField(default=False)
    published_on = models.DateField()
    external_id = models.CharField(max_length=255, blank=True)
    canonical_url = models.CharField(max_length=2000, blank=True)

    class Meta:
        verbose_name = _("imported file")
        constraints = [exact_unique("origin", "importedfile_unique_origin")]

    def __str__(self):
        return self.origin
