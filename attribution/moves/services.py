"""Rewrite a moved source, or a whole outlet that moved, in every article citing it; and undo a rewrite.

Each article is rewritten through the import service (attribution.services.save_moved_links): its
citation list, quality flags and history entry ("moved link") as any other write, without marking it
as a workflow decision, so later imports still update it. The old URLs become aliases, applied to every
later import and feed item (attribution/moves/aliases.py), until the move is undone.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attribution.history.context import recording
from attribution.importing.fields import citation_entry
from attribution.models import Article, Citation, SourceURL
from attribution.moves.aliases import moved_entry
from attribution.moves.models import MoveBatch, SourceAlias
from attribution.moves.targets import MoveError, host_targets, source_target
from attribution.services import save_moved_links
from attribution.urls_normalise import normalise_url


@dataclass
class ArticleChange:
    article: Article
    before: list[str]
    after: list[str]
    # (position, old entry, new entry) of each citation that changes, for the preview.
    citations: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass
class MovePlan:
    kind: str
    old: str
    new: str
    moves: dict[int, str]  # SourceURL id → new normalised URL
    sources: list[SourceURL]
    changes: list[ArticleChange]
    # Removed articles keep their citations as they were when removed: listed, not rewritten.
    left_alone: list[Article] = field(default_factory=list)

    @property
    def citation_count(self) -> int:
        return sum(len(change.citations) for change in self.changes)


def preview_source_move(source: SourceURL) -> MovePlan:
    """What replacing a redirected source with its final URL would change. Raises MoveError; writes nothing."""
    new_url = source_target(source)
    return _plan(MoveBatch.Kind.SOURCE, source.url, new_url, {source.pk: new_url}, [source])


def preview_host_move(old: str, new: str) -> MovePlan:
    """What moving every source under ``old`` ("http://old.example") to ``new`` would change. Raises MoveError."""
    old_prefix, new_prefix, targets = host_targets(old, new)
    sources = list(SourceURL.objects.filter(pk__in=targets).order_by("url"))
    return _plan(MoveBatch.Kind.HOST, old_prefix, new_prefix, targets, sources)


def _plan(kind: str, old: str, new: str, moves: dict[int, str], sources: list[SourceURL]) -> MovePlan:
    plan = MovePlan(kind=kind, old=old, new=new, moves=moves, sources=sources, changes=[])
    citing = Article.objects.filter(citations__source_url__in=list(moves)).distinct().order_by("slug")
    cited = _citations_of(citing)
    for article in citing:
        if article.status == Article.Status.REMOVED:
            plan.left_alone.append(article)
            continue
        change = ArticleChange(article=article, before=[], after=[])
        for position, text, url, source_id in cited[article.pk]:
            entry = citation_entry(text, url)
            change.before.append(entry)
            if source_id in moves:
                new_entry = moved_entry(entry, moves[source_id])
                change.citations.append((position, entry, new_entry))
                change.after.append(new_entry)
            else:
                change.after.append(entry)
        plan.changes.append(change)
    return plan


def _citations_of(articles) -> dict[int, list[tuple]]:
    cited: dict[int, list[tuple]] = {article.pk: [] for article in articles}
    rows = Citation.objects.filter(article__in=list(cited)).order_by("article_id", "position")
    for article_id, position, text, url, source_id in rows.values_list(
        "article_id", "position", "text_as_written", "source_url__url", "source_url_id"
    ):
        cited[article_id].append((position, text, url, source_id))
    return cited


@transaction.atomic
def apply_move(plan: MovePlan, *, actor) -> MoveBatch:
    """Rewrite every article of ``plan`` and remember the aliases. Atomic: all articles or none."""
    if not plan.changes and not plan.sources:
        raise MoveError(_("Nothing to move: no source matches."))
    batch = MoveBatch.objects.create(kind=plan.kind, old=plan.old, new=plan.new, created_by=actor)
    _remember_aliases(batch, plan)
    batch.changes = _rewrite(plan.changes, actor=actor, via=_("moved link"))
    batch.save(update_fields=["changes"])
    return batch


def _remember_aliases(batch: MoveBatch, plan: MovePlan) -> None:
    sources = {source.pk: source for source in plan.sources}
    for source_id, new_url in plan.moves.items():
        old = sources[source_id]
        # Earlier moves that led to the old URL now lead to the new one (A → B, then B → C: A → C).
        SourceAlias.objects.filter(new_url=old.url).update(new_url=new_url)
        SourceAlias.objects.update_or_create(
            old_url_hash=old.url_hash, defaults={"old_url": old.url, "new_url": new_url, "batch": batch}
        )
    # A URL moved back to must not stay an alias of somewhere else (B → A after A → B).
    SourceAlias.objects.filter(old_url_hash__in=[normalise_url(u).url_hash for u in plan.moves.values()]).delete()


def _rewrite(changes: list[ArticleChange], *, actor, via: str) -> list[dict]:
    """Save each article with its ``after`` sources; returns what a MoveBatch records of each."""
    recorded = []
    with recording(via=via, user=actor):
        for change in changes:
            article = save_moved_links(change.article, sources=change.after, actor=actor)
            recorded.append(
                {
                    "article": article.pk,
                    "slug": article.slug,
                    "before": change.before,
                    "after": change.after,
                    "fingerprint": article.fingerprint,
                }
            )
    return recorded


@transaction.atomic
def undo_move(batch: MoveBatch, *, actor) -> int:
    """Put back every article's sources as they were before ``batch``; returns how many. Raises MoveError.

    Refused, with the articles named, when any of them changed since the move: undoing would
    overwrite that later change. The move's aliases are forgotten.
    """
    batch = MoveBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.undone_at:
        raise MoveError(_("This move was already undone."))
    articles = Article.objects.in_bulk([c["article"] for c in batch.changes])
    edited = [c["slug"] for c in batch.changes if c["article"] not in articles]
    edited += [
        c["slug"]
        for c in batch.changes
        if c["article"] in articles and articles[c["article"]].fingerprint != c["fingerprint"]
    ]
    if edited:
        raise MoveError(
            _("These articles changed after the move, so it cannot be undone: %(slugs)s.")
            % {"slugs": ", ".join(edited)}
        )
    batch.aliases.all().delete()
    changes = [
        ArticleChange(article=articles[c["article"]], before=c["after"], after=c["before"]) for c in batch.changes
    ]
    _rewrite(changes, actor=actor, via=_("moved link undone"))
    batch.undone_at, batch.undone_by = timezone.now(), actor
    batch.save(update_fields=["undone_at", "undone_by"])
    return len(changes)
