"""Match each incoming article to the article it is, and decide what the import does with it.

Identity, in order (see README "Importing articles"):

1. the same ``external_id`` (CMS post id or feed GUID);
2. else the same ``canonical_url`` (unless both carry different external ids);
3. else the slug. An explicit slug is exact. A slug derived from the headline
   matches the article with that slug, or a numbered variant of it
   (``-2``, ``-3`` …), *published on the same date*: same headline and date is
   the same story, and its edited text is an update (a corrected re-export);
   same headline on another date is another story and gets the next free
   number.

Then: a new article is created; a removed one is skipped; content the article
already has, or that the import already wrote, changes nothing; after the
request workflow changed the article, other content is held as an
ImportConflict (once per distinct fingerprint, never again once dismissed);
anything else is an update. All look-ups are a few queries per batch, never
one per article.
"""

import dataclasses
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from attribution.importing.models import ArticleSlugRedirect, ImportConflict
from attribution.importing.rows import instance_factory, select_in
from attribution.models import Article
from attribution.urls_normalise import normalise_url

CREATED, UPDATED, UNCHANGED, SKIPPED, HELD, FAILED = "created", "updated", "unchanged", "skipped", "held", "failed"

# What planning reads of an existing article; everything an import compares or may change.
MATCH_FIELDS = (
    "id",
    "slug",
    "published_on",
    "fingerprint",
    "import_fingerprint",
    "edited_by_workflow_at",
    "status",
    "external_id",
    "canonical_url",
    "removal_request_number",
)

# How the import service was asked to write: an import (the default), the request workflow (its decisions
# are always applied and mark the article), an editor accepting an import conflict (applied, and becomes
# the last imported version), or a moved link rewritten (applied; neither marks the article nor counts as
# imported, so later imports still update it: attribution/moves/).
IMPORT, WORKFLOW, ACCEPT, MOVE = "import", "workflow", "accept", "move"


@dataclass
class BatchPlan:
    """What one batch does. ``outcomes`` and ``articles`` are per input, in order (article None if failed)."""

    outcomes: list = field(default_factory=list)
    articles: list = field(default_factory=list)
    inputs: list = field(default_factory=list)  # as planned: identity cleaned, moved links rewritten
    to_create: list = field(default_factory=list)
    to_update: list = field(default_factory=list)
    identity_only: list = field(default_factory=list)
    redirects: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    errors: list = field(default_factory=list)


class _Index:
    """The batch's existing articles by slug, external id and canonical URL, loaded in a few queries."""

    def __init__(self, batch):
        self.by_slug, self.by_ext, self.by_canon = {}, {}, {}
        self._variants: dict[str, list[str]] = {}  # base slug → its numbered variants, for collided bases only
        self.taken: set[str] = set()  # slugs given to new articles in this batch
        self.new_article = instance_factory(Article)  # as Article(**values), a fraction of the CPU
        ext_ids = {item.external_id for item in batch if item.external_id}
        canons = {item.canonical_url for item in batch if item.canonical_url}
        slugs = list({item.resolved_slug() for item in batch})
        # Which slugs are taken, with one plain SELECT; only those are loaded through the ORM, whose ``__in``
        # prepared every slug of the batch through the field (most of them new in a first import).
        existing = [row[0] for row in select_in(Article._meta.db_table, "slug", ["slug"], slugs)]
        if existing:
            self._add(self._fetch(Q(slug__in=existing)))
        if ext_ids:
            self._add(self._fetch(Q(external_id__in=ext_ids)))
        if canons:
            self._add(self._fetch(Q(canonical_url__in=canons)))

    def _fetch(self, condition):
        return Article.objects.filter(condition).only(*MATCH_FIELDS).order_by("id")

    def _add(self, articles):
        for article in articles:
            article = self.by_slug.setdefault(article.slug, article)
            if article.external_id:
                self.by_ext.setdefault(article.external_id, article)
            if article.canonical_url:
                self.by_canon.setdefault(article.canonical_url, article)

    def load_variants(self, bases: set[str]) -> None:
        """Load the numbered variants (``base-2`` …) of headline slugs that collided: rare, so one query for all."""
        if not bases:
            return
        condition = Q()
        for base in bases:
            condition |= Q(slug__startswith=f"{base}-")
        found = list(self._fetch(condition))
        self._add(found)
        for base in bases:
            pattern = re.compile(rf"^{re.escape(base)}-(\d+)$")
            numbered = sorted((int(m.group(1)), a.slug) for a in found if (m := pattern.match(a.slug)))
            self._variants[base] = [slug for _n, slug in numbered]

    def variants(self, base: str) -> list[str]:
        return self._variants.get(base, [])

    def free_slug(self, base: str) -> str:
        """``base``, else the first free ``base-N`` (N ≥ 2) among existing articles and this batch's new ones."""
        candidate, number = base, 1
        while candidate in self.by_slug or candidate in self.taken:
            number += 1
            candidate = f"{base}-{number}"
        self.taken.add(candidate)
        return candidate


