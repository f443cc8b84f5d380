"""Staff API: /api/articles/<slug>/overlap/, each cited source with its copy overlap (attribution/api.py routes it).

Staff only, like the snapshots it is computed from. A separate read so the public article responses keep
their shape and query count.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.response import Response

from attribution.models import Article, Citation
from attribution.overlap.display import shown_overlaps


class OverlapRowSerializer(serializers.Serializer):
    snapshot_id = serializers.IntegerField()
    snapshot_taken_at = serializers.DateTimeField(source="snapshot.taken_at")
    ngram_words = serializers.IntegerField(help_text=_("Words per compared sequence."))
    article_ngrams = serializers.IntegerField(help_text=_("Distinct word sequences in the article."))
    shared_ngrams = serializers.IntegerField(help_text=_("Of those, how many the snapshot's text contains."))
    containment = serializers.FloatField(help_text=_("shared_ngrams ÷ article_ngrams, 0 to 1."))
    percent = serializers.CharField(help_text=_('The containment as a whole percentage ("<1" when small but not 0).'))
    longest_passage_words = serializers.IntegerField()
    longest_passage = serializers.CharField(help_text=_("As the article has it; cut at OVERLAP_PASSAGE_MAX_CHARS."))
    summary = serializers.CharField(help_text=_("The sentence the admin shows."))
    computed_at = serializers.DateTimeField()
    current = serializers.BooleanField(
        source="is_current", help_text=_("False: computed on an earlier version of the article; being recomputed.")
    )


class OverlapSourceSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text=_("The source's number in the article."))
    source_id = serializers.IntegerField()
    url = serializers.CharField()
    overlap = OverlapRowSerializer(
        many=True, help_text=_("One entry per snapshot of the source; empty until computed.")
    )


class ArticleOverlapSerializer(serializers.Serializer):
    slug = serializers.CharField()
    sources = OverlapSourceSerializer(many=True)


def article_overlap(slug: str) -> Response:
    """Every cited source of the article ``slug`` (any status) with its overlap rows; 404 if none. Three queries."""
    article = Article.objects.filter(slug=slug).only("pk", "slug").first()
    if article is None:
        raise Http404
    rows_by_source: dict[int, list] = {}
    for row in shown_overlaps([article.pk]):
        rows_by_source.setdefault(row.source_url_id, []).append(row)
    citations = Citation.objects.filter(article=article).select_related("source_url").order_by("position")
    sources, seen = [], set()
    for citation in citations:
        if citation.source_url_id in seen:
            continue  # cited twice: listed once, under its first number
        seen.add(citation.source_url_id)
        sources.append(
            {
                "position": citation.position,
                "source_id": citation.source_url_id,
                "url": citation.source_url.url,
                "overlap": rows_by_source.get(citation.source_url_id, []),
            }
        )
    return Response(ArticleOverlapSerializer({"slug": article.slug, "sources": sources}).data)
