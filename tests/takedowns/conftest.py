import pytest

from tests.attribution.factories import ArticleFactory, CitationFactory, SourceURLFactory


@pytest.fixture
def article(db):
    """A published article citing two sources, the first on abcnews.go.com."""
    article = ArticleFactory(slug="harbour-cranes", headline="Harbour cranes return")
    CitationFactory(
        article=article, position=1, source_url=SourceURLFactory(url_as_cited="https://abcnews.go.com/story/cranes")
    )
    CitationFactory(
        article=article, position=2, source_url=SourceURLFactory(url_as_cited="https://other.example/report")
    )
    return article


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    """POST the request form as the browser does, running after-commit work (mail) like a real request."""

    def post(data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/requests/new/", data, **extra)

    return post
