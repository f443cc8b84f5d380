"""The Feed record: where a CMS publishes, how often to ask, and how the last attempts went."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_INTERVAL = dt.timedelta(minutes=1)


class Feed(models.Model):
    class Kind(models.TextChoices):
        RSS = "rss", _("RSS 2.0")
        ATOM = "atom", _("Atom")
        JSON_FEED = "jsonfeed", _("JSON Feed")
        WORDPRESS = "wordpress", _("WordPress REST API")

    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(
        _("URL"),
        max_length=1000,
        help_text=_("The feed's address; for WordPress the site's address or its /wp-json/wp/v2/posts endpoint."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.RSS)
    enabled = models.BooleanField(_("enabled"), default=True)
    interval = models.DurationField(
        _("interval"), default=dt.timedelta(minutes=15), help_text=_("How often to ask the feed (at least 1 minute).")
    )
    # Schedule and health: written by attribution.feeds.sync only (read-only in the admin and the API).
    last_sync_at = models.DateTimeField(_("last successful sync"), null=True, blank=True)
    # Indexed for the beat job's query: enabled feeds whose next_sync_at has passed.
    next_sync_at = models.DateTimeField(_("next sync"), default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_result = models.CharField(_("last result"), max_length=500, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    # Conditional GET: what the server said last time, sent back as If-None-Match / If-Modified-Since.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # WordPress: the newest post "modified" time seen, in the site's own local time, because WordPress
    # compares modified_after with post_modified, which is local time.
    wordpress_modified_after = models.CharField(_("WordPress modified_after cursor"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("feed")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A new address or kind is a new conversation: validators and the WordPress cursor from the old one
        # would make the first sync skip items (a 304, or posts older than the cursor). The sync itself
        # writes with update(), so this runs for editors' saves only.
        if self.pk:
            before = Feed.objects.filter(pk=self.pk).values("url", "kind").first()
            if before and (before["url"], before["kind"]) != (self.url, self.kind):
                self.etag = self.last_modified = self.wordpress_modified_after = ""
        super().save(*args, **kwargs)

    def clean(self):
        """The rules the admin form and the API share: a URL the guard will fetch, a sane interval."""
        # Here, not at the top: loading the models should not load the HTTP client (aiohttp) in every process.
        from attribution.feeds.fetch import feed_url_problem

        errors = {}
        if self.url and (problem := feed_url_problem(self.url)):
            errors["url"] = problem
        if self.interval is not None and self.interval < MIN_INTERVAL:
            errors["interval"] = _("Ask a feed at most once a minute.")
        if errors:
            raise ValidationError(errors)
