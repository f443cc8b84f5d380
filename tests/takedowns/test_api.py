"""The requests API: public filing with the form's rules, reading only with the view permission."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from takedowns.models import TakedownRequest

pytestmark = pytest.mark.django_db


def payload(**overrides) -> dict:
    data = {
        "request_type": "attribution",
        "articles": ["harbour-cranes"],
        "original_work_url": "https://harbourgazette.example/cranes",
        "relationship": "rights_holder",
        "requester_name": "Rita Rights",
        "requester_email": "rita@harbourgazette.example",
        "requester_country": "Ireland",
        "remedy": "fix_attribution",
        "statement_good_faith": True,
        "statement_accuracy": True,
        "signature": "Rita Rights",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def api(django_capture_on_commit_callbacks):
    client = APIClient()

    def post(data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/api/requests/", data, format="json", **extra)

    client.file = post
    return client


@pytest.fixture
def reviewer(django_user_model):
    """An editor-group member: holds the view permission on requests."""
    user = django_user_model.objects.create_user("edith-editor", password="pw-edith-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_takedownrequest"))
    return user


def test_anyone_can_file_a_request_and_gets_the_status_page_url(api, article, mailoutbox):
    response = api.file(payload(cited_sources=[{"article": "harbour-cranes", "position": 1}]))

    assert response.status_code == 201, response.json()
    takedown = TakedownRequest.objects.get()
    body = response.json()
    assert body["status"] == "pending_verification"
    assert body["status_url"].endswith(f"/requests/{takedown.token}/")
    assert "confirmation_token" not in body and takedown.confirmation_token not in str(body)
    assert [c.position for c in takedown.request_citations.all()] == [1]
    assert len(mailoutbox) == 1 and takedown.confirmation_token in mailoutbox[0].body


def test_errors_come_back_as_json_keyed_by_field(api, article):
    response = api.file(payload(request_type="copyright", articles=["nope"], signature="Someone"))

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) >= {"articles", "signature", "statement_perjury", "requester_phone", "original_work_description"}
    assert "nope" in errors["articles"][0]
    assert not TakedownRequest.objects.exists()


def test_type_and_length_errors_are_keyed_by_field_too(api, article):
    response = api.file(payload(requester_name="x" * 201, request_type="bogus", statement_accuracy=None))
    assert set(response.json()) >= {"requester_name", "request_type", "statement_accuracy"}


def test_an_unknown_cited_source_is_reported(api, article):
    response = api.file(payload(cited_sources=[{"article": "harbour-cranes", "position": 9}]))
    assert response.status_code == 400 and "cited_sources" in response.json()


def test_the_api_shares_the_forms_ip_limit(api, article):
    for n in range(5):
        assert api.file(payload(requester_email=f"p{n}@harbourgazette.example")).status_code == 201
    response = api.file(payload(requester_email="p9@harbourgazette.example"))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_anonymous_users_can_list_or_read_nothing(api, article):
    api.file(payload())
    takedown = TakedownRequest.objects.get()
    assert api.get("/api/requests/").status_code in (401, 403)
    assert api.get(f"/api/requests/{takedown.pk}/").status_code in (401, 403)


def test_staff_without_the_permission_see_nothing(api, article, django_user_model):
    api.file(payload())
    api.force_authenticate(django_user_model.objects.create_user("sam-staff", is_staff=True))
    assert api.get("/api/requests/").status_code == 403


def test_users_with_the_view_permission_list_and_read(api, article, reviewer):
    api.file(payload())
    takedown = TakedownRequest.objects.get()
    api.force_authenticate(reviewer)

    listing = api.get("/api/requests/?status=pending_verification").json()
    detail = api.get(f"/api/requests/{takedown.pk}/").json()

    assert listing["count"] == 1
    assert detail["articles"] == ["harbour-cranes"] and detail["requester_email"] == "rita@harbourgazette.example"
    assert "ip_hash" not in detail and "token" not in detail and "confirmation_token" not in detail
    assert api.get("/api/requests/?status=submitted").json()["count"] == 0


def test_reading_is_a_fixed_number_of_queries(api, article, reviewer, django_assert_max_num_queries):
    for n in range(3):
        api.file(payload(requester_email=f"p{n}@harbourgazette.example"))
    api.force_authenticate(reviewer)
    with django_assert_max_num_queries(12):
        assert api.get("/api/requests/").json()["count"] == 3


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/requests/" in schema and "RequestCreate" in schema


def test_an_oversized_body_is_refused_without_a_500(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    response = api.post("/api/requests/", {"details": "x" * 100_000}, format="json")
    # 413, as the web form answers, with the limit in the message (config/hostile.py).
    assert response.status_code == 413 and str(64 * 1024) in response.json()["detail"]
    assert not TakedownRequest.objects.exists()
