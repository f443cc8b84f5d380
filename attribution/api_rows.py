"""The articles API's reads built from plain rows: ArticleSerializer's output, to the byte, without it per object.

Through the serializers, a page of 50 articles made about 500 model instances (articles, citations,
sources, publishers) and 2,000 nested field calls: three quarters of the list's CPU (bench/README.md,
"API under load"). Here the page is one ``.values()`` query, its citations one more, their sources with
their publishers a third, and each answer a dict built directly: a fixed number of queries, whatever the
page holds.

``ArticleSerializer`` stays the API's schema, the serializer of write answers and the reference:
``tests/attribution/test_api_rows.py`` compares both outputs on every flag, status, override and slug
script. The labels and the shown link status come from the models' own properties (``Article.quality_flags``,
``Citation.quality_flags``, ``SourceURL.shown_status``), read from light row objects, so their rules live in
one place. A field added to ``ArticleSerializer`` or ``CitationSerializer`` that this module does not build
makes the views fall back to the serializer (correct, slower), and that test fails to say so.
"""

import functools
import operator
import re
from urllib.parse import quote

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, F, Func
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language
from rest_framework import serializers

from attribution.lib import api_sql
from attribution.models import Article, Citation, SourceURL

ARTICLE_FIELDS = (
    "slug",
    "url",
    "headline",
    "published_on",
    "status",
    "body",
    "sources",
    "quality_flags",
    "updated_at",
    "external_id",
    "canonical_url",
)
CITATION_FIELDS = (
    "position",
    "text_as_written",
    "url",
    "source_id",
    "publisher",
    "quality_flags",
    "link_status",
    "archive_url",
)
PUBLISHER_FIELDS = ("name", "host")

QUALITY_COLUMNS = ("has_no_sources", "has_homepage_source", "has_duplicate_source", "has_invalid_source")
ARTICLE_COLUMNS = (
    "id",
    "slug",
    "headline",
    "published_on",
    "status",
    "body",
    "updated_at",
    "external_id",
    "canonical_url",
    *QUALITY_COLUMNS,
)
CITATION_COLUMNS = ("article_id", "position", "text_as_written", "source_url_id", "is_duplicate")
SOURCE_COLUMNS = (
    "id",
    "url",
    "status",
    "override",
    "archive_url",
    "is_valid",
    "invalid_reason",
    "is_homepage",
    "publisher_id",
    "publisher__name",
    "publisher__host",
)

# An article row's quality columns, in QUALITY_COLUMNS order, in one call.
_quality = operator.itemgetter(*QUALITY_COLUMNS)
# The conversion ModelSerializer picks for a DateField (ISO 8601); DateTimeField's is made per answer below.
_DATE = serializers.DateField()
# What reverse() leaves unquoted in a path segment (RFC 3986 pchar).
_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"
_MARKER = "slug-marker"
# Characters quote() never escapes (RFC 3986 unreserved), ASCII only.
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+", re.ASCII)


class _AnyOf(Func):
    """``column IN (values)``; on PostgreSQL ``column = ANY(%s::bigint[])`` with the values as one array literal.

    Django's ``__in`` sends a parameter per value, each prepared by the field and then spliced in by
    psycopg: 0.5 ms of CPU for a page's 50 articles and 150 sources; psycopg's own list dumper still
    checks each value's type (0.1 ms). The values are integers (ids) read from the database a moment before.
    """

    output_field = BooleanField()

    def __init__(self, column: str, values):
        super().__init__(F(column))
        self.values = [int(value) for value in values]

    @staticmethod
    def params(vendor: str, values) -> list:
        """The parameters the condition passes for ``values`` on a ``vendor`` database, in order."""
        if vendor == "postgresql":
            return ["{" + ",".join(map(str, map(int, values))) + "}"]
        return list(map(int, values))

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.get_source_expressions()[0])
        return f"{column} IN ({', '.join(['%s'] * len(self.values))})", (*params, *self.values)

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.get_source_expressions()[0])
        return f"{column} = ANY(%s::bigint[])", (*params, *self.params("postgresql", self.values))


class _Row:
    """A row's values as attributes; the subclasses borrow a model's properties to apply its rules to rows."""

    __slots__ = ()

    def __init__(self, **values):
        for name, value in values.items():
            setattr(self, name, value)


class _ArticleRow(_Row):
    __slots__ = QUALITY_COLUMNS
    quality_flags = Article.quality_flags


class _SourceRow(_Row):
    __slots__ = ("status", "override", "is_valid", "invalid_reason", "is_homepage")
    Status, Override = SourceURL.Status, SourceURL.Override
    shown_status = SourceURL.shown_status


class _CitationRow(_Row):
    __slots__ = ("source_url", "is_duplicate")
    quality_flags = Citation.quality_flags


@functools.cache
def covers(serializer_class) -> bool:
    """Whether this module builds every field of ``serializer_class``'s answer, in its order."""
    fields = serializer_class().fields
    if tuple(fields) != ARTICLE_FIELDS:
        return False
    citation = fields["sources"].child.fields
    return tuple(citation) == CITATION_FIELDS and tuple(citation["publisher"].fields) == PUBLISHER_FIELDS


