"""A downloaded attachment's extension says what its content is, not what the requester named it."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from takedowns.files import download_name
from takedowns.models import Attachment
from tests.takedowns.factories import form_data

pytestmark = pytest.mark.django_db

HTML_PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def legal_reviewer(django_user_model):
    reviewer = django_user_model.objects.create_user("lena-legal", password="pw-lena-1", is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="view_attachment"))
    return reviewer


def download(client, reviewer, submit, article, name, content):
    submit({**form_data(article), "attachments": [SimpleUploadedFile(name, content, "application/pdf")]})
    client.force_login(reviewer)
    return client.get(f"/requests/attachments/{Attachment.objects.get().pk}/")


def test_an_html_page_uploaded_as_pdf_downloads_as_text(client, legal_reviewer, submit, article):
    response = download(client, legal_reviewer, submit, article, "evidence.pdf", HTML_PAGE)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="evidence.pdf.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    # The download's own policy, stricter than the site's, is left alone by the CSP middleware.
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == HTML_PAGE
    # The requester's own name is still what staff see in the admin.
    assert Attachment.objects.get().original_name == "evidence.pdf"


def test_a_real_pdf_keeps_its_name(client, legal_reviewer, submit, article):
    response = download(client, legal_reviewer, submit, article, "Letter.PDF", PDF)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Letter.PDF"'


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("evidence.pdf", "text/plain", "evidence.pdf.txt"),
        ("page.html", "text/plain", "page.html.txt"),
        ("notes.txt", "text/plain", "notes.txt"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("photo.png", "image/jpeg", "photo.png.jpg"),
        ("scan", "image/png", "scan.png"),
        ("contract.pdf.exe", "application/pdf", "contract.pdf.exe.pdf"),
        ("x" * 255, "text/plain", "x" * 251 + ".txt"),
    ],
)
def test_the_extension_follows_the_detected_type(name, content_type, expected):
    assert download_name(name, content_type) == expected
