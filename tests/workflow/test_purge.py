"""The retention purge leaves nothing personal: after a full request's life, the whole database is searched.

Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://…): the search reads
every text, char and JSON column of every table the database has, models or not.
"""

import datetime as dt
import html
import re
import smtplib

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

from attribution.models import OutboxEmail
from takedowns.models import Attachment, ReplyTemplate, RequestEvent, TakedownRequest
from takedowns.workflow import jobs
from tests.takedowns.factories import copyright_data

pytestmark = pytest.mark.django_db
Status = TakedownRequest.Status
START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
NAME = "Quentin Quibblesworth"
EMAIL = "q.quibblesworth@privatemail.example"
PHONE = "+44 20 7946 0958"
# Field types (as introspection names them) whose values are text.
TEXT_TYPES = {"CharField", "TextField", "JSONField", "SlugField", "EmailField", "GenericIPAddressField", "URLField"}


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """After-commit callbacks (mail, file deletion) run at the end of each block, as a real commit would run them."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the recipient, as SMTP does: the error names the address."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({address: (550, b"mailbox unavailable") for address in messages[0].to})


def text_columns():
    """(table, column) for every text-like column of every table in the database."""
    introspection = connection.introspection
    with connection.cursor() as cursor:
        tables = introspection.table_names(cursor)
        columns = []
        for table in tables:
            for column in introspection.get_table_description(cursor, table):
                if introspection.get_field_type(column.type_code, column) in TEXT_TYPES:
                    columns.append((table, column.name))
    # Every model's table (many-to-many tables included) is among those searched.
    assert {model._meta.db_table for model in apps.get_models(include_auto_created=True)} <= set(tables)
    return columns


def hits(needle: str) -> list[str]:
    """``table.column`` of every value in the database containing ``needle``, case-insensitively."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in text_columns():
            sql = f"SELECT COUNT(*) FROM {quote(table)} WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s"
            cursor.execute(sql, [f"%{needle.lower()}%"])
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def personal(takedown_ip_hash: str) -> dict[str, list[str]]:
    needles = [NAME, "Quibblesworth", EMAIL, PHONE, "7946 0958", "79460958", "Quibble Lane", takedown_ip_hash]
    return {needle: hits(needle) for needle in needles if hits(needle)}


def admin_post(client, takedown, what, data):
    return client.post(f"/admin/takedowns/takedownrequest/{takedown.pk}/{what}/", data, follow=True)


def _file(name):
    return SimpleUploadedFile(name, b"Licence granted to nobody.\n", content_type="text/plain")


def _submit_and_confirm(client, article, on_commit):
    data = copyright_data(
        article,
        requester_name=NAME,
        requester_email=EMAIL,
        requester_phone=PHONE,
        requester_postal_address="12 Quibble Lane\nLondon",
        signature=NAME,
        details=f"I am {NAME} and took the photos. Call {PHONE}.",
        attachments=[_file("quibblesworth-licence.txt")],
    )
    with on_commit():
        assert client.post("/requests/new/", data).status_code == 302
    takedown = TakedownRequest.objects.get(requester_email=EMAIL)
    with on_commit():
        client.post(f"/requests/confirm/{takedown.confirmation_token}/")
    return takedown


def _requester_writes(client, takedown, body, on_commit, **files):
    with on_commit():
        response = client.post(f"/requests/{takedown.token}/messages/", {"body": body, **files})
    assert response.status_code == 302