def _compatible(article, item) -> bool:
    """Whether an article found by slug may be ``item``: no identity of one contradicts the other's."""
    if item.external_id and article.external_id and item.external_id != article.external_id:
        return False
    return not (item.canonical_url and article.canonical_url and item.canonical_url != article.canonical_url)


class PlanError(ValueError):
    """An input that cannot be applied (e.g. its slug belongs to another article); it fails alone."""


def find_article(item, index: _Index):
    """The existing article ``item`` is, or None for a new one. Raises PlanError for a contradiction."""
    if item.external_id and item.external_id in index.by_ext:
        return index.by_ext[item.external_id]
    by_canon = index.by_canon.get(item.canonical_url) if item.canonical_url else None
    if by_canon is not None and not (item.external_id and by_canon.external_id):
        return by_canon
    slug = item.resolved_slug()
    if item.slug:
        article = index.by_slug.get(slug)
        if article is not None and not _compatible(article, item):
            raise PlanError(
                _("the slug “%(slug)s” belongs to another article (another external id or URL)") % {"slug": slug}
            )
        return article
    for candidate in [slug, *index.variants(slug)]:
        article = index.by_slug.get(candidate)
        if article is not None and article.published_on == item.published_on and _compatible(article, item):
            return article
    return None


def bases_needing_variants(batch, index: _Index) -> set[str]:
    """Headline slugs taken by an article that is not this input's (another date or identity)."""
    bases = set()
    for item in batch:
        if item.slug or (item.external_id in index.by_ext) or (item.canonical_url in index.by_canon):
            continue
        article = index.by_slug.get(item.resolved_slug())
        if article is not None and not (article.published_on == item.published_on and _compatible(article, item)):
            bases.add(item.resolved_slug())
    return bases


def open_or_dismissed(candidates) -> dict[tuple[int, str], str]:
    """For (article, fingerprint) pairs about to be held: the status of a conflict already raised for them."""
    if not candidates:
        return {}
    rows = ImportConflict.objects.filter(
        article_id__in={article.pk for article, _item, _digest in candidates},
        fingerprint__in={digest for _article, _item, digest in candidates},
        status__in=[ImportConflict.Status.OPEN, ImportConflict.Status.DISMISSED],
    ).values_list("article_id", "fingerprint", "status")
    found: dict[tuple[int, str], str] = {}
    for article_id, digest, status in rows:
        # A dismissal wins over an open copy: dismissed content is never raised again.
        if found.get((article_id, digest)) != ImportConflict.Status.DISMISSED:
            found[(article_id, digest)] = status
    return found


def conflict_for(article, item, digest: str) -> ImportConflict:
    return ImportConflict(
        article=article,
        headline=item.headline,
        body=item.body,
        published_on=item.published_on,
        sources=list(item.sources),
        slug=item.slug,
        external_id=item.external_id,
        canonical_url=item.canonical_url,
        fingerprint=digest,
        origin=item.origin[:500],
    )


def change_slug(article, new_slug: str, index: _Index, plan: BatchPlan) -> None:
    """Give ``article`` an explicit new slug; its old address will answer 301. Raises PlanError if taken."""
    owner = index.by_slug.get(new_slug)
    if owner is not None and owner.pk != article.pk:
        raise PlanError(_("the slug “%(slug)s” belongs to another article") % {"slug": new_slug})
    plan.redirects.append(ArticleSlugRedirect(old_slug=article.slug, article=article))
    plan.notes.append(
        _("“%(old)s” is now “%(new)s” (the old address redirects)") % {"old": article.slug, "new": new_slug}
    )
    article.slug = new_slug
    index.taken.add(new_slug)


def plan_batch(batch, now, writer: str = IMPORT) -> BatchPlan:
    """Match and decide every input of ``batch``; the articles to write are set up in memory, nothing is saved."""
    plan = BatchPlan()
    batch = plan.inputs = [_with_clean_identity(item) for item in batch]
    index = _Index(batch)
    index.load_variants(bases_needing_variants(batch, index))
    held: list[tuple[int, Article, object, str]] = []
    for item in batch:
        try:
            article = find_article(item, index)
            _decide(item, article, index, plan, now, writer, held)
        except PlanError as exc:
            plan.outcomes.append(FAILED)
            plan.articles.append(None)
            plan.errors.append(f"{item.origin or item.resolved_slug()}: {exc}")
    _resolve_held(held, plan)
    return plan


