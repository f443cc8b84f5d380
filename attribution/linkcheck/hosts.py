"""Politeness towards each host: a concurrency cap, a minimum gap between requests, and Retry-After pauses."""

import asyncio
import time
from collections import defaultdict, deque


class HostPaused(Exception):
    """The host asked us (Retry-After) to stay away longer than a run may wait. ``until`` is a monotonic time."""

    def __init__(self, until: float):
        super().__init__(f"host paused for {until - time.monotonic():.0f}s")
        self.until = until


class _Host:
    """One host's slots (a counter and a FIFO of waiters, handed a slot in turn) and its timing."""

    __slots__ = ("free", "next_start", "paused_until", "waiters")

    def __init__(self, concurrency: int):
        self.free = concurrency
        self.waiters: deque[asyncio.Future] = deque()
        self.next_start = 0.0  # monotonic time the next request may start
        self.paused_until = 0.0


class HostGates:
    """One gate per host name, shared by every check in a run.

    A request's turn: ``gate = gates.enter_now(host) or await gates.enter(host)``, then
    ``gates.leave(gate)`` when it is done, in a ``finally``. Entering waits for a free slot and
    for the host's interval and pause, and raises HostPaused if the pause outlasts ``max_wait``
    seconds. Not an async context manager: a turn is taken for every request, and the common
    case (a free slot, nothing to wait for) costs no coroutine at all.
    """

    def __init__(self, *, concurrency: int, interval: float, max_wait: float):
        self.interval = interval
        self.max_wait = max_wait
        self._hosts: dict[str, _Host] = defaultdict(lambda: _Host(concurrency))

    def pause(self, host: str, seconds: float) -> None:
        """Honour Retry-After: no request to ``host`` starts for ``seconds``."""
        gate = self._hosts[host]
        gate.paused_until = max(gate.paused_until, time.monotonic() + seconds)

    def enter_now(self, host: str) -> _Host | None:
        """The host's gate with a slot taken, if a request may start at once; else None (use ``enter``)."""
        gate = self._hosts[host]
        if gate.free and not gate.waiters:
            now = time.monotonic()
            if gate.next_start <= now and gate.paused_until <= now:
                gate.free -= 1
                gate.next_start = now + self.interval
                return gate
        return None

    async def enter(self, host: str) -> _Host:
        """Wait for a slot at ``host`` and for its turn (interval, pause); returns its gate, the slot taken."""
        gate = self._hosts[host]
        if gate.free and not gate.waiters:
            gate.free -= 1
        else:
            await self._wait_for_slot(gate)
        try:
            # No await between reading and booking the next start, so no lock is needed.
            now = time.monotonic()
            if gate.paused_until - now > self.max_wait:
                raise HostPaused(gate.paused_until)
            start = max(now, gate.next_start, gate.paused_until)
            gate.next_start = start + self.interval
            if start > now:
                await asyncio.sleep(start - now)
        except BaseException:
            self.leave(gate)
            raise
        return gate

    def leave(self, gate: _Host) -> None:
        """Give the slot back: to the first waiter still waiting, else to the counter."""
        while gate.waiters:
            waiter = gate.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        gate.free += 1

    async def _wait_for_slot(self, gate: _Host) -> None:
        waiter = asyncio.get_running_loop().create_future()
        gate.waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.leave(gate)  # handed a slot just as we were cancelled: pass it on
            elif waiter in gate.waiters:
                gate.waiters.remove(waiter)
            raise
