"""check_links: a bar that moves per URL on a terminal, a plain summary elsewhere, one JSON object for scripts."""

import io
import json
import logging
import sys

import pytest
from django.core.management import call_command

from attribution.management.commands.check_links import Command
from tests.conftest import FakeTerminal
from tests.linkcheck.factories import DueSourceFactory, OkSourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(server, loopback_settings):
    """Five URLs due now on the local server: three working, one missing, one behind a bot wall."""
    paths = ["/story?n=1", "/story?n=2", "/story?n=3", "/missing", "/cloudflare"]
    return [DueSourceFactory(url_as_cited=server.url(path)) for path in paths]


def check(*args, stdout=None, stderr=None):
    stdout, stderr = stdout or io.StringIO(), stderr or io.StringIO()
    call_command("check_links", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_on_a_terminal_the_bar_moves_once_per_url_not_per_batch(due, steps):
    out, bar = check("--all", stderr=FakeTerminal())
    assert steps == [1] * len(due)
    # One line, redrawn in place, left on screen with the final count.
    assert bar.count("\n") == 1 and bar.rstrip().rsplit("\r", 1)[-1].startswith("100%")
    assert "5/5" in bar
    assert "total" in out and "5/5" not in out


def test_the_bar_moves_per_url_across_several_batches(due, steps):
    check("--due", "--batch-size", "2", stderr=FakeTerminal())
    assert steps == [1] * len(due)


def test_the_bar_is_not_painted_as_an_error(due, steps):
    """Run as from a shell, where Django styles stderr as errors when it is a terminal."""
    terminal, out = FakeTerminal(), io.StringIO()
    command = Command(stdout=out, stderr=terminal, force_color=True)
    call_command(command, "--all")
    assert steps == [1] * len(due)
    assert "5/5" in terminal.getvalue() and "\x1b[" not in terminal.getvalue()


def test_log_lines_are_printed_above_the_bar_not_across_it(due, steps, monkeypatch, caplog):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)  # the console log handler and the bar share the terminal
    handler = logging.StreamHandler(terminal)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    caplog.set_level(logging.INFO)
    logging.getLogger().addHandler(handler)
    try:
        check("--all", "--batch-size", "2", stderr=terminal)
    finally:
        logging.getLogger().removeHandler(handler)
    # What a terminal shows on each line: the text after the last carriage return.
    shown = [line.rsplit("\r", 1)[-1] for line in terminal.getvalue().split("\n")]
    batches = [line for line in shown if "link batch" in line]
    assert len(batches) == 3  # 2 + 2 + 1 URLs
    assert all(line.startswith("INFO link batch") for line in batches)
    assert shown[-2].startswith("100%") and "5/5" in shown[-2]


def test_when_the_output_is_not_a_terminal_only_a_plain_summary_is_printed(due, steps):
    out, err = check("--all")
    assert err == ""
    assert "\r" not in out and "\x1b" not in out
    lines = out.splitlines()
    assert lines[0].split() == ["status", "failure", "kind", "URLs"]
    assert "ok           -                          3" in lines
    assert "failing      http_4xx                   1" in lines
    assert "blocked      bot_wall                   1" in lines
    assert lines[-1].split() == ["total", "5"]


def test_json_gives_counts_by_status_and_the_failures(due, server):
    out, err = check("--all", "--json", stderr=FakeTerminal())
    report = json.loads(out)
    assert (report["checked"], report["skipped"]) == (5, 0)
    assert report["statuses"] == {"ok": 3, "failing": 1, "blocked": 1}
    assert report["failure_kinds"] == {"http_4xx": 1, "bot_wall": 1}
    (failure,) = report["failures"]
    assert (failure["url"], failure["status"], failure["http_status"], failure["failure_kind"]) == (
        server.url("/missing"),
        "failing",
        404,
        "http_4xx",
    )
    assert failure["source_id"] == due[3].pk
    assert "5/5" in err  # the bar stays on stderr, out of the way of the JSON


def test_urls_a_worker_is_checking_are_skipped_and_counted(due, steps):
    leased = OkSourceFactory(url_as_cited="https://news.example/leased", lease_token="x")
    leased.lease_expires_at = leased.next_check_at
    leased.save()
    out, _ = check("--all", stderr=FakeTerminal())
    assert steps == [1] * len(due) + [1]  # the skipped URL moves the bar too, so it ends at 6/6
    assert out.splitlines()[-2].split() == ["total", "5"]
    assert out.splitlines()[-1].startswith("1 skipped")
    report = json.loads(check("--all", "--json")[0])
    assert (report["checked"], report["skipped"]) == (5, 1)


def test_named_urls_get_a_bar_and_a_row_each(due, server, steps):
    stored, fresh = due[0].url, server.url("/gone")
    out, bar = check(stored, fresh, stderr=FakeTerminal())
    assert steps == [1, 1] and "2/2" in bar
    rows = [line.split() for line in out.splitlines()[1:]]
    assert rows == [["ok", "200", "-", stored], ["failing", "410", "http_4xx", fresh]]


def test_named_urls_as_json(due, server):
    stored, fresh = due[3].url, server.url("/story?n=9")
    report = json.loads(check("--json", stored, fresh)[0])
    assert (report["checked"], report["statuses"]) == (2, {"failing": 1, "ok": 1})
    assert [(r["url"], r["source_id"], r["status"]) for r in report["results"]] == [
        (stored, due[3].pk, "failing"),
        (fresh, None, "ok"),
    ]
    assert [f["url"] for f in report["failures"]] == [stored]


def test_a_batch_size_below_one_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("check_links", "--all", "--batch-size", "0")