def _with_clean_identity(item):
    """The identity as the parser stores it (trimmed id, normalised URL), whoever built the input (a feed)."""
    if not item.has_identity:
        return item
    external_id = " ".join(item.external_id.split())
    url = normalise_url(item.canonical_url) if item.canonical_url else None
    canonical_url = url.url if url is not None and url.is_valid else item.canonical_url.strip()
    if (external_id, canonical_url) == (item.external_id, item.canonical_url):
        return item
    return dataclasses.replace(item, external_id=external_id, canonical_url=canonical_url)


def _decide(item, article, index: _Index, plan: BatchPlan, now, writer: str, held: list) -> None:
    digest = item.fingerprint  # worked out once per input; in a large import by the reading process
    if article is None:
        article = _new_article(item, index, plan, now)
        plan.to_create.append((article, item))
        outcome = CREATED
    elif article.status == Article.Status.REMOVED:
        number = article.removal_request_number
        plan.notes.append(
            _("“%(slug)s” was removed (request #%(n)s) and stays removed") % {"slug": article.slug, "n": number or "?"}
        )
        outcome = SKIPPED
    elif writer != ACCEPT and (
        digest == article.fingerprint or (writer == IMPORT and digest == article.import_fingerprint)
    ):
        if _take_identity(article, item, index, plan, writer):
            plan.identity_only.append(article)
        outcome = UNCHANGED
    elif writer == IMPORT and article.edited_by_workflow_at:
        held.append((len(plan.outcomes), article, item, digest))
        outcome = HELD
    else:
        _take_identity(article, item, index, plan, writer)
        plan.to_update.append((article, item))
        outcome = UPDATED
    if outcome in (CREATED, UPDATED):
        _set_content(article, item, digest, now, writer)
    plan.outcomes.append(outcome)
    plan.articles.append(article)


def _new_article(item, index: _Index, plan: BatchPlan, now) -> Article:
    base = item.resolved_slug()
    slug = base if item.slug else index.free_slug(base)
    index.taken.add(slug)
    if slug != base:
        plan.notes.append(
            _("“%(headline)s” of %(date)s shares its headline with another article: saved as “%(slug)s”")
            % {"headline": item.headline[:80], "date": item.published_on.isoformat(), "slug": slug}
        )
    return index.new_article(slug=slug, created_at=now, external_id=item.external_id, canonical_url=item.canonical_url)


def _take_identity(article, item, index: _Index, plan: BatchPlan, writer: str) -> bool:
    """Record the identity ``item`` brings (and an explicit new slug); returns whether anything changed."""
    changed = False
    if item.slug and item.slug != article.slug and writer != WORKFLOW:
        change_slug(article, item.slug, index, plan)
        changed = True
    if item.external_id and not article.external_id:
        article.external_id, changed = item.external_id, True
    if item.canonical_url and item.canonical_url != article.canonical_url:
        article.canonical_url, changed = item.canonical_url, True
    return changed


def _set_content(article, item, digest: str, now, writer: str) -> None:
    article.headline, article.published_on, article.body = item.headline, item.published_on, item.body
    article.fingerprint, article.updated_at = digest, now
    if writer != MOVE:  # a moved link keeps where the article came from; its history says "moved link"
        article.imported_from = item.origin[:500]
    if writer == WORKFLOW:
        article.edited_by_workflow_at = now
    elif writer != MOVE:
        # What this import (or the editor who accepted it) wrote: the same version again changes nothing.
        article.import_fingerprint = digest


def _resolve_held(held: list, plan: BatchPlan) -> None:
    """Raise one conflict per new (article, fingerprint); a dismissed one is not raised again."""
    known = open_or_dismissed([(article, item, digest) for _pos, article, item, digest in held])
    for position, article, item, digest in held:
        status = known.get((article.pk, digest))
        if status == ImportConflict.Status.DISMISSED:
            plan.outcomes[position] = UNCHANGED
            continue
        if status is None:
            plan.conflicts.append(conflict_for(article, item, digest))
            known[(article.pk, digest)] = ImportConflict.Status.OPEN
        plan.notes.append(
            _("“%(slug)s” was changed by the request workflow; this different version is held for an editor")
            % {"slug": article.slug}
        )


def existing_article(item):
    """The article an import of ``item`` would update (None if it would create one). Raises PlanError.

    The same matching as an import, without writing: the API's create uses it to refuse a duplicate.
    """
    index = _Index([item])
    index.load_variants(bases_needing_variants([item], index))
    return find_article(item, index)
