"""Snapshots for the overlap tests, and articles written through the import service (real fingerprints)."""

import datetime as dt

import factory
from django.utils import timezone

from attribution.models import Article, SourceSnapshot, SourceURL
from attribution.parsing import ArticleInput
from attribution.services import save_article
from tests.attribution.factories import SourceURLFactory
from tests.overlap.texts import SITE_FURNITURE, WIRE_STORY

WIRE_URL = "https://wire.example/2026/harbour-cranes"


class SourceSnapshotFactory(factory.django.DjangoModelFactory):
    """The citation-time snapshot of the wire story, site furniture around it as an extractor might leave it."""

    class Meta:
        model = SourceSnapshot

    source_url = factory.SubFactory(SourceURLFactory)
    taken_at = factory.LazyFunction(timezone.now)
    reason = SourceSnapshot.Reason.FIRST
    fetched_url = factory.LazyAttribute(lambda s: s.source_url.url)
    http_status = 200
    content_type = "text/html"
    title = "Harbour cranes to return this month"
    text = f"{SITE_FURNITURE}\n\n{WIRE_STORY}\n\n{SITE_FURNITURE}"

    class Params:
        drift = factory.Trait(reason=SourceSnapshot.Reason.DRIFT)


def import_article(slug: str, body: str, sources=(WIRE_URL,), headline: str = "") -> Article:
    """Create or update an article the way an import does (save_article), citing ``sources`` in order."""
    data = ArticleInput(
        headline=headline or slug.replace("-", " ").capitalize(),
        published_on=dt.date(2026, 11, 2),
        body=body,
        sources=tuple(sources),
        slug=slug,
        origin="test",
    )
    article, _outcome = save_article(data)
    return article


def source(url: str = WIRE_URL) -> SourceURL:
    return SourceURL.objects.get(url=url)
