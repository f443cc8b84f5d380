"""Reading and parsing the next chunk of files in a second process while this one writes the current chunk.

A first import of many files is CPU-bound in one process: reading, hashing
and parsing a file is about a fifth of its cost, and the database writes of
the chunk before it could run meanwhile. ``Ahead`` hands the next chunk's
paths to one forked worker, which returns per file what the import would have
worked out itself: the hash, and the parsed input or what went wrong, as
messages in the same words. Nothing else crosses: the worker never touches
the database (a forked child leaves through ``os._exit``, so the parent's
connection is not closed under it).

Only a guess is made ahead: the chunk is hashed with the moves state the
chunk before was read with, and parsed whether or not it will turn out
unchanged. The import checks the state again and uses none of it when it
moved (``take``); it asks for the next chunk only while chunks need parsing
(a re-import of unchanged files reads them itself, parsing nothing). A worker
that dies or fails leaves the import to carry on in one process.
"""

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

logger = logging.getLogger(__name__)

# Fewer files than this are imported in one process: forking and handing chunks over would cost about what
# they save (3,000 files gained nothing, 5,000 a little: bench/README.md, "Import speed").
MIN_FILES = 5000


class Ahead:
    """One worker process running ``read(paths, token)`` for the next chunk (``files.read_and_parse``)."""

    def __init__(self, read):
        self._read = read
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        self._pending = None  # (paths, token, future)

    @classmethod
    def for_import(cls, paths: list[str], read) -> "Ahead | None":
        """An ``Ahead``, or None where the import or the machine is too small for a second process to pay."""
        if len(paths) < MIN_FILES or (os.cpu_count() or 1) < 2:
            return None
        if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
            return None  # a daemonic process (a pool worker) may not start children
        return cls(read)

    def submit(self, paths: list[str], token: bytes) -> None:
        try:
            self._pending = (paths, token, self._pool.submit(self._read, paths, token))
        except Exception:  # BrokenProcessPool, no process to be had (OSError): this one reads, as for a small import
            logger.warning("the import's reading process cannot start; reading in this one", exc_info=True)
            self._pending = None

    def take(self, paths: list[str], token: bytes) -> list[tuple] | None:
        """The worker's results for ``paths`` if it read exactly them with ``token``, else None (read them here)."""
        pending, self._pending = self._pending, None
        if pending is None:
            return None
        ahead_paths, ahead_token, future = pending
        if ahead_paths != paths or ahead_token != token:
            future.cancel()
            return None
        try:
            return future.result()
        except Exception:  # a dead worker (BrokenProcessPool), or an error the chunk read here raises again
            logger.warning("the import's reading process failed; reading this chunk in this one", exc_info=True)
            return None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
