"""Files in S3-compatible object storage: request attachments and snapshot WARCs, against moto's server on 127.0.0.1."""

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.storage import storages as storages_handler
from django.core.files.uploadedfile import SimpleUploadedFile
from warcio.archiveiterator import ArchiveIterator

from attribution.snapshots.capture import Page
from attribution.snapshots.extract import Extracted
from attribution.snapshots.models import SourceSnapshot
from attribution.snapshots.services import store_snapshot
from config.object_storage import PrivateS3Storage
from takedowns.models import Attachment, TakedownRequest
from takedowns.workflow import jobs
from takedowns.workflow.requester import withdraw_request
from tests.attribution.factories import SourceURLFactory

# The *_fixture names register the fixtures s3, s3_server, article and submit in this module.
from tests.snapshots.s3_standin import (  # noqa: F401
    article_fixture,
    keys,
    s3_fixture,
    s3_server_fixture,
    storages_from_env,
    submit_fixture,
)
from tests.takedowns.factories import form_data

pytestmark = pytest.mark.django_db
LETTER = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


@pytest.fixture
def legal_reviewer(django_user_model):
    reviewer = django_user_model.objects.create_user("lena-legal", password="pw-lena-1", is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="view_attachment"))
    return reviewer


def submit_with_letter(submit, article) -> Attachment:
    response = submit(
        {**form_data(article), "attachments": [SimpleUploadedFile("letter.pdf", LETTER, "application/pdf")]}
    )
    assert response.status_code == 302
    return Attachment.objects.get()


def test_without_a_bucket_files_stay_on_local_disk(monkeypatch):
    storages = storages_from_env(monkeypatch, {})
    assert (
        storages["default"]["BACKEND"]
        == storages["snapshots"]["BACKEND"]
        == ("django.core.files.storage.FileSystemStorage")
    )
    assert isinstance(storages_handler["default"], FileSystemStorage)
    assert isinstance(SourceSnapshot._meta.get_field("warc").storage, FileSystemStorage)


def test_a_bucket_setting_moves_both_entries_to_private_object_storage(monkeypatch):
    storages = storages_from_env(
        monkeypatch, {"STORAGE_S3_BUCKET": "newsroom-files", "STORAGE_S3_SNAPSHOTS_BUCKET": "newsroom-archive"}
    )
    attachments, snapshots = storages["default"], storages["snapshots"]
    assert attachments["BACKEND"] == snapshots["BACKEND"] == "config.object_storage.PrivateS3Storage"
    assert attachments["OPTIONS"]["bucket_name"] == "newsroom-files"
    assert snapshots["OPTIONS"]["bucket_name"] == "newsroom-archive"
    # Staticfiles are untouched: whitenoise serves them from the web machine as before.
    assert "staticfiles" in storages and storages["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")


def test_a_misspelt_addressing_style_stops_start_up_naming_the_variable(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="STORAGE_S3_ADDRESSING_STYLE"):
        storages_from_env(monkeypatch, {"STORAGE_S3_BUCKET": "b-files", "STORAGE_S3_ADDRESSING_STYLE": "pathh"})


