"""State changes to attribution records. Views, API, admin and commands call these, never the ORM directly.

``import_articles`` is the one way articles and their sources enter the
database: the import command streams files through it in batches, and the API
saves a single article through ``save_article``, which is a batch of one.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attribution.history.record import credits_actor, record_changes, record_import
from attribution.importing import plan as planning
from attribution.importing.models import ArticleSlugRedirect, ImportConflict
from attribution.importing.plan import CREATED, FAILED, HELD, SKIPPED, UNCHANGED, UPDATED
from attribution.importing.remembered import remember as remember_files
from attribution.importing.rows import ids_by, insert_instances
from attribution.importing.sources import apply_quality_flags, citation_rows, cited, insert_citations, source_url_ids
from attribution.lib.gc_threshold import FewerCollections
from attribution.models import Article, Citation
from attribution.moves.aliases import with_aliases
from attribution.parsing import ArticleInput

logger = logging.getLogger(__name__)

MAX_REPORTED_NOTES = 1000


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    # Changed by the request workflow, and this version differs: held as an ImportConflict for an editor.
    held: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    # What an editor should know that is not an error: a headline shared with another article (numbered
    # slug), a slug change, a removed article left removed, a version held. At most MAX_REPORTED_NOTES.
    notes: list[str] = field(default_factory=list)
    notes_left_off: int = 0

    def count(self, outcome: str, n: int = 1) -> None:
        setattr(self, outcome, getattr(self, outcome) + n)

    def fail(self, message: str) -> None:
        self.failed += 1
        self.errors.append(message)

    def note(self, message: str) -> None:
        if len(self.notes) < MAX_REPORTED_NOTES:
            self.notes.append(message)
        else:
            self.notes_left_off += 1

    def add(self, result: "planning.BatchPlan") -> None:
        for outcome in result.outcomes:
            if outcome != FAILED:
                self.count(outcome)
        for message in result.errors:
            self.fail(message)
        for message in result.notes:
            self.note(message)

    def merge(self, other: "ImportSummary") -> None:
        """Add another part of the same import's counts, errors and notes."""
        for outcome in (CREATED, UPDATED, UNCHANGED, SKIPPED, HELD, FAILED):
            self.count(outcome, getattr(other, outcome))
        self.errors += other.errors
        for message in other.notes:
            self.note(message)
        self.notes_left_off += other.notes_left_off

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.skipped + self.held + self.failed


