"""What each historical model keeps: ``HistoricalRecords`` configured for attribution records (no model imports)."""

from django.db import models
from simple_history.models import HistoricalRecords

from attribution.history.context import MAX_VIA, current_user


class HistoryVia(models.Model):
    """Added to every historical model: through what the change came ("api", "admin", "request #12", a file)."""

    history_via = models.CharField(max_length=MAX_VIA, blank=True, default="")

    class Meta:
        abstract = True


class ArticleHistoryBase(HistoryVia):
    """An article's row also keeps its source list as written, in order, so editors see the list change."""

    sources = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True


class EditorialHistory(HistoricalRecords):
    """History of the named fields only (``only=``), or of every field but ``excluded_fields``.

    ``only`` keeps SourceURL's history to its editorial fields: a link-check
    field added later stays out of it without anyone remembering to exclude it.
    """

    def __init__(self, *, only: tuple[str, ...] = (), **options):
        options.setdefault("bases", [HistoryVia])
        options.setdefault("get_user", current_user)
        super().__init__(**options)
        self.only = set(only)

    @classmethod
    def of_articles(cls):
        """Text, status, removal and the source list (a snapshot on each row). Bookkeeping is left out:
        fingerprints, timestamps, and the quality flags, which follow from the sources."""
        return cls(
            bases=[ArticleHistoryBase],
            # History is read by article id; these indexes would only slow the import's history insert.
            no_db_index=["slug", "published_on", "canonical_url"],
            excluded_fields=[
                "fingerprint",
                "import_fingerprint",
                "edited_by_workflow_at",
                "created_at",
                "updated_at",
                "has_no_sources",
                "has_homepage_source",
                "has_duplicate_source",
                "has_invalid_source",
            ],
        )

    @classmethod
    def of_source_decisions(cls):
        """A source's editorial fields only (its publisher and an editor's override): a check writes no history."""
        return cls(only=("url", "publisher", "override", "override_status", "override_by", "override_at"))

    def finalize(self, sender, **kwargs):
        if self.only and sender is self.cls:
            self.excluded_fields = [
                field.name for field in sender._meta.fields if not field.primary_key and field.name not in self.only
            ]
        super().finalize(sender, **kwargs)
