"""State changes to attribution records. Views, API, admin and commands call these, never the ORM directly.

``import_articles`` is the one way articles and their sources enter the
database: the import command streams files through it in batches, and the API
saves a single article through ``save_article``, which is a batch of one.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attribution.lib.domains import default_publisher_host, display_host, host_suffixes
from attribution.models import Article, Citation, Publisher, SourceURL
from attribution.parsing import ArticleInput
from attribution.urls_normalise import NormalisedURL, normalise_url

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED, SKIPPED = "created", "updated", "unchanged", "skipped"


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def count(self, outcome: str, n: int = 1) -> None:
        setattr(self, outcome, getattr(self, outcome) + n)

    def fail(self, message: str) -> None:
        self.failed += 1
        self.errors.append(message)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.skipped + self.failed


def fingerprint(data: ArticleInput) -> str:
    """A stable hash of what an import can change, so an unchanged re-import writes nothing."""
    payload = [data.headline, data.published_on.isoformat(), data.body, list(data.sources)]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def import_articles(
    inputs: Iterable[ArticleInput],
    *,
    actor=None,
    batch_size: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Create or update articles and their citations. Idempotent: the same input twice changes nothing.

    Articles are matched by slug. A re-import replaces the citation list (so a
    dropped source disappears) but keeps every SourceURL, whose check history
    belongs to the URL, not the article. Removed articles are never brought
    back by an import; they are counted as skipped.

    Each batch is one transaction. If a batch fails (say, a concurrent import
    created the same slug), its articles are retried one by one so a single
    bad article fails alone and nothing is half-saved.
    """
    summary = ImportSummary()
    batch_size = batch_size or settings.ATTRIBUTION_IMPORT_BATCH_SIZE
    for batch in _batches_without_repeated_slugs(inputs, batch_size):
        try:
            with transaction.atomic():
                outcomes = _import_batch(batch)
        except (IntegrityError, DataError):
            logger.warning("import batch failed; retrying its %d articles one by one", len(batch), exc_info=True)
            outcomes = []
            for item in batch:
                try:
                    with transaction.atomic():
                        outcomes += _import_batch([item])
                except (IntegrityError, DataError) as exc:
                    summary.fail(f"{item.origin or item.resolved_slug()}: {_('could not be saved')} ({exc})")
        for outcome in outcomes:
            summary.count(outcome)
        if on_progress:
            on_progress(len(batch))
    return summary


def save_article(data: ArticleInput, *, actor=None) -> tuple[Article, str]:
    """Create or update one article (the API's entry point). Returns the article and its outcome."""
    with transaction.atomic():
        (outcome,) = _import_batch([data])
    return Article.objects.get(slug=data.resolved_slug()), outcome


def _batches_without_repeated_slugs(inputs: Iterable[ArticleInput], size: int) -> Iterator[list[ArticleInput]]:
    """Batches of ``size``, cut early where a slug repeats, so the later version is applied after the earlier."""
    batch: list[ArticleInput] = []
    slugs: set[str] = set()
    for item in inputs:
        slug = item.resolved_slug()
        if len(batch) >= size or slug in slugs:
            yield batch
            batch, slugs = [], set()
        batch.append(item)
        slugs.add(slug)
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
]


def _import_batch(batch: list[ArticleInput]) -> list[str]:
    """Import one batch (inside the caller's transaction); returns each article's outcome, in order."""
    outcomes, to_create, to_update = _plan_batch(batch, timezone.now())
    changed = to_create + to_update
    if not changed:
        return outcomes
    normalised = {article.slug: [normalise_url(s) for s in item.sources] for article, item in changed}
    source_ids = _source_url_ids(
        [
            (as_written, url)
            for article, item in changed
            for as_written, url in zip(item.sources, normalised[article.slug], strict=True)
        ]
    )
    for article, _item in changed:
        _apply_quality_flags(article, normalised[article.slug])
    _write_articles(to_create, to_update)
    _insert_citations(_citation_rows(changed, normalised, source_ids))
    return outcomes


def _plan_batch(batch: list[ArticleInput], now) -> tuple[list[str], list, list]:
    """Match each input to its article (by slug) and decide: create, update, unchanged or skipped (removed).

    Returns the outcomes in order, and the (article, input) pairs to create
    and to update, with the article's fields already set in memory.
    """
    slugs = [item.resolved_slug() for item in batch]
    existing = {a.slug: a for a in Article.objects.filter(slug__in=slugs).only("id", "slug", "fingerprint", "status")}
    outcomes: list[str] = []
    to_create: list[tuple[Article, ArticleInput]] = []
    to_update: list[tuple[Article, ArticleInput]] = []
    for item, slug in zip(batch, slugs, strict=True):
        article = existing.get(slug)
        digest = fingerprint(item)
        if article is None:
            article = Article(slug=slug, created_at=now)
            to_create.append((article, item))
            outcomes.append(CREATED)
        elif article.status == Article.Status.REMOVED:
            outcomes.append(SKIPPED)
            continue
        elif article.fingerprint == digest:
            outcomes.append(UNCHANGED)
            continue
        else:
            to_update.append((article, item))
            outcomes.append(UPDATED)
        article.headline, article.published_on, article.body = item.headline, item.published_on, item.body
        article.imported_from, article.fingerprint, article.updated_at = item.origin[:500], digest, now
    return outcomes, to_create, to_update


