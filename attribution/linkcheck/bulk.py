"""Writing a batch's new state in bulk.

Django's bulk_update builds one CASE expression per column with a branch per
row, which is quadratic in the batch size: thousands of results would take
seconds to write. On PostgreSQL we join the rows against a VALUES list
instead, one linear statement per chunk.
"""

import json

from django.db import connection

from attribution.models import SourceURL


def bulk_write(sources: list[SourceURL], fields: list[str], *, chunk: int = 1000) -> None:
    """Save ``fields`` of every source in ``sources`` (which all exist). Same effect as bulk_update."""
    if connection.vendor != "postgresql":
        SourceURL.objects.bulk_update(sources, fields, batch_size=100)
        return
    model_fields = [SourceURL._meta.get_field(name) for name in fields]
    casts = [f"%s::{field.db_type(connection)}" for field in model_fields]
    row_sql = "(%s::bigint, " + ", ".join(casts) + ")"
    columns = ", ".join(field.column for field in model_fields)
    assignments = ", ".join(f"{field.column} = v.{field.column}" for field in model_fields)
    for start in range(0, len(sources), chunk):
        part = sources[start : start + chunk]
        params = []
        for source in part:
            params.append(source.pk)
            params.extend(_db_value(source, field) for field in model_fields)
        sql = (
            f"UPDATE {SourceURL._meta.db_table} AS s SET {assignments} "
            f"FROM (VALUES {', '.join([row_sql] * len(part))}) AS v(id, {columns}) WHERE s.id = v.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _db_value(source: SourceURL, field):
    value = getattr(source, field.attname)
    if field.get_internal_type() == "JSONField":
        return json.dumps(value)
    return value
