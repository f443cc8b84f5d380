"""Stored overlap as pages and the API show it: one query for any number of articles."""

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q

from attribution.models import Citation
from attribution.overlap.models import CopyOverlap


def shown_overlaps(article_ids=None):
    """Rows for sources the articles still cite, with ``is_current``, without the snapshots' text.

    ``is_current`` is False when the article (or OVERLAP_NGRAM_WORDS) changed since the row was computed:
    the sweep recomputes it, and until then pages say so. Ordered by article, source number, snapshot date.
    """
    cited = Citation.objects.filter(article_id=OuterRef("article_id"), source_url_id=OuterRef("source_url_id"))
    fresh = Q(article_fingerprint=F("article__fingerprint"), ngram_words=settings.OVERLAP_NGRAM_WORDS)
    current = ExpressionWrapper(fresh, output_field=BooleanField())
    rows = CopyOverlap.objects.filter(Exists(cited))
    if article_ids is not None:
        rows = rows.filter(article_id__in=article_ids)
    return (
        rows.select_related("snapshot")
        .defer("snapshot__text")
        .annotate(is_current=current)
        .order_by("article_id", "position", "snapshot__taken_at", "snapshot_id")
    )


def attach_overlaps(articles) -> None:
    """Set ``article.copy_overlap`` (a list of rows, maybe empty) on each article, in one query."""
    rows: dict[int, list[CopyOverlap]] = {article.pk: [] for article in articles}
    for row in shown_overlaps(list(rows)):
        rows[row.article_id].append(row)
    for article in articles:
        article.copy_overlap = rows[article.pk]
