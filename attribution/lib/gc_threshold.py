"""Fewer cyclic garbage collections while a bulk job makes and drops many objects (link checks, a large import).

At Python's default young threshold (700 allocations) a collection runs every
few hundred objects, and the older generations it sets off walk every object
the process holds: Django's own and the job's. The link checker spent 10-12 %
of its CPU there and a 100,000-file import about 13 % (bench/README.md). The
threshold is raised for the job and restored after; what waits longer to be
collected is a few thousand short-lived objects, since reference counting
still frees everything that is not in a cycle at once.
"""

import gc
import threading
from contextlib import ContextDecorator

YOUNG_THRESHOLD = 10_000


class FewerCollections(ContextDecorator):
    """``with FewerCollections():`` (or ``@FewerCollections()``) raises the young threshold for a job.

    A process that already set a higher threshold keeps it. The state is shared
    by every job in the process (the threshold is), so of overlapping jobs, on
    one thread or several, only the last one to end restores the original.
    """

    _lock = threading.Lock()
    _runs = 0
    _saved: tuple = ()

    def __enter__(self) -> None:
        cls = type(self)
        with cls._lock:
            if cls._runs == 0:
                cls._saved = gc.get_threshold()
                gc.set_threshold(max(cls._saved[0], YOUNG_THRESHOLD), *cls._saved[1:])
            cls._runs += 1

    def __exit__(self, *exc_info) -> None:
        cls = type(self)
        with cls._lock:
            cls._runs -= 1
            if cls._runs == 0:
                gc.set_threshold(*cls._saved)
