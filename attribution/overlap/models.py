"""One stored comparison of an article with one snapshot of a source it cites (see compute.py)."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CopyOverlap(models.Model):
    """How much of an article's text appears in one snapshot of a source it cites. Evidence, not a finding.

    Computed once per (article, snapshot) and kept: snapshots never change, so a row is redone only when the
    article's text does (``article_fingerprint`` no longer matches ``Article.fingerprint``).
    """

    article = models.ForeignKey("attribution.Article", on_delete=models.CASCADE, related_name="copy_overlaps")
    snapshot = models.ForeignKey("attribution.SourceSnapshot", on_delete=models.CASCADE, related_name="copy_overlaps")
    # The snapshot's source, kept here so "is it still cited?" needs no join through the snapshot.
    source_url = models.ForeignKey("attribution.SourceURL", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(help_text=_("The source's number in the article (its first citation)."))
    ngram_words = models.PositiveSmallIntegerField(help_text=_("Words per compared sequence (OVERLAP_NGRAM_WORDS)."))
    article_ngrams = models.PositiveIntegerField(help_text=_("Distinct word sequences in the article."))
    shared_ngrams = models.PositiveIntegerField(help_text=_("Of those, how many the source's text contains."))
    containment = models.FloatField(help_text=_("shared ÷ article sequences, 0 to 1."))
    longest_passage_words = models.PositiveIntegerField(default=0)
    longest_passage = models.TextField(blank=True, help_text=_("As the article has it, cut at a length limit."))
    # Article.fingerprint when computed: a mismatch means the article changed and the row is stale.
    article_fingerprint = models.CharField(max_length=64)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("copy overlap")
        ordering = ["article", "position", "snapshot"]
        constraints = [
            # One row per pair; also the index behind the sweep's NOT EXISTS (article, snapshot) and the upsert.
            models.UniqueConstraint(fields=["article", "snapshot"], name="copyoverlap_unique_pair"),
        ]

    def __str__(self):
        return f"{self.article_id} × snapshot {self.snapshot_id}: {self.percent} %"

    @property
    def percent(self) -> str:
        """The containment as editors read it: a whole percentage that never rounds a match away or up to 100."""
        rounded = round(self.containment * 100)
        if rounded == 0 and self.shared_ngrams:
            return "<1"
        if rounded == 100 and self.shared_ngrams < self.article_ngrams:
            return ">99"
        return str(rounded)

    def summary(self) -> str:
        """The triage sentence, e.g. "62 % of this article's 8-word sequences appear in source 2; longest …"."""
        return gettext(
            "%(percent)s %% of this article's %(n)s-word sequences appear in source %(position)s; "
            "longest shared passage: %(words)s words"
        ) % {
            "percent": self.percent,
            "n": self.ngram_words,
            "position": self.position,
            "words": self.longest_passage_words,
        }
