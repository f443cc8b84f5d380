"""The sources of an import batch: each cited URL found or created as a SourceURL, and the citations inserted.

Kept out of attribution/services.py, which calls it from the import path only.
A batch cites the same few thousand URLs over and over, so each distinct
source entry is split and normalised once per process (``cited``), and every
later step is a dictionary look-up.
"""

import functools

from attribution.history.record import record_created
from attribution.importing.fields import source_parts
from attribution.importing.rows import ids_by, insert, insert_instances, instance_factory
from attribution.lib.domains import default_publisher_host, display_host, host_suffixes
from attribution.models import Citation, Publisher, SourceURL
from attribution.urls_normalise import NormalisedURL, normalise_url


@functools.lru_cache(maxsize=65_536)
def cited(entry: str) -> tuple[str, str, NormalisedURL]:
    """(URL as written, citation text, normalised URL) of a stored source entry (bare URL or ``[text](url)``)."""
    url, text = source_parts(entry)
    return url, text, normalise_url(url)


def apply_quality_flags(article, urls: list[NormalisedURL]) -> None:
    article.has_no_sources = not urls
    article.has_homepage_source = any(u.is_valid and u.is_homepage for u in urls)
    article.has_invalid_source = any(not u.is_valid for u in urls)
    article.has_duplicate_source = len({u.url for u in urls}) < len(urls)


def citation_rows(articles: list, cited_lists: list[list[tuple]], source_ids: dict[str, int]) -> list[tuple]:
    """Citation rows (article, source URL, position, text, is_duplicate) of each article's ``cited`` sources."""
    rows = []
    for article, sources in zip(articles, cited_lists, strict=True):
        seen: set[str] = set()
        pk = article.pk
        for position, (_written, text, url) in enumerate(sources, 1):
            rows.append((pk, source_ids[url.url_hash], position, text, url.url in seen))
            seen.add(url.url)
    return rows


def insert_citations(rows: list[tuple]) -> None:
    """Insert citation rows, three in four rows an import writes, as plain parameters (importing/rows.py)."""
    columns = [
        Citation._meta.get_field(name).column
        for name in ("article", "source_url", "position", "text_as_written", "is_duplicate")
    ]
    insert(Citation._meta.db_table, columns, rows)


def source_url_ids(cited_lists: list[list[tuple]]) -> dict[str, int]:
    """Ids of the SourceURL rows for the cited URLs (by url_hash), creating missing rows and their publishers."""
    as_written: dict[str, str] = {}
    wanted: dict[str, NormalisedURL] = {}
    for sources in cited_lists:
        for written, _text, url in sources:
            url_hash = url.url_hash
            if url_hash not in wanted:
                as_written[url_hash], wanted[url_hash] = written, url
    ids = ids_by(SourceURL, "url_hash", wanted)
    missing = [u for h, u in wanted.items() if h not in ids]
    if missing:
        publishers = publisher_ids({u.host for u in missing if u.host})
        new_source = instance_factory(SourceURL)
        insert_instances(
            SourceURL,
            [
                new_source(
                    url=u.url,
                    url_hash=u.url_hash,
                    url_as_cited=as_written[u.url_hash],
                    host=u.host,
                    publisher_id=publishers.get(u.host),
                    is_valid=u.is_valid,
                    invalid_reason=u.invalid_reason[:200],
                    is_homepage=u.is_homepage,
                )
                for u in missing
            ],
            # A concurrent import may insert the same URL; the row it made is as good as ours.
            ignore_conflicts=True,
        )
        ids.update(ids_by(SourceURL, "url_hash", [u.url_hash for u in missing]))
    return ids


def publisher_ids(hosts: set[str]) -> dict[str, int]:
    """For each host, the id of the publisher owning it, creating one if none does.

    A configured publisher for the host or any domain above it owns it, the
    longest one winning (an editor's ``news.bbc.co.uk`` beats ``bbc.co.uk``).
    A host no publisher owns gets one keyed by its registrable domain, so
    ``news.bbc.co.uk`` and ``www.bbc.co.uk`` group under ``bbc.co.uk`` in
    whatever order they arrive.
    """
    suffixes = {s for host in hosts for s in host_suffixes(host)}
    known = dict(Publisher.objects.filter(host__in=suffixes).values_list("host", "id"))
    unowned = {default_publisher_host(h) for h in hosts if not any(s in known for s in host_suffixes(h))}
    if unowned:
        Publisher.objects.bulk_create([Publisher(host=h, name=display_host(h)) for h in unowned], ignore_conflicts=True)
        known.update(Publisher.objects.filter(host__in=unowned).values_list("host", "id"))
        record_created(Publisher.objects.filter(host__in=unowned), via="import")
    return {h: next(known[s] for s in host_suffixes(h) if s in known) for h in hosts}
