"""Importing text files, where a re-import of unchanged files costs a hash and a look-up, not a parse.

Each file's bytes are hashed and compared with what the last import of the
same path read (``ImportedFile``). When they are the same, the file parses to
the same input as then, so the import service would match it to the article
it wrote and find it unchanged, provided that article still matches it
exactly as the service would: same slug (and date, for a headline slug) or
external id, no identity to add, not removed, and its content still the
version this file gave. Those are checked against the article in the same
query; anything else (a changed file, a moved link, a removed or renamed
article, an input with a canonical URL but no external id) goes through the
full path of ``attribution.services.import_articles`` in file order. Nothing
the full path would write is skipped: what is skipped writes nothing there.
"""

import hashlib
import os
from collections.abc import Callable
from contextlib import nullcontext

from attribution.importing import remembered, rows
from attribution.importing.ahead import Ahead
from attribution.importing.models import ImportedFile
from attribution.importing.plan import UNCHANGED
from attribution.lib.gc_threshold import FewerCollections
from attribution.models import Article, Citation, SourceURL
from attribution.parsing import ParseError, parse_article_text
from attribution.services import ImportSummary, import_articles

# New articles in one run after which PostgreSQL's statistics are refreshed.
ANALYZE_AFTER = 1000
# Files looked up (and read ahead) together; each chunk is still written in transactions of ``batch_size``.
# Per chunk there are three queries (a round trip each) and, reading ahead, one hand-over between processes.
CHUNK = 2000


def list_files(directory: str, suffixes: set[str]) -> list[str]:
    """The files under ``directory`` with one of ``suffixes``, in ``sorted(Path(directory).rglob("*"))``'s order.

    Like ``rglob``: symbolic links to files count, links to directories are
    not followed, unreadable directories are passed over. ``os.scandir``
    tells files from directories without a stat per entry: listing 100,000
    files costs a fraction of building and testing a Path for each.
    """
    found: list[str] = []
    pending = [directory]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in suffixes:
                        found.append(entry.path)
        except OSError:
            continue
    return sorted(found, key=lambda path: path.split(os.sep))


def read_text(path: str, errors: list[str]) -> str | None:
    """The text of a UTF-8 file, or None with what went wrong appended to ``errors``."""
    data = read_bytes(path, errors)
    return None if data is None else decode(path, data, errors)


def read_bytes(path: str, errors: list[str]) -> bytes | None:
    """The bytes of a file, or None with what went wrong appended to ``errors``.

    Plain ``os.read`` calls: ``open()`` builds a buffered file object per
    file, which cost as much as the reading itself for 100,000 small files.
    """
    try:
        handle = os.open(path, os.O_RDONLY)
        try:
            parts = []
            while part := os.read(handle, 1 << 16):
                parts.append(part)
            return b"".join(parts)
        finally:
            os.close(handle)
    except OSError as exc:
        errors.append(f"{path}: cannot be read ({exc.strerror})")
        return None


def decode(path: str, data: bytes, errors: list[str]) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        errors.append(
            f"{path}: is not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}); save it as UTF-8"
        )
        return None


@FewerCollections()  # also between chunks, while the reading process's inputs are unpickled
def import_text_files(paths: list[str], errors: list[str], *, actor=None, batch_size: int, on_progress: Callable):
    """Import text files (one article each) in chunks of ``CHUNK`` (or ``batch_size``); returns the ImportSummary.

    Unreadable and unparsable files are appended to ``errors``. Each chunk's
    changed files are written before the next chunk is looked up, so a file
    always meets what the files before it wrote. In a large import, a second
    process reads and parses the next chunk meanwhile (importing/ahead.py).
    """
    summary = ImportSummary()
    size = max(batch_size, CHUNK)
    chunks = [paths[start : start + size] for start in range(0, len(paths), size)]
    ahead = Ahead.for_import(paths, read_and_parse)
    try:
        with rows.large_cache() if len(chunks) > 1 else nullcontext():  # SQLite's page cache (importing/rows.py)
            for number, chunk in enumerate(chunks):
                token = remembered.moves_token()
                read = ahead.take(chunk, token) if ahead else None
                inputs, unchanged = _changed_inputs(chunk, errors, token, read)
                if ahead and inputs and number + 1 < len(chunks):  # parsing pays while files change
                    ahead.submit(chunks[number + 1], token)
                summary.count(UNCHANGED, unchanged)
                if len(chunk) > len(inputs):  # unchanged, unreadable or unparsable: done with
                    on_progress(len(chunk) - len(inputs))
                if inputs:
                    summary.merge(import_articles(inputs, actor=actor, batch_size=batch_size, on_progress=on_progress))
    finally:
        if ahead:
            ahead.close()
    if summary.created >= ANALYZE_AFTER:  # so the next import's look-ups use the indexes (importing/rows.py)
        rows.analyze(Article, Citation, SourceURL, ImportedFile)
    return summary


def _changed_inputs(chunk: list[str], errors: list[str], token: bytes, read: list | None) -> tuple[list, int]:
    """The parsed inputs of the files in ``chunk`` that need the full path, and how many are unchanged.

    ``read`` is what the reading process made of the chunk (importing/ahead.py), else None: read it here.
    """
    if read is None:
        read = []
        for path in chunk:
            data = read_bytes(path, errors)
            if data is not None:
                read.append((path, hashlib.sha256(token + data).hexdigest(), data))
    else:
        errors += [error for _path, digest, error, _parsed in read if digest is None]
        read = [(path, digest, parsed) for path, digest, _error, parsed in read if digest is not None]
    trusted = remembered.unchanged({path: digest for path, digest, _data in read})
    inputs, touched, unchanged = [], set(), 0
    for path, digest, data in read:
        article_keys = trusted.get(path)
        if article_keys is not None and touched.isdisjoint(article_keys):
            unchanged += 1
            continue
        # Bytes read here are decoded and parsed only now (an unchanged file was UTF-8 last time); the
        # reading process sent what they parse to, an input or an error message.
        item = parse_file(path, data, digest) if isinstance(data, bytes) else data
        if isinstance(item, str):
            errors.append(item)
            continue
        inputs.append(item)
        # A later file whose article one of these may write is not trusted: it goes after it, in order.
        touched |= remembered.keys(item.resolved_slug(), item.external_id, item.canonical_url)
    return inputs, unchanged


def read_and_parse(paths: list[str], token: bytes) -> list[tuple]:
    """Per path, in order: (path, hash, read error, input or decode/parse error); hash None when unreadable.

    What ``_changed_inputs`` does for each file, done ahead in the reading process (importing/ahead.py), and
    each input's slug and fingerprint, which planning would work out.
    """
    errors: list[str] = []
    results = []
    for path in paths:
        data = read_bytes(path, errors)
        if data is None:
            results.append((path, None, errors.pop(), None))
            continue
        digest = hashlib.sha256(token + data).hexdigest()
        item = parse_file(path, data, digest)
        if not isinstance(item, str):
            # Worked out here, where a core is spare, and pickled with the input (parsing.ArticleInput): the
            # main process would spend about a tenth of its CPU on them.
            item.resolved_slug()
            item.fingerprint  # noqa: B018 - a cached property: reading it works it out and keeps it
        results.append((path, digest, None, item))
    return results


def parse_file(path: str, data: bytes, digest: str):
    """The input a file's bytes parse to, or the message saying why they do not (not UTF-8, a ParseError)."""
    problems: list[str] = []
    text = decode(path, data, problems)
    if text is None:
        return problems[0]
    try:
        return parse_article_text(text, path, content_hash=digest)
    except ParseError as exc:
        return str(exc)
