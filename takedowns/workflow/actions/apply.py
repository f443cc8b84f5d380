"""Apply the action on the article: accepted → actioned with an outcome, changing the article in the same transaction.

The article is snapshotted first (an ArticleRevision), then changed only
through the attribution services: ``remove_article`` for removal and
``save_article`` (the import path) for text and source changes, so positions,
duplicates and quality flags stay consistent. The request moves first, through
the guarded transition, so the loser of a double click never touches the article.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attribution.models import Article, CorrectionNote
from attribution.parsing import MAX_SOURCES, normalise_body
from attribution.services import remove_article
from takedowns.models import ArticleRevision, RequestEvent, TakedownRequest
from takedowns.workflow import steps
from takedowns.workflow.graph import require_permission
from takedowns.workflow.outcomes import offered_outcomes
from takedowns.workflow.revisions import save_content, snapshot
from takedowns.workflow.transition import record_event

Outcome = TakedownRequest.Outcome
TEXT_OUTCOMES = frozenset({Outcome.TEXT_CORRECTED, Outcome.REMOVED_PASSAGE})
SOURCE_OUTCOMES = frozenset({Outcome.ATTRIBUTION_CHANGED, Outcome.LINK_UPDATED})


@dataclass
class ArticleChange:
    """What an editor decided to do to one article of the request.

    ``headline``/``body`` for text outcomes (empty headline keeps it),
    ``sources`` (URLs as cited, in order) for attribution outcomes, and the
    public ``correction_note`` appended to the article for text outcomes.
    ``confirm_removal`` is the explicit second step a removal needs.
    """

    outcome: str
    article: Article | None = None
    headline: str = ""
    body: str = ""
    sources: list[str] = field(default_factory=list)
    correction_note: str = ""
    confirm_removal: bool = False


class RemovalNotConfirmed(ValidationError):
    """A removal asked for without its confirmation; ``article`` is the one it would remove (the admin asks about it)."""

    def __init__(self, article: Article):
        self.article = article
        super().__init__(
            {
                "confirm_removal": _(
                    "Removing “%(headline)s” makes it answer 410 Gone: confirm the removal to go ahead."
                )
                % {"headline": article.headline}
            }
        )


@transaction.atomic
def apply_action(takedown, *, actor, change: ArticleChange, note: str = "", internal_note: str = "") -> TakedownRequest:
    """accepted → actioned with ``change.outcome``, applying the change to the article.

    Snapshots the article first, so ``reinstate_request`` can restore it.
    Raises ValidationError (field-keyed) for a change that does not fit the
    request (RemovalNotConfirmed for a removal without ``confirm_removal``),
    NotAllowed, or IllegalTransition; nothing is half-saved.
    """
    _check_outcome(takedown, change.outcome)
    require_permission(actor, "apply", takedown, change.outcome)
    # The guarded move comes first, so the loser of a double click is told the
    # state changed; a change that does not fit then rolls the move back.
    moved = steps.decide(takedown, "apply", actor=actor, note=note, updates={"outcome": change.outcome})
    article = _clean(moved, change)
    if article is not None:
        description = _change_article(moved, article, change, actor)
        record_event(moved, kind=RequestEvent.Kind.ACTION, actor=actor, note=description, visible_to_requester=True)
    steps.add_internal_note(moved, actor, internal_note)
    return moved


def _check_outcome(takedown: TakedownRequest, outcome: str) -> None:
    """There is no default outcome: it must be given, and be one that fits the request (see outcomes.py)."""
    offered = offered_outcomes(takedown)
    if outcome in offered:
        return
    choices = ", ".join(f"{value} ({Outcome(value).label})" for value in offered)
    if not outcome:
        raise ValidationError({"outcome": _("Choose what was done: %(choices)s.") % {"choices": choices}})
    raise ValidationError(
        {
            "outcome": _("“%(outcome)s” does not fit a request asking to %(remedy)s; choose one of %(choices)s.")
            % {"outcome": outcome, "remedy": takedown.get_remedy_display().lower(), "choices": choices}
        }
    )


def _clean(takedown: TakedownRequest, change: ArticleChange) -> Article | None:
    """Validate the change against the request; returns the article it acts on (None for no_action)."""
    if change.outcome == Outcome.NO_ACTION:
        return None
    articles = list(takedown.articles.all())
    article = change.article or (articles[0] if len(articles) == 1 else None)
    if article is None or article.pk not in {a.pk for a in articles}:
        raise ValidationError({"article": _("Choose one of the request's articles.")})
    if article.status == Article.Status.REMOVED:
        raise ValidationError({"article": _("This article is already removed.")})
    if change.outcome == Outcome.REMOVED_ARTICLE and not change.confirm_removal:
        raise RemovalNotConfirmed(article)
    if change.outcome in TEXT_OUTCOMES and not normalise_body(change.body):
        raise ValidationError({"body": _("Give the corrected text of the article.")})
    if change.outcome in SOURCE_OUTCOMES:
        sources = [s.strip() for s in change.sources if s.strip()]
        if not sources and change.outcome == Outcome.LINK_UPDATED:
            raise ValidationError({"sources": _("Give the updated source list, one URL per line.")})
        if len(sources) > MAX_SOURCES:
            raise ValidationError({"sources": _("At most %(n)s sources.") % {"n": MAX_SOURCES}})
    return article


def _change_article(takedown, article: Article, change: ArticleChange, actor) -> str:
    """Apply ``change`` to ``article``; returns a one-line description for the audit trail."""
    before = snapshot(article, request=takedown, reason=ArticleRevision.Reason.BEFORE_ACTION, actor=actor)
    origin = f"request #{takedown.pk}"
    if change.outcome == Outcome.REMOVED_ARTICLE:
        remove_article(article, actor=actor, request_number=takedown.pk)
        return str(_("Article “%(slug)s” removed.") % {"slug": article.slug})
    if change.outcome in TEXT_OUTCOMES:
        save_content(article, headline=change.headline, body=change.body, sources=before.sources, origin=origin)
        note = change.correction_note.strip() or str(
            _("This article was corrected on %(date)s following a request.")
            % {"date": timezone.localdate().isoformat()}
        )
        CorrectionNote.objects.create(article=article, request_number=takedown.pk, text=note[:2000])
        return str(_("Text of “%(slug)s” corrected.") % {"slug": article.slug})
    sources = [s.strip() for s in change.sources if s.strip()]
    save_content(article, headline=article.headline, body=article.body, sources=sources, origin=origin)
    return str(_("Sources of “%(slug)s” changed: %(n)s listed.") % {"slug": article.slug, "n": len(sources)})
