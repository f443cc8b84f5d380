"""Plain SQL pieces the ORM's ``__in`` makes too costly for thousands of values."""

from collections.abc import Iterator

from django.db import connection


def in_chunks(column: str, values: list, *, chunk: int = 900) -> Iterator[tuple[str, list]]:
    """``column`` (quoted) is one of ``values``, as SQL conditions with their parameters, each to run once.

    On PostgreSQL one ``= ANY(%s)`` with the values as one array parameter: an
    ``IN`` list of thousands of placeholders is adapted value by value by the
    driver and parsed and planned anew by the server. Elsewhere ``IN`` lists of
    ``chunk`` parameters (SQLite's old limit is 999 a statement). No values, no conditions.
    """
    if not values:
        return
    if connection.vendor == "postgresql":
        yield f"{column} = ANY(%s)", [list(values)]
        return
    for start in range(0, len(values), chunk):
        part = list(values[start : start + chunk])
        yield f"{column} IN ({', '.join(['%s'] * len(part))})", part
