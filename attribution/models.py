"""Attribution records: articles, the sources they cite, and who owns them.

A SourceURL is one row per distinct normalised URL, shared by every article
that cites it, so a link is checked once however often it is cited. A Citation
is the join, keeping the position and the text exactly as the writer typed it.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Publisher(models.Model):
    """The outlet that owns a host, e.g. ``abcnews.go.com`` → "ABC News".

    ``host`` is stored without a leading ``www.``; a SourceURL on any
    subdomain of it belongs to this publisher (see ``publisher_for_host``).
    """

    host = models.CharField(max_length=253, unique=True)
    name = models.CharField(max_length=200)
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SourceURL(models.Model):
    """A distinct cited URL. ``url`` is normalised; ``url_as_cited`` is the first spelling seen."""

    url = models.TextField(help_text=_("Normalised: lowercase scheme and host, punycode, no default port or fragment."))
    # A unique index on a long TEXT column is not portable (PostgreSQL's btree
    # refuses entries over ~2.7 kB), so uniqueness is enforced on a hash.
    url_hash = models.CharField(max_length=64, unique=True, editable=False)
    url_as_cited = models.TextField()
    host = models.CharField(max_length=253, blank=True, db_index=True)
    publisher = models.ForeignKey(Publisher, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources")
    # Why the URL cannot be checked or credits nothing specific; empty when fine.
    is_valid = models.BooleanField(default=True)
    invalid_reason = models.CharField(max_length=200, blank=True)
    is_homepage = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "source URL"
        verbose_name_plural = "source URLs"

    def __str__(self):
        return self.url


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def with_sources(self):
        """Everything a page or API response about these articles shows, in a fixed number of queries."""
        return self.prefetch_related(
            models.Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source_url__publisher").order_by("position"),
            )
        )


class Article(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        REMOVED = "removed", _("Removed")

    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True)
    headline = models.CharField(max_length=500)
    body = models.TextField()
    published_on = models.DateField(db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    # Where the text came from: a file path, "jsonl:<path>:<line>", or "api".
    imported_from = models.CharField(max_length=500, blank=True)
    # sha256 of headline, date, body and sources as cited: an unchanged
    # re-import is detected without comparing every field.
    fingerprint = models.CharField(max_length=64, editable=False)
    # Attribution quality, recomputed by the import service on every save.
    has_no_sources = models.BooleanField(default=False)
    has_homepage_source = models.BooleanField(default=False)
    has_duplicate_source = models.BooleanField(default=False)
    has_invalid_source = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [
            # The public list: published articles, newest first.
            models.Index(fields=["status", "-published_on", "-id"], name="article_public_list"),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("article-detail", kwargs={"slug": self.slug})

    @property
    def quality_flags(self) -> list[str]:
        """Human-readable attribution problems, empty when attribution is sound."""
        labels = []
        if self.has_no_sources:
            labels.append(str(_("No sources")))
        if self.has_homepage_source:
            labels.append(str(_("Cites a bare homepage")))
        if self.has_duplicate_source:
            labels.append(str(_("Same source cited twice")))
        if self.has_invalid_source:
            labels.append(str(_("Invalid or non-web URL")))
        return labels


class Citation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    source_url = models.ForeignKey(SourceURL, on_delete=models.PROTECT, related_name="citations")
    position = models.PositiveIntegerField(help_text=_("1 for the first source in the list."))
    text_as_written = models.TextField()
    is_duplicate = models.BooleanField(
        default=False, help_text=_("An earlier citation in this article has the same URL.")
    )

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="citation_unique_position"),
        ]

    def __str__(self):
        return f"{self.position}/ {self.text_as_written}"

    @property
    def quality_flags(self) -> list[str]:
        labels = []
        if not self.source_url.is_valid:
            labels.append(self.source_url.invalid_reason or str(_("Invalid URL")))
        elif self.source_url.is_homepage:
            labels.append(str(_("Bare homepage: credits no specific work")))
        if self.is_duplicate:
            labels.append(str(_("Cited twice")))
        return labels
