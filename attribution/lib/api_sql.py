"""The API's fixed read queries, compiled to SQL once per database connection instead of on every request.

Building a QuerySet and compiling it costs the article list more CPU than running it: 0.1–0.3 ms for
each of its queries (the count, the page, the page's citations, their sources), about a fifth of the
list's CPU in the web worker (bench/README.md, "API under load"). The SQL of each of these queries
depends only on the database and on a key the caller names (staff or not; how many values an ``IN``
holds where the backend writes one placeholder per value), so it is compiled on first use and run again
with the request's parameters:

- the parameters the caller says the query takes are checked against the compiled ones on that first
  use, so a key that does not determine the SQL fails at once instead of answering another query;
- rows come back converted by the converters Django's compiler would apply (SQLite's booleans and
  datetimes, PostgreSQL's time zones), and ``values()`` rows as the same dicts;
- statements still go through Django's cursor: logged, counted by the tests' query assertions, seen by
  execute wrappers, their errors Django's, exactly as before.
"""

import threading
import weakref
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import ValuesIterable, ValuesListIterable

# Per connection: a key the caller chooses (a tuple) -> its compiled query. Few keys exist (a few per
# endpoint; on SQLite one per distinct IN length), so the bound only guards against a caller's mistake.
MAX_QUERIES = 512
_compiled: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


class _Compiled(NamedTuple):
    sql: str
    params: tuple  # as compiled: the parameters of a query whose key fixes them too
    names: tuple[str, ...]  # of a values() query's columns; () for values_list()
    converters: tuple  # ((position, (converter, ...), expression), ...)


def _queries(connection) -> dict:
    with _lock:
        return _compiled.setdefault(connection, {})


def _compile(queryset, params) -> _Compiled:
    """``queryset``'s SQL without LIMIT/OFFSET, its column names and converters; ValueError if ``params`` differ."""
    query = queryset.query
    dicts = queryset._iterable_class is ValuesIterable
    if not (dicts or queryset._iterable_class is ValuesListIterable) or query.selected is None:
        raise ValueError("Only values(fields...) and values_list(fields...) querysets are compiled once.")
    if query.extra or query.annotations or query.combinator:
        raise ValueError("Only model fields are compiled once: no extra(), annotations or combined queries.")
    compiler = query.get_compiler(queryset.db)
    sql, compiled_params = compiler.as_sql(with_limits=False)
    if params is not None and tuple(compiled_params) != tuple(params):
        raise ValueError(f"{sql!r} takes {compiled_params!r}, not the {params!r} its caller named.")
    if compiler.has_extra_select:  # ordering columns added to the SELECT: Django would cut them from each row
        raise ValueError("Only queries whose rows are their selected columns are compiled once.")
    fields = [select[0] for select in compiler.select[: compiler.col_count]]
    converters = tuple((pos, tuple(convs), expr) for pos, (convs, expr) in compiler.get_converters(fields).items())
    return _Compiled(sql, tuple(compiled_params), tuple(query.selected) if dicts else (), converters)


def rows(key: tuple, build, params=None, *, low: int = 0, high: int | None = None, using=DEFAULT_DB_ALIAS) -> list:
    """The rows of ``build()`` (a ``values()`` or ``values_list()`` QuerySet), rows ``low`` to ``high``.

    ``build`` is called only the first time ``key`` is seen on this connection: ``key`` must name
    everything its SQL depends on. ``params`` are the parameters the query takes this time, in the order
    its SQL takes them; None when ``key`` fixes them too (they are then the first build's). Dicts for
    ``values()``, tuples for ``values_list()``, as the QuerySet gives them.
    """
    connection = connections[using]
    queries = _queries(connection)
    compiled = queries.get(key)
    if compiled is None:
        compiled = _compile(build(), params)
        if len(queries) >= MAX_QUERIES:
            queries.clear()
        queries[key] = compiled
    if high is not None and high <= low:
        return []  # what Django does for an empty slice: no query at all
    sql = compiled.sql
    if low or high is not None:
        sql = f"{sql} {connection.ops.limit_offset_sql(low, high)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, compiled.params if params is None else params)
        found = cursor.fetchall()
    if compiled.converters:
        found = [_converted(row, compiled.converters, connection) for row in found]
    if compiled.names:
        names = compiled.names
        return [dict(zip(names, row, strict=True)) for row in found]
    return found


def _converted(row, converters, connection) -> tuple:
    row = list(row)
    for pos, convs, expression in converters:
        value = row[pos]
        for converter in convs:
            value = converter(value, expression, connection)
        row[pos] = value
    return tuple(row)


def count(key: tuple, build, *, using=DEFAULT_DB_ALIAS) -> int:
    """``build().count()``, its statement remembered under ``key``, which must fix its SQL and parameters.

    The first time, the QuerySet counts and the one statement it ran is recorded; after that the same
    statement runs with the same parameters.
    """
    connection = connections[using]
    queries = _queries(connection)
    compiled = queries.get(("count", key))
    if compiled is None:
        ran = []

        def record(execute, sql, params, many, context):
            ran.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            counted = build().count()
        if len(ran) == 1:  # none when Django knew the answer without asking (an empty IN)
            queries[("count", key)] = ran[0]
        return counted
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


class Sliced:
    """What Django's Paginator asks of a QuerySet (``count()``, ``[low:high]``, ``ordered``), by compiled queries.

    ``build()`` gives the ``values()`` QuerySet whose SQL and parameters ``key`` fixes; its count and each
    page run the statements Django would run for it (tests/attribution/test_api_sql.py compares them).
    """

    def __init__(self, key: tuple, build, *, ordered: bool, using=DEFAULT_DB_ALIAS):
        self.key, self.build, self.ordered, self.using = key, build, ordered, using

    def count(self) -> int:
        return count(self.key, self.build, using=self.using)

    def __iter__(self):
        return iter(rows(self.key, self.build, using=self.using))

    def __getitem__(self, page: slice) -> list:
        if not isinstance(page, slice) or page.step is not None or page.start is None or page.start < 0:
            raise TypeError("Only [low:high] slices of a page are read this way.")
        return rows(self.key, self.build, low=page.start, high=page.stop, using=self.using)


def with_related(key: tuple, model, related: str, build, params, *, using=DEFAULT_DB_ALIAS) -> list:
    """``build().select_related(related)``'s ``model`` instances, by a statement compiled once under ``key``.

    ``build()`` gives a QuerySet of ``model``; ``related`` names one of its non-null forward foreign keys:
    each instance comes with that object loaded, both built as ``select_related`` builds them
    (``Model.from_db``, then the field's cache), from one JOIN.
    """
    field = model._meta.get_field(related)
    if not field.many_to_one or field.null:
        raise ValueError(f"{related} is not a non-null foreign key of {model.__name__}.")
    own = [f.attname for f in model._meta.concrete_fields]
    theirs = [f.attname for f in field.related_model._meta.concrete_fields]
    columns = [*own, *(f"{related}__{name}" for name in theirs)]
    found = []
    for row in rows(key, lambda: build().values_list(*columns), params, using=using):
        instance = model.from_db(using, own, row[: len(own)])
        field.set_cached_value(instance, field.related_model.from_db(using, theirs, row[len(own) :]))
        found.append(instance)
    return found
