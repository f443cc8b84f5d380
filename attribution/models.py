"""Attribution records: articles, the sources they cite, and who owns them.

A SourceURL is one row per distinct normalised URL, shared by every article that cites it, so a link is
checked once however often it is cited. A Citation is the join, keeping the position and text as typed.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attribution.history.tracking import EditorialHistory
from attribution.lib.indexes import exact_index, exact_unique, index_where_set
from attribution.snapshots.robust_links import first_snapshot_taken_at
from attribution.snapshots.state import DriftState


class Publisher(models.Model):
    """The outlet that owns a host, e.g. ``abcnews.go.com`` → "ABC News".

    ``host`` is stored without a leading ``www.``; a SourceURL on any
    subdomain of it belongs to this publisher (see ``publisher_for_host``).
    """

    host = models.CharField(max_length=253, unique=True)
    name = models.CharField(max_length=200)
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = EditorialHistory(excluded_fields=["created_at"])  # renames, contacts, merges (attribution/history/)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SourceURL(DriftState, models.Model):
    """A distinct cited URL. ``url`` is normalised; ``url_as_cited`` is the first spelling seen."""

    url = models.TextField(help_text=_("Normalised: lowercase scheme and host, punycode, no default port or fragment."))
    # A unique index on a long TEXT column is not portable (PostgreSQL's btree
    # refuses entries over ~2.7 kB), so uniqueness is enforced on a hash (Meta.constraints).
    url_hash = models.CharField(max_length=64, editable=False)
    url_as_cited = models.TextField()
    host = models.CharField(max_length=253, blank=True)
    publisher = models.ForeignKey(Publisher, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources")
    # Why the URL cannot be checked or credits nothing specific; empty when fine.
    is_valid = models.BooleanField(default=True)
    invalid_reason = models.CharField(max_length=200, blank=True)
    is_homepage = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # --- Link check state (attribution/linkcheck/) ---------------------------
    class Status(models.TextChoices):
        UNCHECKED = "unchecked", _("Unchecked")
        OK = "ok", _("OK")
        REDIRECTED = "redirected", _("Moved permanently")
        BLOCKED = "blocked", _("Cannot verify (blocked)")
        FAILING = "failing", _("Failing")
        DEAD = "dead", _("Dead")
        INVALID = "invalid", _("Invalid")

    class FailureKind(models.TextChoices):
        NONE = "", _("None")
        DNS = "dns", _("Host not found")
        REFUSED = "refused", _("Connection refused")
        TIMEOUT = "timeout", _("Timed out")
        TLS = "tls", _("TLS error")
        HTTP_4XX = "http_4xx", _("Client error (4xx)")
        HTTP_5XX = "http_5xx", _("Server error (5xx)")
        SOFT_404 = "soft_404", _("Soft 404")
        TOO_MANY_REDIRECTS = "too_many_redirects", _("Too many redirects")
        TOO_LARGE = "too_large", _("Response too large")
        PRIVATE_ADDRESS = "private_address", _("Private address refused")
        BAD_URL = "bad_url", _("Malformed URL")
        RATE_LIMITED = "rate_limited", _("Rate limited (429)")
        BOT_WALL = "bot_wall", _("Bot wall")
        OTHER = "other", _("Other error")

    class Override(models.TextChoices):
        NONE = "", _("None")
        IGNORE = "ignore", _("Ignore")
        VERIFIED_OK = "verified_ok", _("Verified OK by an editor")

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNCHECKED, editable=False)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    final_url = models.TextField(blank=True, editable=False)
    redirect_chain = models.JSONField(default=list, blank=True, editable=False)
    failure_kind = models.CharField(max_length=20, choices=FailureKind.choices, blank=True, editable=False)
    # Any failed check in a row (what "failing since" shows) ...
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    first_failure_at = models.DateTimeField(null=True, blank=True, editable=False)
    # ... and the hard ones (404, 410, NXDOMAIN, soft 404, refused) that can
    # make a link dead. 5xx, timeouts and 429s neither add to nor reset it.
    hard_failures = models.PositiveIntegerField(default=0, editable=False)
    first_hard_failure_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    became_dead_at = models.DateTimeField(null=True, blank=True, editable=False)
    became_redirected_at = models.DateTimeField(null=True, blank=True, editable=False)
    # New URLs are due at once; the scheduler's tick picks them up within a minute.
    next_check_at = models.DateTimeField(default=timezone.now, editable=False)
    # Claimed by a batch: a claim moves next_check_at to the lease's end, so a crashed worker's URLs fall due again.
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    override = models.CharField(max_length=12, choices=Override.choices, blank=True, editable=False)
    # The status a "verified OK" override was given against; a different result later lifts the override.
    override_status = models.CharField(max_length=12, blank=True, editable=False)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False,
        db_index=False,  # indexed only where set (Meta.indexes)
    )  # fmt: skip
    override_at = models.DateTimeField(null=True, blank=True, editable=False)
    archive_url = models.TextField(blank=True, editable=False)
    archive_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = EditorialHistory.of_source_decisions()  # publisher and override only: checks write no history

    class Meta:
        verbose_name = "source URL"
        verbose_name_plural = "source URLs"
        constraints = [exact_unique("url_hash", "sourceurl_unique_url_hash")]
        indexes = DriftState.INDEXES + [
            exact_index("host", "sourceurl_host"),
            index_where_set("override_by", "sourceurl_override_by"),
            # The scheduler tick: WHERE next_check_at <= now ORDER BY next_check_at LIMIT n.
            models.Index(fields=["next_check_at"], name="sourceurl_next_check"),
            # Admin/API filters and the admin index counts by status.
            models.Index(fields=["status"], name="sourceurl_status"),
            # The tick: hosts with a batch in flight (WHERE lease_expires_at > now); only leased rows are indexed.
            models.Index(
                fields=["lease_expires_at"], name="sourceurl_lease", condition=models.Q(lease_expires_at__isnull=False)
            ),
            # The digest: links that became dead or redirected since the last one.
            index_where_set("became_dead_at", "sourceurl_became_dead"),
            index_where_set("became_redirected_at", "sourceurl_became_redirected"),
            # The drift tick (attribution/snapshots/): WHERE next_drift_check_at <= now ORDER BY it.
            models.Index(fields=["next_drift_check_at"], name="sourceurl_next_drift"),
        ]

    def __str__(self):
        return self.url

    @property
    def shown_status(self) -> str:
        """The status editors and readers see: an editor's override wins over the checker."""
        if self.override == self.Override.VERIFIED_OK:
            return self.Status.OK
        return self.status

    @property
    def is_broken_for_readers(self) -> bool:
        """Dead or failing, and not ignored or verified by an editor: the public page marks these."""
        return not self.override and self.status in (self.Status.DEAD, self.Status.FAILING)


