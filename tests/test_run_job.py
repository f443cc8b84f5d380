"""`manage.py run_job`: operators run a periodic job by its beat name or task name, and see what it did."""

import datetime as dt
import io

import pytest
from django.core.management import call_command, execute_from_command_line
from django.utils import timezone

from takedowns.models import TakedownRequest
from tests.takedowns.factories import TakedownRequestFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("run_job", *args, stdout=out)
    return out.getvalue()


def test_list_names_every_beat_entry_and_its_task(settings):
    listed = run("--list")

    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert f"{name}\t{entry['task']}\t" in listed
    assert "takedowns-retention-purge\ttakedowns.tasks.purge_closed_requests\tevery 86400 s\tPurge" in listed


def test_it_runs_the_purge_by_beat_name_then_by_task_name_and_prints_the_result(settings):
    long_ago = timezone.now() - dt.timedelta(days=settings.TAKEDOWNS_RETENTION_DAYS + 5)
    old = TakedownRequestFactory(status=TakedownRequest.Status.REJECTED, closed_at=long_ago)

    first = run("takedowns-retention-purge")
    again = run("takedowns.tasks.purge_closed_requests")

    assert "takedowns-retention-purge (takedowns.tasks.purge_closed_requests): Purge the personal data" in first
    assert "Result: 1" in first and "Result: 0" in again
    old.refresh_from_db()
    assert old.purged_at is not None and old.requester_email == ""


def test_an_unknown_name_is_a_clear_error_with_exit_code_2(capsys):
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "run_job", "purge-everything"])

    assert exited.value.code == 2
    assert "Unknown job 'purge-everything'. Run `manage.py run_job --list` for the names." in capsys.readouterr().err
