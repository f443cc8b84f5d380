"""The checker's cheap per-request paths give the answers the plain ones gave.

Each request takes its host's turn without a coroutine when it can, shares one deadline timer per
task, and the guard's judgement of a host name is cached per name (issue 14: less CPU per
request). These tests pin what must not change: verdicts, the guard, politeness, timeouts.
"""

import asyncio
import dataclasses

import pytest

from attribution.lib.guard import RefusedURL, check_url
from attribution.linkcheck import classify as c
from attribution.linkcheck.checker import check_urls
from attribution.linkcheck.fetch import _DEADLINES, _Deadline
from attribution.linkcheck.hosts import HostGates, HostPaused

# The guard, cached per host name


def test_a_host_allowed_for_an_intranet_run_is_still_refused_by_a_guarded_one(server, loopback_config):
    url = f"http://127.1:{server.port}/story"
    assert check_urls([url], config=loopback_config)[url].outcome == c.OK
    server.requests.clear()

    guarded = dataclasses.replace(loopback_config, allow_private=False)
    for _ in range(2):  # the second time from the cache
        result = check_urls([url], config=guarded)[url]
        assert (result.outcome, result.failure_kind) == (c.INVALID, "private_address")
    assert server.requests == []


@pytest.mark.parametrize(
    ("url", "allow_private", "expected"),
    [
        ("http://127.1/a", True, "http://127.0.0.1/a"),
        ("http://0x7f000001:8080/b", True, "http://127.0.0.1:8080/b"),
        ("https://93.184.215.14/c", False, "https://93.184.215.14/c"),
        ("https://News.Example.org/d#top", False, "https://news.example.org/d"),
    ],
)
def test_a_host_judged_before_is_fetched_under_the_same_spelling(url, allow_private, expected):
    first = check_url(url, allow_private=allow_private)
    again = check_url(url, allow_private=allow_private)
    assert str(first) == str(again) == expected


@pytest.mark.parametrize(
    ("url", "kind"),
    [("http://127.1/a", "private_address"), ("http://10.0.0.8/b", "private_address"), ("http://x.invalid/", "dns")],
)
def test_a_host_refused_before_is_refused_again(url, kind):
    for _ in range(2):
        with pytest.raises(RefusedURL) as refused:
            check_url(url, allow_private=False)
        assert refused.value.kind == kind


# Host turns without a context manager


def test_a_turn_is_taken_at_once_only_when_nothing_needs_waiting_for():
    async def scenario():
        gates = HostGates(concurrency=1, interval=0, max_wait=60)
        held = gates.enter_now("a.example")
        assert held is not None
        assert gates.enter_now("a.example") is None  # the one slot is taken
        gates.leave(held)
        gates.pause("a.example", 0.5)
        assert gates.enter_now("a.example") is None  # paused: ``enter`` waits or refuses
        spaced = HostGates(concurrency=2, interval=30, max_wait=60)
        spaced.leave(spaced.enter_now("b.example"))
        assert spaced.enter_now("b.example") is None  # the interval has not passed

    asyncio.run(scenario())


def test_a_pause_longer_than_a_run_may_wait_is_refused_and_gives_the_slot_back():
    async def scenario():
        gates = HostGates(concurrency=1, interval=0, max_wait=1)
        gates.pause("a.example", 600)
        with pytest.raises(HostPaused):
            await gates.enter("a.example")
        return gates._hosts["a.example"].free

    assert asyncio.run(scenario()) == 1


def test_waiters_get_the_slot_in_turn_and_a_cancelled_one_passes_it_on():
    async def scenario():
        gates = HostGates(concurrency=1, interval=0, max_wait=60)
        order = []

        async def turn(name):
            gate = await gates.enter("a.example")
            order.append(name)
            await asyncio.sleep(0)
            gates.leave(gate)

        first = gates.enter_now("a.example")
        waiters = {name: asyncio.ensure_future(turn(name)) for name in ("b", "c", "d")}
        await asyncio.sleep(0)
        waiters["c"].cancel()
        gates.leave(first)
        await asyncio.gather(*waiters.values(), return_exceptions=True)
        return order, gates._hosts["a.example"].free, waiters["c"].cancelled()

    assert asyncio.run(scenario()) == (["b", "d"], 1, True)


def test_a_waiter_cancelled_just_as_it_is_handed_the_slot_gives_it_back():
    async def scenario():
        gates = HostGates(concurrency=1, interval=0, max_wait=60)
        first = gates.enter_now("a.example")
        waiter = asyncio.ensure_future(gates.enter("a.example"))
        await asyncio.sleep(0)
        gates.leave(first)  # handed to the waiter, which has not run yet
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        return gates.enter_now("a.example") is not None

    assert asyncio.run(scenario()) is True


# One deadline timer per task


def test_a_request_with_a_shorter_deadline_than_the_last_still_times_out():
    async def scenario():
        with _Deadline.start(30):
            await asyncio.sleep(0)
        with pytest.raises(TimeoutError), _Deadline.start(0.05):
            await asyncio.sleep(5)

    asyncio.run(scenario())


def test_a_timer_left_by_an_earlier_request_does_not_cut_the_next_one_short():
    async def scenario():
        with _Deadline.start(0.05):
            pass
        with _Deadline.start(30):
            await asyncio.sleep(0.2)  # the first request's timer fires in here, and moves on
        with pytest.raises(TimeoutError), _Deadline.start(0.05):
            await asyncio.sleep(5)  # and the timer still serves the task's next deadlines

    asyncio.run(scenario())


def test_someone_elses_cancellation_stays_a_cancellation():
    async def scenario():
        async def request():
            with _Deadline.start(30):
                await asyncio.sleep(5)

        task = asyncio.ensure_future(request())
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return task in _DEADLINES

    assert asyncio.run(scenario()) is False  # and the finished task's deadline is forgotten


# Titles: the one-search shortcut says what the full rule says


@pytest.mark.parametrize(
    "title",
    [
        "Story",
        "Page not found | Gazette",
        "404",
        "Error 404 - The page not found",
        "Missing hikers not found after three days",
        "Content no longer available",
        "Sorry, this page doesn't exist",
        "The story you requested could not be found — Herald",
        "PAGE NOT FOUND",
        "The exhibition is available online",
        "",
    ],
)
def test_the_title_shortcut_agrees_with_the_full_rule(title):
    full_rule = any(c._NOT_FOUND_PART.fullmatch(part) for part in c._TITLE_PARTS.split(title.strip()) if part)
    assert c.title_says_not_found(title) is full_rule