def article_row(article: Article) -> dict:
    """The row ``articles_data`` reads, from an article already loaded (the detail view's)."""
    return {column: getattr(article, column) for column in ARTICLE_COLUMNS}


def articles_data(rows, request) -> list[dict]:
    """The API's answer for each article row (``Article.objects.values(*ARTICLE_COLUMNS)``), in order."""
    rows = list(rows)
    sources = citations_by_article([row["id"] for row in rows])
    url_of, language = _url_maker(request), get_language()
    # DRF's DateTimeField, told the time zone once rather than looking it up for each article.
    datetime_field = serializers.DateTimeField(
        default_timezone=timezone.get_current_timezone() if settings.USE_TZ else None
    )
    return [
        {
            "slug": row["slug"],
            "url": url_of(row["slug"]),
            "headline": row["headline"],
            "published_on": _DATE.to_representation(row["published_on"]),
            "status": row["status"],
            "body": row["body"],
            "sources": sources.get(row["id"], []),
            "quality_flags": list(_article_flags(language, *_quality(row))),
            "updated_at": datetime_field.to_representation(row["updated_at"]),
            "external_id": row["external_id"],
            "canonical_url": row["canonical_url"],
        }
        for row in rows
    ]


def citations_by_article(article_ids: list[int]) -> dict[int, list[dict]]:
    """Each article's sources as the API shows them, in position order: two queries for any number of articles.

    Citations, then their sources by primary key: joined in one query, PostgreSQL hashes the whole source
    table for the 150 rows of a page (2 ms at 5,000 sources, growing with the table).
    """
    found: dict[int, list[dict]] = {}
    if not article_ids:
        return found
    citations = _rows_where_any(
        "citations",
        lambda any_of: Citation.objects.filter(any_of("article_id")).order_by("article_id", "position"),
        article_ids,
        CITATION_COLUMNS,
    )
    if not citations:
        return found
    language = get_language()
    sources = {}
    source_ids = {row[3] for row in citations}
    for row in _rows_where_any(
        "sources", lambda any_of: SourceURL.objects.filter(any_of("id")), source_ids, SOURCE_COLUMNS
    ):
        source_id, url, status, override, archive_url, is_valid, invalid_reason, is_homepage = row[:8]
        publisher_id, publisher_name, publisher_host = row[8:]
        sources[source_id] = (
            url,
            None if publisher_id is None else {"name": publisher_name, "host": publisher_host},
            (language, is_valid, invalid_reason, is_homepage),
            _shown_status(status, override),
            archive_url,
        )
    for article_id, position, text, source_id, is_duplicate in citations:
        if source_id not in sources:
            continue  # its citation changed between the two queries: the article is shown as it now is
        url, publisher, flags_key, link_status, archive_url = sources[source_id]
        found.setdefault(article_id, []).append(
            {
                "position": position,
                "text_as_written": text,
                "url": url,
                "source_id": source_id,
                "publisher": None if publisher is None else dict(publisher),
                "quality_flags": list(_citation_flags(*flags_key, is_duplicate)),
                "link_status": link_status,
                "archive_url": archive_url,
            }
        )
    return found


def _rows_where_any(name: str, queryset, values, columns) -> list[tuple]:
    """``queryset(any_of).values_list(*columns)`` for rows whose column is one of ``values``, compiled once.

    ``queryset`` takes the ``any_of(column)`` condition to filter on. PostgreSQL's statement is the same for
    any number of values (one array); elsewhere there is one per number of values (attribution/lib/api_sql.py).
    """
    values = list(values)
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    key = ("api_rows", name) if vendor == "postgresql" else ("api_rows", name, len(values))
    params = _AnyOf.params(vendor, values)
    return api_sql.rows(key, lambda: queryset(lambda column: _AnyOf(column, values)).values_list(*columns), params)


# The models' rules, remembered per distinct input (and language: the labels are translated); a page
# repeats a handful of combinations. Tuples are kept; each answer gets its own list.
@functools.lru_cache(maxsize=1024)
def _article_flags(language, *flags) -> tuple[str, ...]:
    return tuple(_ArticleRow(**dict(zip(QUALITY_COLUMNS, flags, strict=True))).quality_flags)


@functools.lru_cache(maxsize=1024)
def _citation_flags(language, is_valid, invalid_reason, is_homepage, is_duplicate) -> tuple[str, ...]:
    source = _SourceRow(is_valid=is_valid, invalid_reason=invalid_reason, is_homepage=is_homepage)
    return tuple(_CitationRow(source_url=source, is_duplicate=is_duplicate).quality_flags)


@functools.lru_cache(maxsize=64)
def _shown_status(status, override) -> str:
    return str(_SourceRow(status=status, override=override).shown_status)


def _url_maker(request):
    """``slug -> absolute URL of the article page``, as ``ArticleSerializer.get_url`` gives, reversing once."""
    path = reverse("article-detail", kwargs={"slug": _MARKER})
    head, tail = (request.build_absolute_uri(path) if request else path).split(_MARKER)
    # Most slugs are ASCII letters, digits and hyphens, which quote() returns as they are, at 10 times the cost.
    return lambda slug: head + (slug if _UNRESERVED.fullmatch(slug) else quote(slug, safe=_PATH_SAFE)) + tail
