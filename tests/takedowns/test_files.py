"""Attachments: judged by content, bounded in size and number, stored outside the web root, served only to staff."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from takedowns.files import clean_name, detect_content_type
from takedowns.models import Attachment, TakedownRequest
from tests.takedowns.factories import form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
TEXT = "Licence letter — signed by the editor.\n".encode()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (TEXT, "text/plain"),
        (EXE, None),
        (b"", None),
    ],
)
def test_the_type_is_judged_by_content(content, expected):
    assert detect_content_type(content) == expected


def test_text_with_control_bytes_or_bad_utf8_is_not_plain_text():
    assert detect_content_type(b"hello\x00world") is None
    assert detect_content_type(b"caf\xe9") is None


def test_names_lose_directories_and_control_characters():
    assert clean_name("../../etc/pass\x00wd") == "passwd"
    assert clean_name("C:\\Users\\me\\scan.pdf") == "scan.pdf"


def test_accepted_files_are_stored_outside_the_web_root_with_their_checksum(client, submit, article, settings):
    files = [upload("letter.pdf", PDF), upload("photo.jpg", JPEG), upload("note.txt", TEXT, "text/plain")]

    submit({**form_data(article), "attachments": files})

    stored = Attachment.objects.order_by("id")
    assert [a.content_type for a in stored] == ["application/pdf", "image/jpeg", "text/plain"]
    first = stored[0]
    assert first.original_name == "letter.pdf" and first.size == len(PDF)
    import hashlib

    assert first.sha256 == hashlib.sha256(PDF).hexdigest()
    path = first.file.path
    assert path.startswith(str(settings.MEDIA_ROOT)) and "letter" not in path
    # No URL maps to the upload folder: the file is reachable only through the staff view.
    assert client.get("/" + first.file.name).status_code == 404
    assert client.get("/media/" + first.file.name).status_code == 404


def test_a_program_renamed_pdf_is_refused_by_name(submit, article):
    response = submit({**form_data(article), "attachments": [upload("contract.pdf", EXE, "application/pdf")]})

    assert response.status_code == 400
    message = response.context["form"].errors["attachments"][0]
    assert "contract.pdf" in message and "not a PDF, PNG, JPEG or plain-text" in message
    assert not TakedownRequest.objects.exists()


def test_a_file_over_the_size_limit_is_refused(submit, article, settings):
    settings.TAKEDOWNS_MAX_ATTACHMENT_BYTES = 1024
    response = submit({**form_data(article), "attachments": [upload("big.txt", b"a" * 1025)]})

    assert "at most 1.0" in response.context["form"].errors["attachments"][0]


def test_at_most_five_files(submit, article):
    files = [upload(f"n{i}.txt", TEXT) for i in range(6)]
    response = submit({**form_data(article), "attachments": files})

    assert "At most 5 files" in response.context["form"].errors["attachments"][0]
    assert not Attachment.objects.exists()


def test_an_empty_file_is_refused(submit, article):
    response = submit({**form_data(article), "attachments": [upload("empty.txt", b"")]})
    assert response.status_code == 400


def test_an_oversized_body_gets_413_before_anything_is_read(article, settings):
    from django.test import Client

    settings.TAKEDOWNS_MAX_ATTACHMENT_BYTES = 1024
    settings.TAKEDOWNS_MAX_ATTACHMENTS = 1
    # With CSRF enforced: a 413 rather than a 403 shows the size was judged before the body was parsed.
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/requests/new/", form_data(article), CONTENT_LENGTH=str(10 * 1024 * 1024))
    assert response.status_code == 413
    assert b"Upload too large" in response.content
    assert not TakedownRequest.objects.exists()


def test_an_oversized_message_upload_gets_413_too(article, settings):
    from django.test import Client

    from tests.takedowns.factories import TakedownRequestFactory

    takedown = TakedownRequestFactory(submitted=True)
    response = Client(enforce_csrf_checks=True).post(
        f"/requests/{takedown.token}/messages/", {"body": "x"}, CONTENT_LENGTH=str(100 * 1024 * 1024)
    )
    assert response.status_code == 413


@pytest.fixture
def stored_attachment(submit, article):
    submit({**form_data(article), "attachments": [upload("letter.pdf", PDF)]})
    return Attachment.objects.get()


def test_anonymous_users_cannot_download(client, stored_attachment):
    response = client.get(f"/requests/attachments/{stored_attachment.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_the_permission_cannot_download(client, django_user_model, stored_attachment):
    staff = django_user_model.objects.create_user("sam-staff", password="pw-sam-1", is_staff=True)
    client.force_login(staff)
    assert client.get(f"/requests/attachments/{stored_attachment.pk}/").status_code == 403


def test_staff_with_the_permission_download_it_as_a_file(client, django_user_model, stored_attachment):
    reviewer = django_user_model.objects.create_user("lena-legal", password="pw-lena-1", is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="view_attachment"))
    client.force_login(reviewer)

    response = client.get(f"/requests/attachments/{stored_attachment.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
