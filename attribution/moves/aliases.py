"""Remembered moves applied to what an import brings: one query per batch, none when nothing was ever moved."""

import dataclasses

from attribution.importing.fields import link_entry, source_parts
from attribution.urls_normalise import normalise_url


def with_aliases(batch: list) -> list:
    """``batch`` (ArticleInputs) with every source whose URL has moved rewritten to where it lives now.

    The import calls this before matching, so an old file re-imported after a move reads as the
    moved version (unchanged), and a new article or feed item citing the old URL cites the new one.
    """
    from attribution.moves.models import SourceAlias

    # Most newsrooms have moved nothing: one cheap query instead of hashing every source of the batch.
    if not SourceAlias.objects.exists():
        return batch
    hashes = {}
    for item in batch:
        for entry in item.sources:
            url = normalise_url(source_parts(entry)[0])
            if url.is_valid:
                hashes[entry] = url.url_hash
    if not hashes:
        return batch
    moved = dict(
        SourceAlias.objects.filter(old_url_hash__in=set(hashes.values())).values_list("old_url_hash", "new_url")
    )
    if not moved:
        return batch
    return [_rewritten(item, hashes, moved) for item in batch]


def _rewritten(item, hashes: dict, moved: dict):
    sources = tuple(
        moved_entry(entry, moved[hashes[entry]]) if hashes.get(entry) in moved else entry for entry in item.sources
    )
    return item if sources == item.sources else dataclasses.replace(item, sources=sources)


def moved_entry(entry: str, new_url: str) -> str:
    """A stored source entry pointing at ``new_url``: a bare URL becomes the new URL, a link keeps its text."""
    url, text = source_parts(entry)
    if text == url or normalise_url(text).url == normalise_url(url).url:
        return new_url
    return link_entry(text, new_url)
