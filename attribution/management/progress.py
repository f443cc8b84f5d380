"""Progress for long management commands: a tqdm bar on a terminal, nothing anywhere else.

The bar goes to stderr, so stdout keeps only the summary (or the ``--json``
object) for scripts. It writes to the raw stream beneath Django's
OutputWrapper: the wrapper would end every frame with a newline and paint it
in the error style, and a bar is not an error. While it is up, log records
are printed through ``tqdm.write``, on lines of their own above the bar
instead of across it.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm


def raw_stream(stream):
    """The file an OutputWrapper writes to (the stream itself when it is not wrapped)."""
    return getattr(stream, "_out", stream)


def is_terminal(stream) -> bool:
    isatty = getattr(raw_stream(stream), "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def progress_bar(stderr, *, total: int, unit: str, show: bool = True) -> Iterator[tqdm]:
    """A bar counting to ``total`` on ``stderr`` if it is a terminal; else one that draws nothing.

    Either way the caller just calls ``update``: no control codes reach a
    file or a pipe, whose reader gets the plain summary at the end.
    """
    stream = raw_stream(stderr)
    if not (show and is_terminal(stream)):
        with tqdm(total=total, disable=True) as bar:
            yield bar
        return
    # Left on screen when done (leave=True): the last frame says how many and how long.
    with logging_redirect_tqdm(), tqdm(total=total, unit=unit, file=stream, leave=True) as bar:
        yield bar


def write_json(stdout, data: dict) -> None:
    """One JSON object on one line, for scripts (``--json``)."""
    stdout.write(json.dumps(data, ensure_ascii=False, sort_keys=True))
