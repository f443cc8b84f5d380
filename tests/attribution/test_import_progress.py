"""import_articles: a bar that stays on a terminal, one plain summary line elsewhere, one JSON object for scripts."""

import dataclasses
import io
import json

import pytest
from django.core.management import CommandError, call_command

from attribution.management.commands.import_articles import Command
from attribution.parsing import parse_article_text
from attribution.services import save_article
from tests.conftest import FakeTerminal

pytestmark = pytest.mark.django_db

SUMMARY = "Import finished: 3 created, 0 updated, 0 unchanged, 0 skipped (removed), 0 failed, 0 held for an editor"


def write(directory, name, headline, body="Rain all week."):
    path = directory / name
    path.write_text(
        f"date 2026-05-01\n{headline}\n{body}\nSources 1/ https://wire.example/{name}\n"
        "The mention sources can contact us.\n"
    )
    return path


@pytest.fixture
def three(tmp_path):
    for n, headline in enumerate(["Flood warning issued", "Bridge reopens", "Harbour cranes inspected"]):
        write(tmp_path, f"{n}.txt", headline)
    return tmp_path


def run(*args, stdout=None, stderr=None):
    stdout, stderr = stdout or io.StringIO(), stderr or io.StringIO()
    call_command("import_articles", *map(str, args), stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_on_a_terminal_the_bar_counts_the_articles_and_stays(three, steps):
    out, bar = run(three, "--batch-size", "1", stderr=FakeTerminal())
    assert steps == [1, 1, 1]
    # Redrawn in place on one line, and not wiped at the end: the last frame says 3 of 3.
    assert bar.count("\n") == 1
    assert bar.rstrip("\n").rsplit("\r", 1)[-1].startswith("100%") and "3/3" in bar
    assert out.splitlines()[-1].startswith(SUMMARY)


def test_the_bar_is_not_painted_as_an_error(three, steps):
    """Run as from a shell, where Django styles stderr as errors when it is a terminal."""
    terminal = FakeTerminal()
    call_command(Command(stdout=io.StringIO(), stderr=terminal, force_color=True), str(three))
    assert "3/3" in terminal.getvalue() and "\x1b[" not in terminal.getvalue()


def test_when_the_output_is_not_a_terminal_there_is_one_plain_line(three, steps):
    out, err = run(three)
    assert err == ""
    assert out.splitlines() == [SUMMARY + " (import conflicts)"]
    assert steps == [3]  # the (invisible) bar was still told: one batch of three


def test_a_failure_still_ends_with_the_summary_and_exits_non_zero(three, steps):
    (three / "bad.txt").write_text("no date line here\n")
    terminal = FakeTerminal()
    with pytest.raises(CommandError, match="3 created, 0 updated, 0 unchanged, 0 skipped .removed., 1 failed"):
        run(three, stderr=terminal)
    assert sorted(steps) == [1, 3] and "4/4" in terminal.getvalue()  # the bad file moves the bar too
    assert "error: " in terminal.getvalue() and "bad.txt" in terminal.getvalue()


def test_json_has_every_count_including_versions_held_for_an_editor(tmp_path):
    write(tmp_path, "a.txt", "Flood warning issued")
    edited = write(tmp_path, "b.txt", "Bridge reopens")
    write(tmp_path, "c.txt", "Harbour cranes inspected")
    run(tmp_path)
    # The request workflow corrects one article; a different version of it from the CMS is then held.
    workflow_version = parse_article_text(edited.read_text(), str(edited))
    save_article(dataclasses.replace(workflow_version, body="Corrected by the desk."), by_workflow=True)
    write(tmp_path, "b.txt", "Bridge reopens", body="A third version.")
    write(tmp_path, "a.txt", "Flood warning issued", body="Rain all month.")
    write(tmp_path, "d.txt", "Library extends its hours")
    (tmp_path / "e.txt").write_text("not an article\n")
    out = io.StringIO()
    with pytest.raises(CommandError):
        run(tmp_path, "--json", stdout=out)
    report = json.loads(out.getvalue())
    counts = {k: report[k] for k in ("created", "updated", "unchanged", "skipped", "held", "failed", "total")}
    assert counts == {"created": 1, "updated": 1, "unchanged": 1, "skipped": 0, "held": 1, "failed": 1, "total": 5}
    (error,) = report["errors"]
    assert "e.txt" in error
    assert any("held" in note for note in report["notes"])


def test_json_alone_on_stdout_when_all_goes_well(three):
    out, err = run(three, "--json")
    assert len(out.splitlines()) == 1 and err == ""
    report = json.loads(out)
    assert (report["created"], report["failed"], report["errors"]) == (3, 0, [])


def test_a_batch_size_below_one_is_refused(three):
    with pytest.raises(CommandError, match="at least 1"):
        run(three, "--batch-size", "0")
