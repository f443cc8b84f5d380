"""Decisions that act on the article: apply an accepted request's action, and reverse it (reinstate).

Each action snapshots the article first (an ArticleRevision), then changes it
only through the attribution services: ``remove_article`` for removal and
``save_article`` (the import path) for text and source changes, so positions,
duplicates and quality flags stay consistent. The request moves first, through
the guarded transition, so the loser of a double click never touches the article.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attribution.models import Article
from attribution.parsing import MAX_SOURCES, ArticleInput, normalise_body, normalise_headline
from attribution.services import remove_article, restore_article_status, save_article
from takedowns.models import ArticleRevision, CorrectionNote, RequestEvent, TakedownRequest
from takedowns.services import record_event, transition
from takedowns.workflow import ACTIONS, _first_response, _internal_note, default_message, require_permission

Status = TakedownRequest.Status
Outcome = TakedownRequest.Outcome
TEXT_OUTCOMES = frozenset({Outcome.TEXT_CORRECTED, Outcome.REMOVED_PASSAGE})
SOURCE_OUTCOMES = frozenset({Outcome.ATTRIBUTION_CHANGED, Outcome.LINK_UPDATED})


@dataclass
class ArticleChange:
    """What an editor decided to do to one article of the request.

    ``headline``/``body`` for text outcomes (empty headline keeps it),
    ``sources`` (URLs as cited, in order) for attribution outcomes, and the
    public ``correction_note`` appended to the article for text outcomes.
    """

    outcome: str
    article: Article | None = None
    headline: str = ""
    body: str = ""
    sources: list[str] = field(default_factory=list)
    correction_note: str = ""


def _clean(takedown: TakedownRequest, change: ArticleChange) -> Article | None:
    """Validate the change against the request; returns the article it acts on (None for no_action)."""
    if change.outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what was done.")})
    if change.outcome == Outcome.NO_ACTION:
        return None
    articles = list(takedown.articles.all())
    article = change.article or (articles[0] if len(articles) == 1 else None)
    if article is None or article.pk not in {a.pk for a in articles}:
        raise ValidationError({"article": _("Choose one of the request's articles.")})
    if article.status == Article.Status.REMOVED:
        raise ValidationError({"article": _("This article is already removed.")})
    if change.outcome in TEXT_OUTCOMES and not normalise_body(change.body):
        raise ValidationError({"body": _("Give the corrected text of the article.")})
    if change.outcome in SOURCE_OUTCOMES:
        sources = [s.strip() for s in change.sources if s.strip()]
        if not sources and change.outcome == Outcome.LINK_UPDATED:
            raise ValidationError({"sources": _("Give the updated source list, one URL per line.")})
        if len(sources) > MAX_SOURCES:
            raise ValidationError({"sources": _("At most %(n)s sources.") % {"n": MAX_SOURCES}})
    return article


def snapshot(article: Article, *, request, reason: str, actor, note: str = "") -> ArticleRevision:
    sources = list(article.citations.order_by("position").values_list("text_as_written", flat=True))
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


def _save_content(article: Article, *, headline: str, body: str, sources: list[str], origin: str) -> None:
    save_article(
        ArticleInput(
            headline=normalise_headline(headline) or article.headline,
            published_on=article.published_on,
            body=normalise_body(body.replace("\r\n", "\n")),
            sources=tuple(sources),
            slug=article.slug,
            origin=origin,
        )
    )


def _change_article(takedown, article: Article, change: ArticleChange, actor) -> str:
    """Apply ``change`` to ``article``; returns a one-line description for the audit trail."""
    before = snapshot(article, request=takedown, reason=ArticleRevision.Reason.BEFORE_ACTION, actor=actor)
    origin = f"request #{takedown.pk}"
    if change.outcome == Outcome.REMOVED_ARTICLE:
        remove_article(article, actor=actor)
        return str(_("Article “%(slug)s” removed.") % {"slug": article.slug})
    if change.outcome in TEXT_OUTCOMES:
        _save_content(article, headline=change.headline, body=change.body, sources=before.sources, origin=origin)
        note = change.correction_note.strip() or str(
            _("This article was corrected on %(date)s following a request.")
            % {"date": timezone.localdate().isoformat()}
        )
        CorrectionNote.objects.create(article=article, request=takedown, text=note[:2000])
        return str(_("Text of “%(slug)s” corrected.") % {"slug": article.slug})
    sources = [s.strip() for s in change.sources if s.strip()]
    _save_content(article, headline=article.headline, body=article.body, sources=sources, origin=origin)
    return str(_("Sources of “%(slug)s” changed: %(n)s listed.") % {"slug": article.slug, "n": len(sources)})


@transaction.atomic
def apply_action(takedown, *, actor, change: ArticleChange, note: str = "", internal_note: str = "") -> TakedownRequest:
    """accepted → actioned with ``change.outcome``, applying the change to the article in the same transaction.

    Snapshots the article first, so ``reinstate_request`` can restore it.
    Raises ValidationError (field-keyed) for a change that does not fit the
    request, NotAllowed, or IllegalTransition; nothing is half-saved.
    """
    require_permission(actor, "apply", takedown, change.outcome)
    # The guarded move comes first, so the loser of a double click is told the
    # state changed; a change that does not fit then rolls the move back.
    moved = transition(
        takedown,
        to_status=Status.ACTIONED,
        from_statuses=ACTIONS["apply"].from_statuses,
        actor=actor,
        note=note.strip() or default_message(takedown, "apply"),
        updates={**_first_response(takedown), "outcome": change.outcome},
    )
    article = _clean(moved, change)
    if article is not None:
        description = _change_article(moved, article, change, actor)
        record_event(moved, kind=RequestEvent.Kind.ACTION, actor=actor, note=description, visible_to_requester=True)
    _internal_note(moved, actor, internal_note)
    return moved


@transaction.atomic
def reinstate_request(takedown, *, actor, note: str = "", internal_note: str = "") -> TakedownRequest:
    """actioned → reinstated (Legal): restore each article to its snapshot from before the action.

    The current state is snapshotted too (reason ``before_reinstatement``), and
    the correction notes the action added are retracted. The outcome stays,
    as the record of what had been done.
    """
    require_permission(actor, "reinstate", takedown)
    moved = transition(
        takedown,
        to_status=Status.REINSTATED,
        from_statuses=ACTIONS["reinstate"].from_statuses,
        actor=actor,
        note=note.strip() or default_message(takedown, "reinstate"),
    )
    befores = ArticleRevision.objects.filter(request=moved, reason=ArticleRevision.Reason.BEFORE_ACTION)
    for revision in befores.select_related("article").order_by("-created_at", "-id"):
        article = revision.article
        snapshot(article, request=moved, reason=ArticleRevision.Reason.BEFORE_REINSTATEMENT, actor=actor)
        restore_article_status(article, status=revision.status, actor=actor)
        _save_content(
            article,
            headline=revision.headline,
            body=revision.body,
            sources=revision.sources,
            origin=f"reinstated by request #{moved.pk}",
        )
        record_event(
            moved,
            kind=RequestEvent.Kind.ACTION,
            actor=actor,
            note=str(_("Article “%(slug)s” restored as it was before the action.") % {"slug": article.slug}),
            visible_to_requester=True,
        )
    CorrectionNote.objects.filter(request=moved, retracted_at__isnull=True).update(retracted_at=timezone.now())
    _internal_note(moved, actor, internal_note)
    return moved


def removal_notice(article: Article) -> dict | None:
    """When and by which request a removed article was removed: {"removed_at", "request_id"}, or None."""
    revision = (
        ArticleRevision.objects.filter(
            article=article, reason=ArticleRevision.Reason.BEFORE_ACTION, request__outcome=Outcome.REMOVED_ARTICLE
        )
        .order_by("-created_at", "-id")
        .values("created_at", "request_id")
        .first()
    )
    return {"removed_at": revision["created_at"], "request_id": revision["request_id"]} if revision else None
