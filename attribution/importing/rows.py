"""Inserting many rows as plain parameters: what the import writes by the thousand.

Django's ``bulk_create`` compiles every value of every row through the
field's ``get_db_prep_save``; for an article that was more CPU than the rest
of its import. Here each column is converted only where the backend needs it
(dates, datetimes, JSON), each distinct value once, and the rows go in with
one COPY on PostgreSQL (a tenth of the server's work of single INSERTs) or
one ``executemany`` elsewhere. Columns are named explicitly, so a new field
with no default fails loudly rather than being left out.
"""

import operator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

from attribution.lib.sql import in_chunks

# Fields whose Python value is what the database driver takes, so no conversion is needed.
_PLAIN = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey)


def insert(table: str, columns: list[str], rows: list, *, ignore_conflicts: bool = False) -> None:
    """Insert ``rows`` (sequences in ``columns`` order, driver-ready values) into ``table``.

    With ``ignore_conflicts`` a row that would break a unique constraint is
    left out (``ON CONFLICT DO NOTHING``, so an executemany on PostgreSQL too).
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not ignore_conflicts:
            # The driver's own cursor: its errors are made Django's (IntegrityError …) here, so callers
            # catch the same exceptions as from an INSERT.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        suffix = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders}){suffix}", rows)


def insert_instances(model, instances: list, *, ignore_conflicts: bool = False) -> None:
    """Insert unsaved ``instances`` of ``model`` without primary keys (the caller looks the ids up).

    Values are read as set on each instance, else the field's default;
    ``auto_now`` and ``auto_now_add`` fields get one "now" for all, set on the
    instances too (as ``bulk_create`` does, one per row).
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for instance in instances:
                setattr(instance, field.attname, now)
    rows = _values(fields, instances)
    convert_columns(fields, rows)
    insert(model._meta.db_table, [f.column for f in fields], rows, ignore_conflicts=ignore_conflicts)


def _values(fields: list, instances: list) -> list[list]:
    """Each instance's value of each field, in order: its own, else the field's default (a deferred field).

    An instance from ``instance_factory`` or ``Model.__init__`` holds every
    attname, so one C-level ``itemgetter`` call reads its row; only an
    instance missing some falls back to a look-up per field.
    """
    names = [f.attname for f in fields]
    row_of = row_getter(names)
    defaults = None
    rows = []
    for instance in instances:
        values = instance.__dict__
        try:
            rows.append(list(row_of(values)))
        except KeyError:
            defaults = defaults or [(f.attname, f.get_default()) for f in fields]
            rows.append([values.get(name, default) for name, default in defaults])
    return rows


def row_getter(names: list[str]):
    """A function giving the values of ``names`` in a mapping, as a tuple (``itemgetter``, also for one name)."""
    if len(names) == 1:
        name = names[0]
        return lambda values: (values[name],)
    return operator.itemgetter(*names)


def instance_factory(model):
    """A function making unsaved ``model`` instances from keyword values (attnames), as ``model(**values)`` would.

    ``Model.__init__`` walks every field for every instance; an import makes
    thousands with a few values each. Constant defaults are read once, callable
    ones (``list``, ``timezone.now``) called per instance. Where something
    listens to a model's init signals, it is the model itself.
    """
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model
    fields = model._meta.concrete_fields
    constant = {f.attname: f.get_default() for f in fields if not (f.has_default() and callable(f.default))}
    called = [(f.attname, f.get_default) for f in fields if f.has_default() and callable(f.default)]

    def make(**values):
        instance = model.__new__(model)
        instance._state = ModelState()
        instance.__dict__.update(constant)
        for attname, default in called:
            instance.__dict__[attname] = default()
        instance.__dict__.update(values)
        return instance

    return make


def ids_by(model, column: str, keys) -> dict:
    """{key: id} of the rows of ``model`` whose ``column`` is one of ``keys`` (one plain SELECT, see ``select_in``).

    The ORM's ``__in`` prepares every key through the field, which cost more
    than the query on a batch's thousands of URL hashes.
    """
    return dict(select_in(model._meta.db_table, column, [column, model._meta.pk.column], list(keys)))


