"""Checking a batch on one thread while the caller records its results, chunk by chunk, as they come in.

The checker is asyncio and never touches the database; recording is the ORM
and belongs on the caller's thread, which owns the connection (and, in tests,
the transaction). So the checker's event loop runs on a thread of its own and
hands each result over a queue, and the caller records a chunk whenever one
is full. Recording then overlaps the network wait instead of following it:
only the last chunk is written after the last check.
"""

import queue
import sys
import threading
import time
from collections.abc import Iterator

from attribution.linkcheck.checker import CheckResult, check_urls

_DONE = object()
# The GIL switch interval while a batch is checked and recorded at once (Python's default is 5 ms);
# bench/README.md ("End to end and scale-out") has the measurements that chose it.
SWITCH_INTERVAL_SECONDS = 0.0005


class _Abandoned(Exception):
    """Raised inside the checker when the caller stopped reading (its recording failed): stop checking."""


def check_in_chunks(
    urls: dict[int, str], *, chunk_size: int, max_wait: float, **checker_options
) -> Iterator[dict[int, CheckResult]]:
    """Check ``urls`` (id → URL) and yield ``{id: result}`` chunks in the order the checks finish.

    A chunk is yielded when it holds ``chunk_size`` results, or when its oldest
    result has waited ``max_wait`` seconds (so a few slow pages do not hold
    finished ones back). Every id is yielded exactly once. A checker error is
    raised here; closing the generator early stops the checks at the next result.
    An ``on_done(url, result)`` among the checker options is called on the caller's thread.
    """
    report = checker_options.pop("on_done", None)
    ids_by_url: dict[str, list[int]] = {}
    for pk, url in urls.items():
        ids_by_url.setdefault(url, []).append(pk)
    handover: queue.SimpleQueue = queue.SimpleQueue()
    abandoned = threading.Event()
    outcome: dict = {}

    def on_done(url: str, result: CheckResult) -> None:
        if abandoned.is_set():
            raise _Abandoned
        handover.put((url, result))

    def run() -> None:
        try:
            outcome["results"] = check_urls(list(ids_by_url), on_done=on_done, **checker_options)
        except BaseException as error:  # handed to the caller's thread, which raises it
            outcome["error"] = error
        finally:
            handover.put(_DONE)

    thread = threading.Thread(target=run, daemon=True, name="linkcheck-checks")
    # Two busy threads share the GIL: the recorder comes back from each database round trip wanting it,
    # and by default waits up to 5 ms for the event loop to yield it (and the loop as long in turn), so
    # each slowed the other more than the work itself. A shorter interval while both run keeps the waits short.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    thread.start()
    yielded: set[int] = set()
    try:
        for chunk in _chunks(handover, ids_by_url, chunk_size=chunk_size, max_wait=max_wait, report=report):
            yielded.update(chunk)
            yield chunk
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        # Anything the callback did not report (it reports each distinct URL once) comes from the full results.
        rest = {pk: outcome["results"][url] for pk, url in urls.items() if pk not in yielded}
        if rest:
            yield rest
    finally:
        abandoned.set()
        sys.setswitchinterval(switch_interval)


def _chunks(handover: queue.SimpleQueue, ids_by_url: dict[str, list[int]], *, chunk_size, max_wait, report):
    pending: dict[int, CheckResult] = {}
    oldest = 0.0
    while True:
        timeout = max(0.0, oldest + max_wait - time.monotonic()) if pending else None
        try:
            item = handover.get(timeout=timeout)
        except queue.Empty:
            item = None  # the oldest pending result has waited long enough
        if item is _DONE:
            break
        if item is not None:
            url, result = item
            if report:
                report(url, result)
            if not pending:
                oldest = time.monotonic()
            for pk in ids_by_url.get(url, ()):
                pending[pk] = result
        if pending and (item is None or len(pending) >= chunk_size):
            yield pending
            pending = {}
    if pending:
        yield pending
