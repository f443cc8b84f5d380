"""Article snapshots around an action, and writing an article's content back through the import service."""

from attribution.importing.fields import citation_entry
from attribution.models import Article
from attribution.parsing import ArticleInput, normalise_body, normalise_headline
from attribution.services import save_article
from takedowns.models import ArticleRevision


def snapshot(article: Article, *, request, reason: str, actor, note: str = "") -> ArticleRevision:
    """Record the article as it is now (headline, body, date, status, sources as written, in order)."""
    # A source cited as a link keeps its URL beside its text ("[text](url)"), so restoring it loses nothing.
    cited = article.citations.order_by("position").values_list("text_as_written", "source_url__url")
    sources = [citation_entry(text, url) for text, url in cited]
    return ArticleRevision.objects.create(
        article=article,
        request=request,
        reason=reason,
        headline=article.headline,
        body=article.body,
        published_on=article.published_on,
        status=article.status,
        sources=sources,
        actor=actor,
        note=note,
    )


def save_content(article: Article, *, headline: str, body: str, sources: list[str], origin: str) -> None:
    """Write new content to the article through the import path (positions, duplicates, quality flags).

    As a workflow decision: later imports that differ from it are held for an editor, not applied.
    """
    save_article(
        ArticleInput(
            headline=normalise_headline(headline) or article.headline,
            published_on=article.published_on,
            body=normalise_body(body.replace("\r\n", "\n")),
            sources=tuple(sources),
            slug=article.slug,
            origin=origin,
        ),
        by_workflow=True,
    )
