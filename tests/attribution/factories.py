"""Factories for attribution records, one per meaningful state."""

import datetime as dt

import factory

from attribution.models import Article, Citation, Publisher, SourceURL
from attribution.urls_normalise import normalise_url


class PublisherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publisher
        django_get_or_create = ["host"]

    host = factory.Sequence(lambda n: f"outlet{n}.example")
    name = factory.LazyAttribute(lambda p: p.host.split(".")[0].title())


class SourceURLFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceURL

    url_as_cited = factory.Sequence(lambda n: f"https://news.example/story-{n}")
    url = factory.LazyAttribute(lambda s: normalise_url(s.url_as_cited).url)
    url_hash = factory.LazyAttribute(lambda s: normalise_url(s.url_as_cited).url_hash)
    host = factory.LazyAttribute(lambda s: normalise_url(s.url_as_cited).host)
    publisher = factory.SubFactory(PublisherFactory, host=factory.SelfAttribute("..host"))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Council approves budget number {n}")
    slug = factory.Sequence(lambda n: f"council-approves-budget-{n}")
    body = "The council voted on Tuesday.\n\nThe budget takes effect in January."
    published_on = dt.date(2026, 3, 14)
    status = Article.Status.PUBLISHED
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")

    class Params:
        removed = factory.Trait(status=Article.Status.REMOVED)
        unpublished = factory.Trait(status=Article.Status.UNPUBLISHED)


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    article = factory.SubFactory(ArticleFactory)
    source_url = factory.SubFactory(SourceURLFactory)
    position = factory.Sequence(lambda n: n + 1)
    text_as_written = factory.LazyAttribute(lambda c: c.source_url.url_as_cited)


def article_with_sources(count: int, **kwargs) -> Article:
    article = ArticleFactory(**kwargs)
    for position in range(1, count + 1):
        CitationFactory(article=article, position=position)
    return article