def _write_articles(to_create: list, to_update: list) -> None:
    """Insert and update the planned articles; updated ones lose their old citations (the caller writes new ones)."""
    Article.objects.bulk_create([article for article, _item in to_create])
    if to_update:
        Article.objects.bulk_update([article for article, _item in to_update], ARTICLE_FIELDS_AN_IMPORT_WRITES)
        Citation.objects.filter(article__in=[article.pk for article, _item in to_update]).delete()
    if not all(article.pk for article, _item in to_create):
        # Backends without RETURNING on bulk insert: look the new ids up.
        ids = dict(
            Article.objects.filter(slug__in=[article.slug for article, _item in to_create]).values_list("slug", "id")
        )
        for article, _item in to_create:
            article.pk = ids[article.slug]


def _apply_quality_flags(article: Article, urls: list[NormalisedURL]) -> None:
    article.has_no_sources = not urls
    article.has_homepage_source = any(u.is_valid and u.is_homepage for u in urls)
    article.has_invalid_source = any(not u.is_valid for u in urls)
    article.has_duplicate_source = len({u.url for u in urls}) < len(urls)


def _citation_rows(changed, normalised, source_ids) -> list[tuple]:
    rows = []
    for article, item in changed:
        seen: set[str] = set()
        for position, (as_written, url) in enumerate(zip(item.sources, normalised[article.slug], strict=True), 1):
            rows.append((article.pk, source_ids[url.url_hash], position, as_written, url.url in seen))
            seen.add(url.url)
    return rows


def _insert_citations(rows: list[tuple]) -> None:
    """Insert citation rows with one executemany.

    Citations are three in four rows an import writes, and building a model
    instance per row made bulk_create the import's bottleneck; plain
    parameters halve the cost. Columns are named explicitly, so a new
    Citation field with no database default fails loudly here.
    """
    if not rows:
        return
    table = connection.ops.quote_name(Citation._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(Citation._meta.get_field(name).column)
        for name in ("article", "source_url", "position", "text_as_written", "is_duplicate")
    )
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)", rows)


def _source_url_ids(cited: list[tuple[str, NormalisedURL]]) -> dict[str, int]:
    """Ids of the SourceURL rows for the cited URLs (by url_hash), creating missing rows and their publishers."""
    as_written: dict[str, str] = {}
    wanted: dict[str, NormalisedURL] = {}
    for text, url in cited:
        as_written.setdefault(url.url_hash, text)
        wanted.setdefault(url.url_hash, url)
    ids = dict(SourceURL.objects.filter(url_hash__in=wanted).values_list("url_hash", "id"))
    missing = [u for h, u in wanted.items() if h not in ids]
    if missing:
        publishers = _publisher_ids({u.host for u in missing if u.host})
        SourceURL.objects.bulk_create(
            [
                SourceURL(
                    url=u.url,
                    url_hash=u.url_hash,
                    url_as_cited=as_written[u.url_hash],
                    host=u.host,
                    publisher_id=publishers.get(u.host),
                    is_valid=u.is_valid,
                    invalid_reason=u.invalid_reason[:200],
                    is_homepage=u.is_homepage,
                )
                for u in missing
            ],
            # A concurrent import may insert the same URL; the row it made is as good as ours.
            ignore_conflicts=True,
        )
        ids.update(SourceURL.objects.filter(url_hash__in=[u.url_hash for u in missing]).values_list("url_hash", "id"))
    return ids


def _publisher_ids(hosts: set[str]) -> dict[str, int]:
    """For each host, the id of the publisher owning it, creating one if none does.

    A configured publisher for the host or any domain above it owns it, the
    longest one winning (an editor's ``news.bbc.co.uk`` beats ``bbc.co.uk``).
    A host no publisher owns gets one keyed by its registrable domain, so
    ``news.bbc.co.uk`` and ``www.bbc.co.uk`` group under ``bbc.co.uk`` in
    whatever order they arrive.
    """
    suffixes = {s for host in hosts for s in host_suffixes(host)}
    known = dict(Publisher.objects.filter(host__in=suffixes).values_list("host", "id"))
    unowned = {default_publisher_host(h) for h in hosts if not any(s in known for s in host_suffixes(h))}
    if unowned:
        Publisher.objects.bulk_create([Publisher(host=h, name=display_host(h)) for h in unowned], ignore_conflicts=True)
        known.update(Publisher.objects.filter(host__in=unowned).values_list("host", "id"))
    return {h: next(known[s] for s in host_suffixes(h) if s in known) for h in hosts}


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
        .update(status=Article.Status.REMOVED, removed_at=now, removal_request_number=request_number, updated_at=now)
    )
    article.refresh_from_db()
    return changed == 1


def restore_article_status(article: Article, *, status: str, actor=None) -> bool:
    """Put a removed (or otherwise changed) article back to ``status``; returns whether anything changed."""
    if status not in Article.Status.values:
        raise ValueError(f"unknown article status {status!r}")
    # Leaving "removed" clears the removal record; the request workflow keeps its own history of it.
    removal = {} if status == Article.Status.REMOVED else {"removed_at": None, "removal_request_number": None}
    changed = (
        Article.objects.filter(pk=article.pk)
        .exclude(status=status)
        .update(status=status, updated_at=timezone.now(), **removal)
    )
    article.refresh_from_db()
    return changed == 1
