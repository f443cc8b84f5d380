"""Index helpers shared by the models.

Every claim and every recorded check changes an indexed column of its
SourceURL rows, and an import inserts thousands of rows a second, so
PostgreSQL writes an entry in each of a table's indexes for every row it
touches. These helpers keep each index to what its queries need.
"""

from django.db import models


def index_where_set(field: str, name: str) -> models.Index:
    """An index of only the rows where a nullable column (a date, a rarely set key) is set.

    Any look-up by value (``became_dead_at > since``, ``= x``, ``IN (…)``)
    implies the column is not null, so PostgreSQL still uses it, and the null
    rows cost no entry.
    """
    return models.Index(fields=[field], name=name, condition=models.Q(**{f"{field}__isnull": False}))


def exact_index(field: str, name: str) -> models.Index:
    """An index for exact look-ups on a CharField.

    ``db_index=True`` on a CharField gives PostgreSQL a second index with
    ``varchar_pattern_ops``, which only ``LIKE 'prefix%'`` uses; a field that
    is only looked up by value would pay for it on every insert and update.
    """
    return models.Index(fields=[field], name=name)


def exact_unique(field: str, name: str) -> models.UniqueConstraint:
    """Uniqueness of a CharField, without the ``varchar_pattern_ops`` index ``unique=True`` adds on PostgreSQL."""
    return models.UniqueConstraint(fields=[field], name=name)
