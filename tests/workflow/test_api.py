"""The staff API: transitions and the audit trail, with the admin's permissions, in the schema."""

import pytest

from takedowns.models import TakedownRequest

Status = TakedownRequest.Status
pytestmark = pytest.mark.django_db


def transitions(pk):
    return f"/api/requests/{pk}/transitions/"


def test_an_editor_takes_and_asks_through_the_api(client, eddie, make_request):
    takedown = make_request(status=Status.SUBMITTED)
    client.force_login(eddie)

    taken = client.post(transitions(takedown.pk), {"action": "take"}, content_type="application/json")
    asked = client.post(
        transitions(takedown.pk),
        {"action": "ask_for_information", "note": "Which paragraph?", "internal_note": "check archive"},
        content_type="application/json",
    )

    assert taken.status_code == 200 and taken.json()["assignee"] == "eddie-editor"
    assert asked.status_code == 200 and asked.json()["status"] == "needs_info"
    events = client.get(f"/api/requests/{takedown.pk}/events/").json()["results"]
    assert [(e["from_status"], e["to_status"]) for e in events if e["kind"] == "status_changed"] == [
        ("submitted", "in_review"),
        ("in_review", "needs_info"),
    ]
    assert events[-1]["kind"] == "note" and events[-1]["visible_to_requester"] is False
    assert events[1]["actor"] == "eddie-editor" and events[1]["note"] == "Which paragraph?"


def test_errors_name_the_reason(client, eddie, make_request):
    takedown = make_request(status=Status.IN_REVIEW, request_type="copyright")
    client.force_login(eddie)

    def post(body):
        return client.post(transitions(takedown.pk), body, content_type="application/json")

    assert post({"action": "fly"}).status_code == 400
    refused = post({"action": "accept"})
    assert refused.status_code == 403 and "Legal" in refused.json()["detail"]
    illegal = post({"action": "reinstate"})
    assert illegal.status_code == 403  # Legal's action, refused before the state is considered
    wrong_state = post({"action": "resume_review"})
    assert wrong_state.status_code == 409 and wrong_state.json()["status"] == "in_review"
    assert "cannot move" in wrong_state.json()["detail"]
    missing = post({"action": "duplicate", "duplicate_of": 999999})
    assert missing.status_code == 400 and "duplicate_of" in missing.json()
    assert client.post(transitions(999999), {"action": "take"}, content_type="application/json").status_code == 404


def test_legal_removes_through_the_api(client, lena, make_request, article):
    takedown = make_request(status=Status.IN_REVIEW, remedy="remove_article")
    client.force_login(lena)

    client.post(transitions(takedown.pk), {"action": "accept"}, content_type="application/json")
    response = client.post(
        transitions(takedown.pk),
        {"action": "apply", "outcome": "removed_article", "confirm_removal": True},
        content_type="application/json",
    )

    assert response.status_code == 200 and response.json()["outcome"] == "removed_article"
    assert client.get(article.get_absolute_url()).status_code == 410


def test_outsiders_and_other_staff_get_nothing(client, stan, outsider, make_request):
    takedown = make_request(status=Status.SUBMITTED)
    for user in (None, outsider, stan):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(f"/api/requests/{takedown.pk}/events/").status_code in (401, 403)
        response = client.post(transitions(takedown.pk), {"action": "spam"}, content_type="application/json")
        assert response.status_code in (401, 403)
    assert TakedownRequest.objects.get(pk=takedown.pk).status == Status.SUBMITTED


def test_the_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()

    assert "/api/requests/{id}/transitions/" in schema
    assert "/api/requests/{id}/events/" in schema