def _staff_handle(client, lena, takedown, on_commit):
    """Lena replies with a template filled with the name, asks, accepts and applies a correction, from the admin."""
    ReplyTemplate.objects.create(name="Greeting", body="Hello {requester_name}, thank you for writing about {article}.")
    client.force_login(lena)
    page = client.get(f"/admin/takedowns/takedownrequest/{takedown.pk}/change/").content.decode()
    greeting = html.unescape(re.search(r"Hello [^<]*thank you for writing[^<]*", page).group(0))
    assert greeting.startswith(f"Hello {NAME},")
    with on_commit():
        admin_post(client, takedown, "reply", {"body": greeting})
        admin_post(client, takedown, "transition", {"action": "take", "internal_note": f"{NAME} rang from {PHONE}"})
        question = f"Dear Quentin, is {EMAIL} the address for the licence?"
        admin_post(client, takedown, "transition", {"action": "ask_for_information", "note": question})
    _requester_writes(client, takedown, f"Yes, {EMAIL}. Regards, Q. Quibblesworth", on_commit)
    apply = {
        "action": "apply",
        "outcome": "text_corrected",
        "body": "The cranes came back on Monday. Photo removed.",
        "correction_note": f"Photo removed at the request of {NAME}.",
        "internal_note": f"Mr Quibblesworth ({EMAIL}) is satisfied.",
    }
    with on_commit():
        admin_post(client, takedown, "transition", {"action": "accept", "note": f"Accepted, {NAME}."})
        admin_post(client, takedown, "transition", apply)


def _refused_mail(settings, takedown):
    """The last email to the requester bounced: its outbox row keeps the SMTP error, which names the address."""
    from attribution import outbox

    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    row = outbox.queue_email(topic=f"request:{takedown.pk}", template="digest", recipients=[EMAIL], context={})
    outbox.deliver(row.pk)
    assert EMAIL in OutboxEmail.objects.get(pk=row.pk).last_error


def test_after_the_purge_no_trace_of_the_requester_remains_anywhere(client, article, lena, on_commit, settings):
    with time_machine.travel(START, tick=False):
        takedown = _submit_and_confirm(client, article, on_commit)
        _requester_writes(client, takedown, f"My number again: {PHONE}. {NAME}", on_commit, attachments=_file("id.txt"))
        _staff_handle(client, lena, takedown, on_commit)
        _refused_mail(settings, takedown)
    takedown.refresh_from_db()
    assert takedown.status == Status.ACTIONED and Attachment.objects.filter(request=takedown).count() == 2
    files = [a.file.name for a in Attachment.objects.filter(request=takedown)]
    before = personal(takedown.ip_hash)
    # The search sees the requester all over the record before the purge.
    assert {"takedowns_message.body", "takedowns_requestevent.note", "attribution_outboxemail.recipients"} <= set(
        before[NAME] + before[EMAIL]
    )
    assert (
        "attribution_correctionnote.text" in before[NAME]
        and "takedowns_takedownrequest.ip_hash" in before[takedown.ip_hash]
    )

    with time_machine.travel(START + dt.timedelta(days=settings.TAKEDOWNS_RETENTION_DAYS + 1), tick=False), on_commit():
        assert jobs.purge_closed_requests() == 1

    assert personal(takedown.ip_hash) == {}
    storage = Attachment._meta.get_field("file").storage
    assert not any(storage.exists(name) for name in files)


def test_the_purged_record_keeps_its_facts_and_staff_and_the_status_page_shows_nothing_personal(
    client, article, lena, on_commit, settings
):
    with time_machine.travel(START, tick=False):
        takedown = _submit_and_confirm(client, article, on_commit)
        _staff_handle(client, lena, takedown, on_commit)
    with time_machine.travel(START + dt.timedelta(days=400), tick=False), on_commit():
        jobs.purge_closed_requests()
    client.logout()

    takedown.refresh_from_db()
    assert (takedown.request_type, takedown.remedy, takedown.status, takedown.outcome) == (
        "copyright",
        "remove_article",
        Status.ACTIONED,
        "text_corrected",
    )
    assert takedown.organisation == "Harbour Gazette"  # a rights holder's outlet is not personal data
    assert takedown.submitted_at and takedown.decided_at and takedown.closed_at and takedown.purged_at
    assert RequestEvent.objects.filter(request=takedown, actor=lena, kind="status_changed").count() == 4
    assert "[removed], thank you" in takedown.messages.get(direction="to_requester").body
    page = client.get(f"/requests/{takedown.token}/").content.decode()
    assert "Personal data purged" in page and "Copyright" in page
    for needle in (NAME, "Quibblesworth", "Quentin", EMAIL, PHONE):
        assert needle not in page