@credits_actor
@FewerCollections()  # thousands of inputs and model instances a batch: attribution/lib/gc_threshold.py
def import_articles(
    inputs: Iterable[ArticleInput],
    *,
    actor=None,
    batch_size: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Create or update articles and their citations. Idempotent: the same input twice changes nothing.

    Articles are matched by identity (external id, canonical URL), else by
    slug and date (see attribution/importing/plan.py). A re-import replaces the citation list (so a
    dropped source disappears) but keeps every SourceURL, whose check history
    belongs to the URL, not the article. Removed articles are never brought
    back by an import; they are counted as skipped. An article the request
    workflow changed is not overwritten: a different version is held as an
    ImportConflict (counted as held) for an editor to accept or dismiss.

    Each batch is one transaction. If a batch fails (say, a concurrent import
    created the same slug), its articles are retried one by one so a single
    bad article fails alone and nothing is half-saved.
    """
    summary = ImportSummary()
    batch_size = batch_size or settings.ATTRIBUTION_IMPORT_BATCH_SIZE
    for batch in _batches_without_repeated_slugs(inputs, batch_size):
        try:
            with transaction.atomic():
                summary.add(_import_batch(batch))
        except (IntegrityError, DataError):
            logger.warning("import batch failed; retrying its %d articles one by one", len(batch), exc_info=True)
            for item in batch:
                try:
                    with transaction.atomic():
                        summary.add(_import_batch([item]))
                except (IntegrityError, DataError) as exc:
                    summary.fail(f"{item.origin or item.resolved_slug()}: {_('could not be saved')} ({exc})")
        if on_progress:
            on_progress(len(batch))
    return summary


@credits_actor
def save_article(data: ArticleInput, *, actor=None, by_workflow: bool = False) -> tuple[Article, str]:
    """Create or update one article (the API's and the request workflow's entry point).

    Returns the article and its outcome (``held`` when an import-like write
    meets an article the workflow changed: see ``import_articles``). With
    ``by_workflow`` the change is an editorial decision: it is applied, and
    later imports that differ from it are held for an editor. Raises
    ValueError (with what to fix) for an input that contradicts another
    article's identity or slug; nothing is saved then.
    """
    return _save_one(data, planning.WORKFLOW if by_workflow else planning.IMPORT)


@credits_actor
def save_accepted_version(data: ArticleInput, *, actor=None) -> tuple[Article, str]:
    """Apply an incoming version an editor accepted (an ImportConflict): written, and recorded as imported."""
    return _save_one(data, planning.ACCEPT)


@credits_actor
def save_moved_links(article: Article, *, sources: list[str], actor=None) -> Article:
    """Write ``article`` with a new source list (a moved link rewritten: attribution/moves/); returns it."""
    data = ArticleInput(
        headline=article.headline,
        published_on=article.published_on,
        body=article.body,
        sources=tuple(sources),
        slug=article.slug,
    )
    return _save_one(data, planning.MOVE)[0]


def _save_one(data: ArticleInput, writer: str) -> tuple[Article, str]:
    with transaction.atomic():
        result = _import_batch([data], writer=writer)
    if result.errors:
        raise ValueError(result.errors[0])
    return Article.objects.get(pk=result.articles[0].pk), result.outcomes[0]


def _batches_without_repeated_slugs(inputs: Iterable[ArticleInput], size: int) -> Iterator[list[ArticleInput]]:
    """Batches of ``size``, cut early where a slug or identity repeats, so the later version follows the earlier."""
    batch: list[ArticleInput] = []
    keys: set[str] = set()
    for item in inputs:
        item_keys = {item.resolved_slug()}
        if item.external_id:
            item_keys.add("\0id:" + item.external_id)
        if item.canonical_url:
            item_keys.add("\0url:" + item.canonical_url)
        if len(batch) >= size or not keys.isdisjoint(item_keys):
            yield batch
            batch, keys = [], set()
        batch.append(item)
        keys |= item_keys
    if batch:
        yield batch


ARTICLE_FIELDS_AN_IMPORT_WRITES = [
    "headline",
    "published_on",
    "body",
    "imported_from",
    "fingerprint",
    "updated_at",
    "has_no_sources",
    "has_homepage_source",
    "has_duplicate_source",
    "has_invalid_source",
    "slug",
    "external_id",
    "canonical_url",
    "import_fingerprint",
    "edited_by_workflow_at",
]


def _import_batch(batch: list[ArticleInput], writer: str = planning.IMPORT) -> "planning.BatchPlan":
    """Import one batch (inside the caller's transaction); returns its plan (outcomes in order, notes, errors)."""
    batch = with_aliases(batch)  # a moved link's old URL cites where it moved (attribution/moves/)
    result = planning.plan_batch(batch, timezone.now(), writer)
    _write_identity(result)
    to_create, to_update = result.to_create, result.to_update
    changed = to_create + to_update
    if not changed:
        remember_files(result)
        return result
    articles = [article for article, _item in changed]
    cited_lists = [[cited(entry) for entry in item.sources] for _article, item in changed]
    source_ids = source_url_ids(cited_lists)  # attribution/importing/sources.py
    for article, sources in zip(articles, cited_lists, strict=True):
        apply_quality_flags(article, [url for _written, _text, url in sources])
    _write_articles(to_create, to_update)
    insert_citations(citation_rows(articles, cited_lists, source_ids))
    record_import(to_create, to_update)  # bulk writes send no signal (attribution/history/)
    remember_files(result)  # so re-importing these files unchanged skips parsing them (importing/files.py)
    return result


def _write_identity(result: "planning.BatchPlan") -> None:
    """Write what the plan decided besides content: new identities and slugs, old addresses, held versions."""
    if result.identity_only:
        Article.objects.bulk_update(result.identity_only, ["slug", "external_id", "canonical_url"])
        record_changes(result.identity_only, via="import")  # bulk_update sends no signal (attribution/history/)
    if result.redirects:
        # An address that moves back to an article (or to another one) stops redirecting from it.
        new_slugs = [article.slug for article in (r.article for r in result.redirects)]
        old_slugs = [r.old_slug for r in result.redirects]
        ArticleSlugRedirect.objects.filter(old_slug__in=new_slugs + old_slugs).delete()
        ArticleSlugRedirect.objects.bulk_create(result.redirects)
    if result.conflicts:
        ImportConflict.objects.bulk_create(result.conflicts)


def _write_articles(to_create: list, to_update: list) -> None:
    """Insert and update the planned articles; updated ones lose their old citations (the caller writes new ones)."""
    insert_instances(Article, [article for article, _item in to_create])  # plain rows: see importing/rows.py
    if to_update:
        Article.objects.bulk_update([article for article, _item in to_update], ARTICLE_FIELDS_AN_IMPORT_WRITES)
        Citation.objects.filter(article__in=[article.pk for article, _item in to_update]).delete()
    if to_create:
        # One query for all the new ids (a COPY or executemany returns none).
        ids = ids_by(Article, "slug", [article.slug for article, _item in to_create])
        for article, _item in to_create:
            article.pk = ids[article.slug]


@credits_actor
def remove_article(article: Article, *, actor=None, request_number: int | None = None) -> bool:
    """Take an article off the site (status ``removed``): it answers 410 and leaves lists, search and imports.

    The article records when, and the number of the request it followed, so
    its page can say so. The record and its citations stay. Returns False (and
    changes nothing) if it was already removed. Callers (the request workflow)
    record why in their own audit trail.
    """
    now = timezone.now()
    changed = (
        Article.objects.filter(pk=article.pk)
        .exclude(status=Article.Status.REMOVED)
        .update(
            status=Article.Status.REMOVED,
            removed_at=now,
            removal_request_number=request_number,
            updated_at=now,
            # A decision an import must not undo (see import_articles).
            edited_by_workflow_at=now,
        )
    )
    article.refresh_from_db()
    if changed:  # update() sends no signal (attribution/history/)
        record_changes([article], via=f"request #{request_number}" if request_number else "service")
    return changed == 1


@credits_actor
def restore_article_status(article: Article, *, status: str, actor=None) -> bool:
    """Put a removed (or otherwise changed) article back to ``status``; returns whether anything changed."""
    if status not in Article.Status.values:
        raise ValueError(f"unknown article status {status!r}")
    # Leaving "removed" clears the removal record; the request workflow keeps its own history of it.
    removal = {} if status == Article.Status.REMOVED else {"removed_at": None, "removal_request_number": None}
    now = timezone.now()
    changed = (
        Article.objects.filter(pk=article.pk)
        .exclude(status=status)
        # A decision too: later imports that differ from what it leaves are held (see import_articles).
        .update(status=status, updated_at=now, edited_by_workflow_at=now, **removal)
    )
    article.refresh_from_db()
    if changed:  # update() sends no signal (attribution/history/)
        record_changes([article], via="service")
    return changed == 1
