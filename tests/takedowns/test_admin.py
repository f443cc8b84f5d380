"""The minimal request admin: read-only, permission-governed, and everything the requester typed escaped."""

import pytest
from django.contrib.auth.models import Permission

from tests.takedowns.factories import TakedownRequestFactory

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def hostile_request(article):
    takedown = TakedownRequestFactory(
        articles=[article], requester_name=SCRIPT, organisation=SCRIPT, details=SCRIPT, submitted=True
    )
    takedown.messages.create(direction="from_requester", body=SCRIPT)
    return takedown


def test_requester_text_is_escaped_in_the_list_and_the_request_page(client, editor, hostile_request):
    client.force_login(editor)

    listing = client.get("/admin/takedowns/takedownrequest/").content.decode()
    page = client.get(f"/admin/takedowns/takedownrequest/{hostile_request.pk}/change/").content.decode()

    for html in (listing, page):
        assert SCRIPT not in html
    assert "&lt;script&gt;" in page
    assert hostile_request.token not in page  # the requester's key is not shown around the office


def test_nothing_can_be_added_changed_or_deleted_here(client, editor, hostile_request):
    client.force_login(editor)
    assert client.get("/admin/takedowns/takedownrequest/add/").status_code == 403
    assert client.get(f"/admin/takedowns/takedownrequest/{hostile_request.pk}/delete/").status_code == 403
    page = client.get(f"/admin/takedowns/takedownrequest/{hostile_request.pk}/change/").content.decode()
    assert 'name="status"' not in page


def test_staff_without_the_view_permission_see_no_requests(client, django_user_model, hostile_request):
    staff = django_user_model.objects.create_user("sam-staff", password="pw-sam-1", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/takedowns/takedownrequest/").status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_takedownrequest"))
    assert client.get("/admin/takedowns/takedownrequest/").status_code == 200