def select_in(table: str, key: str, columns, keys: list) -> list[tuple]:
    """Rows (``columns``) of ``table`` whose ``key`` is one of ``keys`` (one array on PostgreSQL: ``in_chunks``)."""
    quote, found = connection.ops.quote_name, []
    names, table = ", ".join(quote(c) for c in columns), quote(table)
    with connection.cursor() as cursor:
        for condition, params in in_chunks(quote(key), keys):
            cursor.execute(f"SELECT {names} FROM {table} WHERE {condition}", params)
            found += cursor.fetchall()
    return found


def upsert(table: str, columns: list[str], key: str, rows: list) -> None:
    """Insert ``rows`` (driver-ready values in ``columns`` order), updating the row already there for ``key``.

    Rows are taken in order, so of two rows for one key the last wins. On
    PostgreSQL one statement over arrays (``unnest``): an executemany is a
    statement per row, each one parsed and planned.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns if c != key)
    conflict = f"ON CONFLICT ({quote(key)}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders}) {conflict}", rows)
            return
        at = columns.index(key)
        rows = list({row[at]: row for row in rows}.values())  # one statement may not update a row twice
        types = _column_types(table, columns)
        arrays = ", ".join(f"%s::{types[c]}[]" for c in columns)
        cursor.execute(
            f"INSERT INTO {quote(table)} ({names}) SELECT * FROM unnest({arrays}) {conflict}",
            [list(column) for column in zip(*rows, strict=True)],
        )


def _column_types(table: str, columns: list[str]) -> dict[str, str]:
    """PostgreSQL's type of each column (``character varying`` …), to type the arrays ``upsert`` sends."""
    if table not in _TYPES:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [connection.ops.quote_name(table)],
            )
            _TYPES[table] = dict(cursor.fetchall())
    return {c: _TYPES[table][c] for c in columns}


_TYPES: dict[str, dict[str, str]] = {}


def convert_columns(fields: list, rows: list[list]) -> None:
    """Convert, in place, the columns of ``rows`` whose field needs the backend's conversion; each value once."""
    for position, field in enumerate(fields):
        if isinstance(field, _PLAIN) and not isinstance(field, models.JSONField):
            continue
        for row, value in zip(rows, converted(field, [row[position] for row in rows]), strict=True):
            row[position] = value


def converted(field, values: list) -> list:
    """``values`` prepared for the database by ``field``: each distinct value once (a batch shares most dates)."""
    memo: dict = {}
    prepared = []
    # The connection itself, not the ``connection`` proxy, whose every attribute goes through a context-local
    # look-up: the fields ask it for ``ops`` once per value.
    database = connections[DEFAULT_DB_ALIAS]
    for value in values:
        if isinstance(value, list | dict):  # unhashable, and JSON: prepared every time
            prepared.append(field.get_db_prep_save(value, database))
            continue
        if value not in memo:
            memo[value] = field.get_db_prep_save(value, database)
        prepared.append(memo[value])
    return prepared


@contextmanager
def large_cache(kib: int = 65_536):
    """On SQLite, a page cache of ``kib`` KiB and rarer WAL checkpoints for this connection meanwhile (a no-op elsewhere).

    SQLite's default 2 MB holds little of the indexes a large import inserts
    into at random places (slugs, URL hashes, file paths), so their pages are
    read back from the file again and again; 64 MB took about 5 % off the
    CPU of a 100,000-article import and stays within its memory budget.
    The WAL is checkpointed every 16,000 pages (64 MB) instead of 1,000
    meanwhile, so an index page rewritten by many batches is copied into the
    database once per checkpoint rather than once every few batches.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
        cursor.execute("PRAGMA wal_autocheckpoint")
        checkpoint = cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_autocheckpoint = 16000")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint)}")


def analyze(*models) -> None:
    """Refresh PostgreSQL's statistics of ``models``' tables after a bulk load (a no-op elsewhere).

    Until autovacuum gets to it, the planner takes a table loaded a moment ago
    for a small one and scans it whole for every batch of the next import.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models))
