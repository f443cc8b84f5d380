"""The indexes of the tables every claim, recorded check and import writes: each must earn its keep.

On PostgreSQL every row a claim or a recorded check touches gets a new entry in each index of
the table (attribution/lib/indexes.py), so an index no query uses is paid for on every write.
"""

import pytest
from django.db import IntegrityError, transaction

from attribution.models import ImportedFile, LinkCheck, SourceURL
from tests.attribution.factories import ArticleFactory, SourceURLFactory

WRITTEN_TABLES = ["attribution_sourceurl", "attribution_linkcheck", "attribution_importedfile", "attribution_article"]


def index_definitions(connection, table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


def plan(connection, queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny test table would be scanned whatever its indexes
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_no_pattern_index_on_written_tables_except_the_slug_prefix_search(postgres):
    """unique=True and db_index=True on a CharField add a varchar_pattern_ops index for LIKE 'x%'.

    Only the article slug is searched by prefix (attribution/importing/plan.py: slug LIKE 'base-%').
    """
    pattern = [
        definition
        for table in WRITTEN_TABLES
        for definition in index_definitions(postgres, table).values()
        if "pattern_ops" in definition
    ]
    assert len(pattern) == 1, pattern
    assert "attribution_article USING btree (slug varchar_pattern_ops)" in pattern[0]


@pytest.mark.django_db
def test_a_claimed_row_writes_eight_index_entries_on_postgresql(postgres):
    """A fresh, unleased row is in every full index and in none of the partial ones but the lease's once claimed."""
    definitions = index_definitions(postgres, "attribution_sourceurl").values()
    full = [d for d in definitions if " WHERE " not in d]
    partial = [d for d in definitions if " WHERE " in d]
    assert len(full) == 7, full  # pk, url hash, host, publisher, next check, next drift check, status
    assert any("(override_by_id) WHERE (override_by_id IS NOT NULL)" in d for d in partial)
    assert any("(lease_expires_at) WHERE (lease_expires_at IS NOT NULL)" in d for d in partial)


@pytest.mark.django_db
def test_look_ups_still_find_their_index(postgres, editor):
    source = SourceURLFactory(override_by=editor)
    with transaction.atomic():
        assert "sourceurl_override_by" in plan(postgres, SourceURL.objects.filter(override_by=editor))
        assert "sourceurl_host" in plan(postgres, SourceURL.objects.filter(host=source.host))
        assert "sourceurl_unique_url_hash" in plan(postgres, SourceURL.objects.filter(url_hash=source.url_hash))
        assert "linkcheck_history" in plan(postgres, LinkCheck.objects.filter(source_url=source).order_by())
        assert "importedfile_unique_origin" in plan(postgres, ImportedFile.objects.filter(origin="a.txt"))


@pytest.mark.django_db
def test_url_hash_and_file_origin_stay_unique():
    source = SourceURLFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceURLFactory(url_as_cited=source.url_as_cited)
    article = ArticleFactory()
    fields = {"content_hash": "h", "article": article, "fingerprint": "f", "slug": "s", "published_on": "2026-01-01"}
    ImportedFile.objects.create(origin="a.txt", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportedFile.objects.create(origin="a.txt", **fields)