def test_an_uploaded_attachment_is_stored_privately_in_the_bucket_and_staff_download_it(
    s3, client, submit, article, legal_reviewer
):
    attachment = submit_with_letter(submit, article)

    stored = keys(s3)
    key = f"newsroom/{attachment.file.name}"
    assert stored == {key: LETTER}
    # Private: no grant to everyone or to any signed-in AWS user.
    grants = s3.get_object_acl(Bucket=s3.bucket, Key=key)["Grants"]
    assert not [g for g in grants if "URI" in g.get("Grantee", {})]
    client.force_login(legal_reviewer)
    response = client.get(f"/requests/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert b"".join(response.streaming_content) == LETTER


def test_the_requester_sees_the_file_named_and_outsiders_cannot_download_it(s3, client, submit, article, outsider):
    attachment = submit_with_letter(submit, article)
    takedown = TakedownRequest.objects.get()

    status_page = client.get(takedown.get_absolute_url()).content.decode()
    assert "letter.pdf" in status_page
    # Never a link to the bucket, signed or not.
    assert s3.bucket not in status_page and "X-Amz-Signature" not in status_page
    client.force_login(outsider)
    assert client.get(f"/requests/attachments/{attachment.pk}/").status_code == 403


def test_a_missing_object_is_a_404_not_a_500(s3, client, submit, article, legal_reviewer):
    attachment = submit_with_letter(submit, article)
    s3.delete_object(Bucket=s3.bucket, Key=f"newsroom/{attachment.file.name}")

    client.force_login(legal_reviewer)
    assert client.get(f"/requests/attachments/{attachment.pk}/").status_code == 404


def test_object_storage_never_hands_out_a_url(s3, submit, article):
    attachment = submit_with_letter(submit, article)
    assert isinstance(attachment.file.storage, PrivateS3Storage)
    with pytest.raises(NotImplementedError, match="permission-checked views"):
        attachment.file.url  # noqa: B018


def test_the_retention_purge_deletes_the_object_from_the_bucket(
    s3, client, submit, article, settings, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False):
        attachment = submit_with_letter(submit, article)
        takedown = TakedownRequest.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/requests/confirm/{takedown.confirmation_token}/")
            withdraw_request(TakedownRequest.objects.get(), reason="Sorted out directly.")
    assert list(keys(s3)) == [f"newsroom/{attachment.file.name}"]

    later = START + dt.timedelta(days=settings.TAKEDOWNS_RETENTION_DAYS + 1)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert jobs.purge_closed_requests() == 1

    assert keys(s3) == {}
    assert not Attachment.objects.exists()


def test_a_failed_submission_leaves_no_object_behind(
    s3, client, article, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise RuntimeError("the database went away mid-request")

    monkeypatch.setattr("takedowns.workflow.requester.record_event", refuse)
    data = {**form_data(article), "attachments": [SimpleUploadedFile("letter.pdf", LETTER, "application/pdf")]}
    client.raise_request_exception = False
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/requests/new/", data).status_code == 500

    assert keys(s3) == {} and not TakedownRequest.objects.exists()


def _page(url: str) -> Page:
    body = b"<html><head><title>Harbour cranes</title></head><body><p>The cranes return.</p></body></html>"
    return Page(
        url=url,
        final_url=url,
        status=200,
        reason="OK",
        content_type="text/html",
        headers=[("Content-Type", "text/html; charset=utf-8")],
        body=body,
    )


def test_a_snapshot_warc_is_stored_in_the_bucket_and_staff_download_it(s3, admin_client, client):
    # Through the snapshot service's storing step (store_snapshot) with a page built here: fetching is
    # covered by the snapshot tests (tests/snapshots/test_capture.py).
    source = SourceURLFactory(url_as_cited="https://wire.example/cranes")
    snapshot = store_snapshot(
        source, _page(source.url), Extracted(title="Harbour cranes", text="The cranes return."), reason="first"
    )

    stored = keys(s3)
    key = f"newsroom/{snapshot.warc.name}"
    assert list(stored) == [key] and key.startswith("newsroom/snapshots/")
    assert snapshot.warc_bytes == len(stored[key]) > 0
    warc_view = f"/admin/attribution/sourcesnapshot/{snapshot.pk}/warc/"
    response = admin_client.get(warc_view)
    assert response.status_code == 200 and response["Content-Type"] == "application/warc"
    downloaded = b"".join(response.streaming_content)
    assert downloaded == stored[key]
    # Each record's content can be read only while the iterator stands on it.
    responses = {
        r.rec_headers.get_header("WARC-Target-URI"): r.content_stream().read()
        for r in ArchiveIterator(io.BytesIO(downloaded))
        if r.rec_type == "response"
    }
    assert list(responses) == [source.url] and b"The cranes return." in responses[source.url]
    # Not for the public: the admin sends anonymous visitors to its login page.
    assert client.get(warc_view).status_code == 302


def test_a_snapshot_file_saved_through_the_field_lands_in_the_snapshot_entry(s3):
    source = SourceURLFactory(url_as_cited="https://wire.example/a")
    snapshot = SourceSnapshot(source_url=source, taken_at=START, fetched_url=source.url)
    snapshot.warc.save("x.warc.gz", ContentFile(b"WARC/1.1\r\n"), save=True)

    assert keys(s3) == {f"newsroom/{snapshot.warc.name}": b"WARC/1.1\r\n"}
    snapshot.warc.storage.delete(snapshot.warc.name)
    assert keys(s3) == {}


def test_the_api_points_staff_at_our_checked_download_view_not_at_the_bucket(s3, admin_client, submit, article):
    attachment = submit_with_letter(submit, article)
    takedown = TakedownRequest.objects.get()

    response = admin_client.get(f"/api/requests/{takedown.pk}/")
    assert response.status_code == 200, response.content
    (listed,) = response.json()["attachments"]
    assert listed["download_url"] == f"http://testserver/requests/attachments/{attachment.pk}/"
    assert s3.bucket not in response.content.decode()
