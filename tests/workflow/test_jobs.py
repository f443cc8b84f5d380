"""The periodic jobs under controlled time: 14-day auto-withdraw, overdue digest, retention purge; SLA due dates."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from attribution.models import OutboxEmail
from takedowns.models import Attachment, RequestEvent, TakedownRequest
from takedowns.workflow import jobs, requester
from tests.workflow.helpers import perform

Status = TakedownRequest.Status
pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)


def test_confirmation_sets_the_due_dates(make_request):
    takedown = make_request(status=Status.PENDING_VERIFICATION)

    with time_machine.travel(MONDAY, tick=False):
        requester.confirm_request(takedown)

    takedown.refresh_from_db()
    assert takedown.first_response_due_at == MONDAY + dt.timedelta(days=3)
    assert takedown.decision_due_at == MONDAY + dt.timedelta(days=14)


def test_silence_after_a_question_withdraws_after_14_days(make_request, eddie, on_commit, mailoutbox):
    with time_machine.travel(MONDAY, tick=False):
        takedown = perform("ask_for_information", make_request(status=Status.IN_REVIEW), eddie)

    with time_machine.travel(MONDAY + dt.timedelta(days=13, hours=23), tick=False):
        assert jobs.withdraw_silent_requests() == 0
    with time_machine.travel(MONDAY + dt.timedelta(days=14, hours=1), tick=False), on_commit:
        assert jobs.withdraw_silent_requests() == 1
        assert jobs.withdraw_silent_requests() == 0  # idempotent

    takedown.refresh_from_db()
    assert takedown.status == Status.WITHDRAWN and takedown.closed_at is not None
    event = RequestEvent.objects.filter(request=takedown).latest("id")
    assert (event.actor_label, event.from_status, event.to_status) == ("system", "needs_info", "withdrawn")
    assert "did not hear back" in mailoutbox[-1].body


def test_the_clock_restarts_when_asked_again(make_request, eddie):
    with time_machine.travel(MONDAY, tick=False):
        takedown = perform("ask_for_information", make_request(status=Status.IN_REVIEW), eddie)
    with time_machine.travel(MONDAY + dt.timedelta(days=10), tick=False):
        requester.add_requester_message(TakedownRequest.objects.get(pk=takedown.pk), body="Here you are", files=[])
        perform("ask_for_information", TakedownRequest.objects.get(pk=takedown.pk), eddie)
    with time_machine.travel(MONDAY + dt.timedelta(days=15), tick=False):
        assert jobs.withdraw_silent_requests() == 0
    assert TakedownRequest.objects.get(pk=takedown.pk).status == Status.NEEDS_INFO


def test_the_overdue_digest_goes_to_assignees_and_the_editors(
    make_request, eddie, erin, lena, mailoutbox, django_capture_on_commit_callbacks
):
    # The digest goes through the outbox, sent after commit: each step commits (runs its callbacks) as the beat's would.
    from takedowns.workflow.sla import due_dates

    with time_machine.travel(MONDAY, tick=False):
        mine = make_request(status=Status.IN_REVIEW, assignee=eddie, first_response_at=MONDAY, **due_dates(MONDAY))
        nobodys = make_request(status=Status.SUBMITTED, **due_dates(MONDAY))
        on_time = make_request(status=Status.SUBMITTED, **due_dates(MONDAY + dt.timedelta(days=5)))

    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        assert jobs.send_overdue_digest() == 0
    with (
        time_machine.travel(MONDAY + dt.timedelta(days=4), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert jobs.send_overdue_digest() == 1  # only the unassigned one missed its first response
    editors = tuple(sorted([eddie.email, erin.email]))
    assert tuple(mailoutbox[0].to) == editors
    assert f"#{nobodys.pk} " in mailoutbox[0].body and f"#{on_time.pk} " not in mailoutbox[0].body
    mailoutbox.clear()

    with (
        time_machine.travel(MONDAY + dt.timedelta(days=15), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert jobs.send_overdue_digest() == 2

    by_recipient = {tuple(m.to): m.body for m in mailoutbox}
    assert f"#{mine.pk} " in by_recipient[(eddie.email,)] and f"#{nobodys.pk} " not in by_recipient[(eddie.email,)]
    assert f"#{nobodys.pk} " in by_recipient[editors] and f"#{on_time.pk} " in by_recipient[editors]
    assert lena.email not in {address for m in mailoutbox for address in m.to}
    assert Group.objects.get(name="Editors").user_set.count() == 2


def _closed_with_file(make_request, closed_at):
    takedown = make_request(
        status=Status.REJECTED, closed_at=closed_at, requester_phone="+353 1 555", ip_hash="ab" * 32
    )
    attachment = Attachment(
        request=takedown,
        original_name="proof.txt",
        content_type="text/plain",
        size=5,
        sha256="0" * 64,
        uploaded_by="requester",
    )
    attachment.file.save("proof.txt", ContentFile(b"proof"), save=True)
    OutboxEmail.objects.create(
        topic=f"request:{takedown.pk}", template="x", recipients=[takedown.requester_email], next_attempt_at=closed_at
    )
    RequestEvent.objects.create(request=takedown, kind="note", actor_label="system", note="audit line")
    return takedown, attachment


def test_retention_purges_contact_details_ip_and_files_but_keeps_the_record(make_request, on_commit):
    with time_machine.travel(MONDAY, tick=False):
        old, attachment = _closed_with_file(make_request, MONDAY)
        recent, _kept = _closed_with_file(make_request, MONDAY + dt.timedelta(days=300))
        storage, name = attachment.file.storage, attachment.file.name

    with time_machine.travel(MONDAY + dt.timedelta(days=366), tick=False), on_commit:
        assert jobs.purge_closed_requests() == 1
        assert jobs.purge_closed_requests() == 0

    old.refresh_from_db()
    assert (old.requester_name, old.requester_email, old.requester_phone, old.ip_hash, old.signature) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert old.purged_at is not None and old.status == Status.REJECTED and old.articles.count() == 1
    assert not Attachment.objects.filter(request=old).exists() and not storage.exists(name)
    assert OutboxEmail.objects.get(topic=f"request:{old.pk}").recipients == []
    assert RequestEvent.objects.filter(request=old, note="audit line").exists()
    assert RequestEvent.objects.filter(request=old, kind="purged").exists()
    recent.refresh_from_db()
    assert recent.requester_email and recent.purged_at is None


def test_open_requests_are_never_purged(make_request):
    takedown = make_request(status=Status.IN_REVIEW, closed_at=MONDAY)  # reopened: closed_at is stale

    with time_machine.travel(MONDAY + dt.timedelta(days=800), tick=False):
        assert jobs.purge_closed_requests() == 0
    assert TakedownRequest.objects.get(pk=takedown.pk).requester_email


def test_the_beat_schedule_runs_the_jobs(settings):
    from config.celery import app

    app.loader.import_default_modules()  # what a worker and beat do at start-up
    for name in ("takedowns-withdraw-silent", "takedowns-overdue-digest", "takedowns-retention-purge"):
        assert settings.CELERY_BEAT_SCHEDULE[name]["task"] in app.tasks


def test_the_in_process_runner_of_make_run_knows_every_periodic_task():
    """Without a broker, `manage.py serve` runs the beat schedule itself; each task must be registered by then.

    A fresh interpreter, because this test process has imported the task modules already.
    """
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import django, threading; django.setup()\n"
        "from django.conf import settings\n"
        "from attribution.management.commands import serve\n"
        "from config.celery import app\n"
        "stopped = threading.Event(); stopped.set()\n"
        "serve.run_periodic_jobs_forever(stopped)\n"
        "print(sorted(e['task'] for e in settings.CELERY_BEAT_SCHEDULE.values() if e['task'] not in app.tasks))\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CITEWATCH_VAR_DIR": str(root / "var"),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
