"""Writing a batch's new state in bulk.

Django's bulk_update builds one CASE expression per column with a branch per
row, which is quadratic in the batch size: thousands of results would take
seconds to write. On PostgreSQL we join the rows against a VALUES list
instead, one linear statement per chunk.
"""

import json

from django.db import connection

from attribution.models import LinkCheck, SourceURL

HISTORY_COLUMNS = [
    "source_url_id",
    "checked_at",
    "status",
    "http_status",
    "elapsed_ms",
    "final_url",
    "failure_kind",
    "detail",
]


def bulk_write(sources: list[SourceURL], fields: list[str]) -> None:
    """Save ``fields`` of every source in ``sources`` (which all exist). Same effect as bulk_update."""
    if not sources:
        return
    if connection.vendor != "postgresql":
        _write_each(sources, fields)
        return
    model_fields = [SourceURL._meta.get_field(name) for name in fields]
    # One text array per column, unnested side by side: a handful of
    # parameters however many rows, each cast back to its column's type.
    columns = ", ".join(field.column for field in model_fields)
    assignments = ", ".join(f"{f.column} = v.{f.column}::{f.db_type(connection)}" for f in model_fields)
    arrays = ", ".join(["%s::text[]"] * (len(model_fields) + 1))
    params = [[str(source.pk) for source in sources]]
    params += [[_as_text(source, field) for source in sources] for field in model_fields]
    sql = (
        f"UPDATE {SourceURL._meta.db_table} AS s SET {assignments} "
        f"FROM unnest({arrays}) AS v(id, {columns}) WHERE s.id = v.id::bigint"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _write_each(sources: list[SourceURL], fields: list[str]) -> None:
    model_fields = [SourceURL._meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in model_fields)
    sql = f"UPDATE {SourceURL._meta.db_table} SET {assignments} WHERE id = %s"
    params = [
        [f.get_db_prep_save(getattr(source, f.attname), connection) for f in model_fields] + [source.pk]
        for source in sources
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _as_text(source: SourceURL, field) -> str | None:
    value = getattr(source, field.attname)
    if value is None:
        return None
    if field.get_internal_type() == "JSONField":
        return json.dumps(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def bulk_insert_history(rows: list[LinkCheck]) -> None:
    """Insert check history rows: COPY on PostgreSQL (no per-row SQL to build), executemany elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        fields = [LinkCheck._meta.get_field(column.removesuffix("_id")) for column in HISTORY_COLUMNS]
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {LinkCheck._meta.db_table} ({', '.join(HISTORY_COLUMNS)}) VALUES ({placeholders})"
        params = [[f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
        return
    with connection.cursor() as cursor:
        copy_sql = f"COPY {LinkCheck._meta.db_table} ({', '.join(HISTORY_COLUMNS)}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row([getattr(row, column) for column in HISTORY_COLUMNS])
