"""Politeness towards each host: a concurrency cap, a minimum gap between requests, and Retry-After pauses."""

import asyncio
import time
from collections import defaultdict


class HostPaused(Exception):
    """The host asked us (Retry-After) to stay away longer than a run may wait. ``until`` is a monotonic time."""

    def __init__(self, until: float):
        super().__init__(f"host paused for {until - time.monotonic():.0f}s")
        self.until = until


class _Host:
    def __init__(self, concurrency: int):
        self.slots = asyncio.Semaphore(concurrency)
        self.next_start = 0.0  # monotonic time the next request may start
        self.paused_until = 0.0


class HostGates:
    """One gate per host name, shared by every check in a run.

    ``request(host)`` waits for a free slot and for the host's interval and
    pause, and raises HostPaused if the pause outlasts ``max_wait`` seconds.
    """

    def __init__(self, *, concurrency: int, interval: float, max_wait: float):
        self.interval = interval
        self.max_wait = max_wait
        self._hosts: dict[str, _Host] = defaultdict(lambda: _Host(concurrency))

    def pause(self, host: str, seconds: float) -> None:
        """Honour Retry-After: no request to ``host`` starts for ``seconds``."""
        gate = self._hosts[host]
        gate.paused_until = max(gate.paused_until, time.monotonic() + seconds)

    def request(self, host: str) -> "_Turn":
        return _Turn(self, self._hosts[host])


class _Turn:
    """``async with gates.request(host)``: one request's turn at a host.

    A plain class rather than @asynccontextmanager: it runs for every request,
    and the generator machinery was a measurable share of the checker's CPU.
    """

    __slots__ = ("gates", "gate")

    def __init__(self, gates: HostGates, gate: _Host):
        self.gates, self.gate = gates, gate

    async def __aenter__(self) -> None:
        gate = self.gate
        await gate.slots.acquire()
        try:
            # No await between reading and booking the next start, so no lock is needed.
            now = time.monotonic()
            if gate.paused_until - now > self.gates.max_wait:
                raise HostPaused(gate.paused_until)
            start = max(now, gate.next_start, gate.paused_until)
            gate.next_start = start + self.gates.interval
            if start > now:
                await asyncio.sleep(start - now)
        except BaseException:
            gate.slots.release()
            raise

    async def __aexit__(self, *exc_info) -> None:
        self.gate.slots.release()
