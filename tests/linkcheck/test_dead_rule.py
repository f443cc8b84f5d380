"""How results move a SourceURL: the dead rule over controlled time, resets, blocked, overrides."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from attribution.linkcheck import classify as c
from attribution.linkcheck.checker import CheckResult
from attribution.linkcheck.services import record_check_results, set_override
from attribution.models import LinkCheck, SourceURL
from tests.linkcheck.factories import DueSourceFactory

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


def record(source, outcome, *, kind="", status=None, when=None):
    result = CheckResult(source.url, outcome, http_status=status, failure_kind=kind)
    with time_machine.travel(when or timezone.now(), tick=False):
        record_check_results({source.pk: result}, token=None)
    source.refresh_from_db()
    return source


def not_found(source, when):
    return record(source, c.HARD_FAILURE, kind="http_4xx", status=404, when=when)


def test_one_404_is_failing_not_dead():
    source = not_found(DueSourceFactory(), START)
    assert (source.status, source.failure_kind, source.http_status) == ("failing", "http_4xx", 404)
    assert source.first_failure_at == START


def test_three_hard_failures_within_72_hours_are_not_yet_dead():
    source = DueSourceFactory()
    for hours in (0, 24, 48):
        not_found(source, START + dt.timedelta(hours=hours))
    assert source.status == "failing"
    assert source.hard_failures == 3


def test_three_hard_failures_spanning_72_hours_make_a_link_dead():
    source = DueSourceFactory()
    for hours in (0, 36, 72):
        not_found(source, START + dt.timedelta(hours=hours))
    assert source.status == "dead"
    assert source.became_dead_at == START + dt.timedelta(hours=72)


def test_two_failures_over_a_week_are_not_dead_either():
    source = DueSourceFactory()
    for days in (0, 7):
        not_found(source, START + dt.timedelta(days=days))
    assert source.status == "failing"


def test_both_numbers_come_from_settings(settings):
    settings.LINKCHECK_DEAD_AFTER_FAILURES = 2
    settings.LINKCHECK_DEAD_AFTER_HOURS = 1
    source = DueSourceFactory()
    not_found(source, START)
    not_found(source, START + dt.timedelta(hours=1))
    assert source.status == "dead"


def test_a_success_resets_the_count():
    source = DueSourceFactory()
    not_found(source, START)
    not_found(source, START + dt.timedelta(hours=36))
    record(source, c.OK, status=200, when=START + dt.timedelta(hours=48))
    assert (source.status, source.hard_failures, source.first_failure_at) == ("ok", 0, None)
    not_found(source, START + dt.timedelta(hours=80))
    assert source.status == "failing"


@pytest.mark.parametrize(("outcome", "kind"), [(c.SOFT_FAILURE, "http_5xx"), (c.SOFT_FAILURE, "timeout")])
def test_outages_never_make_a_link_dead(outcome, kind):
    source = DueSourceFactory()
    for day in range(10):
        record(source, outcome, kind=kind, when=START + dt.timedelta(days=day))
    assert source.status == "failing"
    assert source.consecutive_failures == 10
    assert source.first_failure_at == START  # "failing since" shows how long


def test_a_429_is_failing_and_a_persistent_one_is_blocked_never_dead():
    source = DueSourceFactory()
    record(source, c.RATE_LIMITED, kind="rate_limited", status=429, when=START)
    assert source.status == "failing"
    for day in range(1, 6):
        record(source, c.RATE_LIMITED, kind="rate_limited", status=429, when=START + dt.timedelta(days=day))
    assert source.status == "blocked"


def test_a_dead_link_comes_back_on_success():
    source = DueSourceFactory()
    for hours in (0, 36, 72):
        not_found(source, START + dt.timedelta(hours=hours))
    record(source, c.OK, status=200, when=START + dt.timedelta(days=30))
    assert source.status == "ok"


def test_the_next_check_follows_the_cadence(settings):
    settings.LINKCHECK_JITTER_PERCENT = 0
    source = record(DueSourceFactory(), c.OK, status=200, when=START)
    assert source.next_check_at == START + dt.timedelta(days=7)
    source = not_found(source, START)
    assert source.next_check_at == START + dt.timedelta(hours=24)


def test_every_check_leaves_one_history_row():
    source = DueSourceFactory()
    not_found(source, START)
    record(source, c.OK, status=200, when=START + dt.timedelta(days=1))
    assert list(LinkCheck.objects.filter(source_url=source).values_list("status", "http_status")) == [
        ("ok", 200),
        ("failing", 404),
    ]


def test_verified_ok_holds_until_the_result_changes(editor):
    source = not_found(DueSourceFactory(), START)
    set_override(source, "verified_ok", actor=editor)
    assert source.shown_status == "ok" and source.override_by == editor
    not_found(source, START + dt.timedelta(days=1))
    assert source.override == "verified_ok"
    record(source, c.SOFT_FAILURE, kind="timeout", when=START + dt.timedelta(days=2))
    assert source.override == "verified_ok"  # still "failing": same result
    record(source, c.OK, status=200, when=START + dt.timedelta(days=3))
    assert source.override == ""


def test_an_ignored_link_is_not_marked_for_readers(editor):
    source = not_found(DueSourceFactory(), START)
    assert source.is_broken_for_readers
    set_override(source, SourceURL.Override.IGNORE, actor=editor)
    assert not source.is_broken_for_readers
