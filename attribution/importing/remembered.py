"""What the last import read from each file, so an unchanged file is known without parsing it.

See attribution/importing/files.py for how an import uses it. Kept apart from
that module because the import service writes it (``remember``) and that
module calls the service.
"""

from django.db import connection
from django.db.models import Count, Max

from attribution.importing import rows
from attribution.importing.models import ImportedFile
from attribution.importing.plan import CREATED, UNCHANGED, UPDATED
from attribution.models import Article

# Bump whenever parsing (attribution/parsing.py, importing/fields.py) could read the same bytes differently,
# so every file is parsed again once instead of being trusted to mean what it meant.
PARSER_VERSION = b"citewatch-text-1\0"


def keys(slug: str, external_id: str, canonical_url: str) -> set[str]:
    keys = {slug}
    if external_id:
        keys.add("\0id:" + external_id)
    if canonical_url:
        keys.add("\0url:" + canonical_url)
    return keys


def moves_token() -> bytes:
    """Changes with every move applied or undone: a moved link rewrites what an unchanged file imports as."""
    from attribution.moves.models import MoveBatch

    moves = MoveBatch.objects.aggregate(n=Count("id"), made=Max("created_at"), undone=Max("undone_at"))
    return PARSER_VERSION + repr(sorted(moves.items())).encode() + b"\0"


_LOOKUP_COLUMNS = ("origin", "content_hash", "fingerprint", "slug", "slug_given", "published_on", "external_id",
                   "canonical_url", "article_id")  # fmt: skip
_ARTICLE_COLUMNS = ("id", "slug", "published_on", "status", "fingerprint", "import_fingerprint", "external_id",
                    "canonical_url")  # fmt: skip


def unchanged(digests: dict[str, str]) -> dict[str, set[str]]:
    """Of the files (path → hash), those the import would find unchanged → the keys of their article.

    Two plain SELECTs, each on a unique index whatever the planner knows (a
    join of freshly loaded tables was planned as a scan of all articles), and
    no ORM ``__in``, which prepared every path through the field.
    """
    remembered = {row[0]: row for row in _select(ImportedFile, "origin", _LOOKUP_COLUMNS, list(digests))}
    same = {origin: row for origin, row in remembered.items() if row[1] == digests[origin]}
    articles = {row[0]: row[1:] for row in _select(Article, "id", _ARTICLE_COLUMNS, [r[-1] for r in same.values()])}
    trusted = {}
    for origin, (_origin, _hash, digest, slug, given, date, ext, canon, article_id) in same.items():
        article = articles.get(article_id)
        if article is not None and _still_unchanged(digest, slug, given, date, ext, canon, *article):
            trusted[origin] = _article_keys(article[0], article[5], article[6])
    return trusted


def _select(model, key: str, columns: tuple, keys: list) -> list[tuple]:
    """Rows (``columns``) of ``model`` whose ``key`` is one of ``keys`` (importing/rows.py)."""
    return rows.select_in(model._meta.db_table, key, columns, keys)


def _article_keys(slug: str, external_id: str, canonical_url: str) -> set[str]:
    """What a file planned in the same chunk would match this article by: its slug, or the base of a numbered
    one (``story-2``: a headline slug ``story`` may match it), its external id or canonical URL."""
    base, _dash, number = slug.rpartition("-")
    return keys(slug, external_id, canonical_url) | ({base} if number.isdigit() else set())


def _still_unchanged(digest, slug, given, date, ext, canon, a_slug, a_date, status, a_fp, a_import_fp, a_ext, a_canon):
    """Whether plan.find_article would pick this article for the input and plan._decide call it unchanged."""
    if status == Article.Status.REMOVED or digest not in (a_fp, a_import_fp):
        return False
    given = bool(given)  # SQLite answers 0 or 1
    if ext:  # matched by external id; no new canonical URL or slug to take
        return ext == a_ext and (not canon or canon == a_canon) and (not given or slug == a_slug)
    if canon:  # a canonical URL may be shared: leave the choice to the full path
        return False
    return slug == a_slug and (given or date == a_date)


def remember(plan) -> None:
    """Keep what each file of an import batch read and which article it is (one upsert per batch)."""
    found = []
    adapt_date = connection.ops.adapt_datefield_value  # once: each ``connection.`` is a context-local look-up
    for item, article, outcome in zip(plan.inputs, plan.articles, plan.outcomes, strict=True):
        if item.content_hash and outcome in (CREATED, UPDATED, UNCHANGED) and len(item.origin) <= 500:
            digest = article.fingerprint if outcome != UNCHANGED else item.fingerprint
            found.append(_row(item, article.pk, digest, adapt_date(item.published_on)))
    columns = [ImportedFile._meta.get_field(name).column for name in _REMEMBERED]
    rows.upsert(ImportedFile._meta.db_table, columns, "origin", found)


_REMEMBERED = ("origin", "content_hash", "article", "fingerprint", "slug", "slug_given", "published_on", "external_id",
               "canonical_url")  # fmt: skip


def _row(item, article_id: int, digest: str, published_on) -> tuple:
    return (item.origin, item.content_hash, article_id, digest, item.resolved_slug(), bool(item.slug),
            published_on, item.external_id, item.canonical_url)  # fmt: skip
