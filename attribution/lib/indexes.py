"""Index helpers shared by the models."""

from django.db import models


def since_index(field: str, name: str) -> models.Index:
    """An index for "since a date" look-ups on a timestamp that most rows leave null.

    Partial (only rows where it is set): every claim and every recorded check
    changes an indexed column of its SourceURL rows, so PostgreSQL writes a new
    entry in each of the table's full indexes for every row it touches. A
    partial index skips the rows outside it, and a query such as
    ``became_dead_at > since`` implies the column is set, so it still uses it.
    """
    return models.Index(fields=[field], name=name, condition=models.Q(**{f"{field}__isnull": False}))