class LinkCheck(models.Model):
    """One check of one SourceURL: the history shown in the admin and the API. Pruned after a retention period."""

    source_url = models.ForeignKey(SourceURL, on_delete=models.CASCADE, related_name="checks", db_index=False)
    checked_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=12, choices=SourceURL.Status.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    elapsed_ms = models.PositiveIntegerField(default=0)
    final_url = models.TextField(blank=True)
    failure_kind = models.CharField(max_length=20, choices=SourceURL.FailureKind.choices, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [
            # History of one URL, newest first (admin inline, API); the foreign key's own look-ups use it too.
            models.Index(fields=["source_url", "-checked_at"], name="linkcheck_history"),
        ]

    def __str__(self):
        return f"{self.source_url_id} {self.status} at {self.checked_at:%Y-%m-%d %H:%M}"


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def with_sources(self):
        """Everything a page or API response about these articles shows, in a fixed number of queries."""
        return self.prefetch_related(
            models.Prefetch(
                "citations",
                # The Robust Links date when no Wayback copy is known (attribution/snapshots/robust_links.py).
                queryset=Citation.objects.select_related("source_url__publisher")
                .annotate(first_snapshot_at=first_snapshot_taken_at())
                .order_by("position"),
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
    # Identity across re-imports (attribution/importing/plan.py): CMS post id or feed GUID; canonical address.
    external_id = models.CharField(max_length=255, blank=True, editable=False)
    canonical_url = models.CharField(max_length=2000, blank=True, editable=False)
    # The last version an import wrote, and when the request workflow last changed the article: after that,
    # an incoming version that differs from both is held as an ImportConflict (attribution/importing/plan.py).
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    edited_by_workflow_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by remove_article, cleared by restore_article_status: when it went, and the number of the request it
    # followed (the request workflow lives in another app, which this one never imports; hence a number, not a key).
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    removal_request_number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Attribution quality, recomputed by the import service on every save.
    has_no_sources = models.BooleanField(default=False)
    has_homepage_source = models.BooleanField(default=False)
    has_duplicate_source = models.BooleanField(default=False)
    has_invalid_source = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = EditorialHistory.of_articles()  # text, status, removal, source list (attribution/history/)

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [
            # The public list: published articles, newest first.
            models.Index(fields=["status", "-published_on", "-id"], name="article_public_list"),
            exact_index("canonical_url", "article_canonical_url"),  # import matching: WHERE canonical_url IN (…)
        ]
        constraints = [
            # Import matching: WHERE external_id IN (...); empty means "no identity" and may repeat.
            models.UniqueConstraint(
                fields=["external_id"], condition=~models.Q(external_id=""), name="article_unique_external_id"
            ),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("article-detail", kwargs={"slug": self.slug})

    def removal_notice(self) -> dict:
        """What a removed article's page and API answer: when it went, and following which request (or None)."""
        return {"removed_at": self.removed_at or self.updated_at, "request_id": self.removal_request_number}

    @property
    def quality_flags(self) -> list[str]:
        """Human-readable attribution problems, empty when attribution is sound."""
        flags = [
            (self.has_no_sources, _("No sources")),
            (self.has_homepage_source, _("Cites a bare homepage")),
            (self.has_duplicate_source, _("Same source cited twice")),
            (self.has_invalid_source, _("Invalid or non-web URL")),
        ]
        return [str(label) for is_set, label in flags if is_set]


class Citation(models.Model):
    # No index of its own: the unique (article, position) index serves look-ups by article; one less per insert.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations", db_index=False)
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


class LinkCheckDigest(models.Model):
    """When the daily link digest went out, so the next one lists only what changed since."""

    sent_at = models.DateTimeField(db_index=True)
    covered_since = models.DateTimeField(null=True, blank=True)
    link_count = models.PositiveIntegerField(default=0)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        get_latest_by = "sent_at"

    def __str__(self):
        return f"digest of {self.sent_at:%Y-%m-%d %H:%M}: {self.link_count} links"


class CorrectionNote(models.Model):
    """A public note appended to an article after a correction. Retracted (hidden) if the correction is reversed.

    Part of the article's public record, so it lives with the article; the request
    workflow writes it with the number of the request it followed.
    """

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="correction_notes")
    request_number = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    retracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("correction note")
        indexes = [
            # The article page: its standing notes; reinstatement: the notes one request added.
            models.Index(fields=["article", "created_at"], name="correction_article_created"),
            models.Index(fields=["request_number"], name="correction_request"),
        ]

    def __str__(self):
        return self.text[:80]


class OutboxEmail(models.Model):
    """The one outbox for every email Citewatch sends: requester mail, the link digest, the overdue digest.

    A row is written in the same transaction as the change it reports, and a Celery task sends it after
    commit. If the broker is down or the send fails, the sweep (``attribution.outbox.send_due``) finds the
    row again later, with one retry policy for every kind of mail: an outage delays mail, never loses it.
    """

    # What the mail is about, for the owner's look-ups: "request:42" (its requester
    # mail, purged with it), "linkcheck-digest", "overdue-digest".
    topic = models.CharField(max_length=64, blank=True)
    # A name under templates/emails/: <template>_subject.txt, <template>.txt and <template>.html.
    template = models.CharField(max_length=100)
    # One email, to every address here (a digest to a group goes out once, to all of them).
    recipients = models.JSONField(default=list)
    context = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=16, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField()
    # A sender claims the row until this time so the task and the sweep never send it twice at once.
    locked_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text=_("Set once retries are exhausted."))
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outbox email")
        indexes = [
            # The unsent-mail sweep: unsent, not given up, due.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
                name="outbox_unsent_due",
            ),
            # A request's mail, for its page and the retention purge.
            models.Index(fields=["topic"], name="outbox_topic"),
        ]

    def __str__(self):
        return f"{self.template} → {', '.join(self.recipients)}"


# Models in packages of their own, imported here so Django finds them in this app.
from attribution.feeds.models import Feed  # noqa: E402, F401
from attribution.importing.models import ArticleSlugRedirect, ImportConflict, ImportedFile  # noqa: E402, F401
from attribution.moves.models import MoveBatch, SourceAlias  # noqa: E402, F401
from attribution.overlap.models import CopyOverlap  # noqa: E402, F401
from attribution.snapshots.archive_submissions import ArchiveSubmission  # noqa: E402, F401
from attribution.snapshots.models import SourceSnapshot  # noqa: E402, F401
from attribution.tokens.models import ApiToken  # noqa: E402, F401
