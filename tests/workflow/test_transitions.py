"""Every editorial transition, allowed and forbidden, by state and by group."""

import pytest
from django.core.exceptions import ValidationError

from takedowns.models import RequestEvent, TakedownRequest
from takedowns.workflow.graph import STAFF_ACTIONS, NotAllowed, allowed_actions
from takedowns.workflow.transition import IllegalTransition
from tests.workflow.helpers import perform

Status = TakedownRequest.Status
pytestmark = pytest.mark.django_db

TARGET = {
    "take": Status.IN_REVIEW,
    "assign": Status.IN_REVIEW,
    "ask_for_information": Status.NEEDS_INFO,
    "resume_review": Status.IN_REVIEW,
    "accept": Status.ACCEPTED,
    "apply": Status.ACTIONED,
    "reject": Status.REJECTED,
    "spam": Status.SPAM,
    "duplicate": Status.DUPLICATE,
    "reinstate": Status.REINSTATED,
}
STATE_MATRIX = [(action, status) for action in STAFF_ACTIONS for status in Status.values]


@pytest.mark.parametrize(("action", "status"), STATE_MATRIX)
def test_each_action_moves_only_from_its_states(action, status, make_request, lena):
    takedown = make_request(status=status)
    allowed = status in STAFF_ACTIONS[action].from_statuses

    if allowed:
        moved = perform(action, takedown, lena)
        # Assigning a request already in review changes the assignee, not the status.
        expected = status if action in ("take", "assign") and status != Status.SUBMITTED else TARGET[action]
        assert moved.status == expected
        assert RequestEvent.objects.filter(request=takedown, actor=lena).exists()
    else:
        with pytest.raises(IllegalTransition) as raised:
            perform(action, takedown, lena)
        assert raised.value.current_status == status
        assert TakedownRequest.objects.get(pk=takedown.pk).status == status
        assert not RequestEvent.objects.filter(request=takedown).exists()


EDITOR_ACTIONS = [
    "take",
    "assign",
    "ask_for_information",
    "resume_review",
    "accept",
    "apply",
    "reject",
    "spam",
    "duplicate",
]
FROM = {
    "take": Status.SUBMITTED,
    "assign": Status.SUBMITTED,
    "ask_for_information": Status.IN_REVIEW,
    "resume_review": Status.NEEDS_INFO,
    "accept": Status.IN_REVIEW,
    "apply": Status.ACCEPTED,
    "reject": Status.IN_REVIEW,
    "spam": Status.SUBMITTED,
    "duplicate": Status.SUBMITTED,
    "reinstate": Status.ACTIONED,
}


@pytest.mark.parametrize("action", list(STAFF_ACTIONS))
def test_staff_outside_the_groups_can_do_nothing(action, make_request, stan):
    takedown = make_request(status=FROM[action])

    with pytest.raises(NotAllowed):
        perform(action, takedown, stan, assignee=stan)

    assert TakedownRequest.objects.get(pk=takedown.pk).status == FROM[action]
    assert allowed_actions(takedown, stan) == []


@pytest.mark.parametrize("action", EDITOR_ACTIONS)
def test_editors_handle_attribution_requests_from_start_to_end(action, make_request, eddie):
    takedown = make_request(status=FROM[action], request_type="attribution", remedy="fix_attribution")

    assert perform(action, takedown, eddie).status == TARGET[action]


@pytest.mark.parametrize("request_type", ["copyright", "privacy"])
@pytest.mark.parametrize("action", ["accept", "apply", "reject"])
def test_only_legal_decides_copyright_and_privacy_requests(action, request_type, make_request, eddie, lena):
    takedown = make_request(status=FROM[action], request_type=request_type)

    with pytest.raises(NotAllowed, match="Legal"):
        perform(action, takedown, eddie)
    assert action not in allowed_actions(takedown, eddie)

    assert action in allowed_actions(takedown, lena)
    assert perform(action, takedown, lena).status == TARGET[action]


def test_only_legal_decides_a_removal_whatever_the_type(make_request, eddie, lena):
    takedown = make_request(status=Status.IN_REVIEW, request_type="other", remedy="remove_article")

    with pytest.raises(NotAllowed):
        perform("accept", takedown, eddie)
    assert perform("accept", takedown, lena).status == Status.ACCEPTED


@pytest.mark.parametrize("action", ["take", "ask_for_information", "spam", "duplicate"])
def test_editors_triage_copyright_requests_too(action, make_request, eddie):
    takedown = make_request(status=FROM[action], request_type="copyright")

    assert perform(action, takedown, eddie).status == TARGET[action]


def test_only_legal_reinstates(make_request, eddie, lena):
    takedown = make_request(status=Status.ACTIONED, outcome="no_action")

    with pytest.raises(NotAllowed):
        perform("reinstate", takedown, eddie)
    assert perform("reinstate", takedown, lena).status == Status.REINSTATED


def test_taking_assigns_and_stamps_the_first_response(make_request, eddie):
    takedown = make_request(status=Status.SUBMITTED)

    taken = perform("take", takedown, eddie)

    assert taken.assignee == eddie
    assert taken.first_response_at is not None
    assert "take" not in allowed_actions(taken, eddie)


def test_requests_are_assigned_only_to_group_members(make_request, eddie, stan):
    takedown = make_request(status=Status.SUBMITTED)

    with pytest.raises(ValidationError) as raised:
        perform("assign", takedown, eddie, assignee=stan)

    assert "assignee" in raised.value.message_dict
    assert TakedownRequest.objects.get(pk=takedown.pk).status == Status.SUBMITTED


def test_rejection_keeps_the_reason_and_tells_the_requester(make_request, eddie, mailoutbox, on_commit):
    takedown = make_request(status=Status.IN_REVIEW)

    with on_commit:
        rejected = perform("reject", takedown, eddie)

    assert rejected.rejection_reason == "attribution_correct"
    assert rejected.decided_at is not None and rejected.closed_at is not None
    event = RequestEvent.objects.get(request=takedown, to_status=Status.REJECTED)
    assert event.visible_to_requester and "will not change" in event.note
    assert len(mailoutbox) == 1 and "will not change" in mailoutbox[0].body


def test_asking_needs_a_question(make_request, eddie):
    from takedowns.workflow.actions.ask_for_information import ask_for_information

    takedown = make_request(status=Status.IN_REVIEW)

    with pytest.raises(ValidationError):
        ask_for_information(takedown, actor=eddie, note="  ")
    assert TakedownRequest.objects.get(pk=takedown.pk).status == Status.IN_REVIEW


def test_spam_sends_nothing_and_hides_the_note(make_request, eddie, mailoutbox, on_commit):
    takedown = make_request(status=Status.SUBMITTED)

    with on_commit:
        perform("spam", takedown, eddie)

    event = RequestEvent.objects.get(request=takedown)
    assert not event.visible_to_requester
    assert mailoutbox == []


def test_a_duplicate_links_to_its_original_and_the_original_hears_of_it(make_request, eddie, mailoutbox, on_commit):
    original = make_request(status=Status.IN_REVIEW)
    takedown = make_request(status=Status.SUBMITTED)

    with on_commit:
        perform("duplicate", takedown, eddie, original=original)

    assert TakedownRequest.objects.get(pk=takedown.pk).duplicate_of == original
    assert RequestEvent.objects.filter(request=original, kind="duplicate_detected", note=f"#{takedown.pk}").exists()
    assert len(mailoutbox) == 1 and f"#{original.pk}" in mailoutbox[0].body


def test_a_request_cannot_be_its_own_duplicate(make_request, eddie):
    takedown = make_request(status=Status.SUBMITTED)

    with pytest.raises(ValidationError):
        perform("duplicate", takedown, eddie, original=takedown)


def test_the_requesters_reply_returns_the_request_to_review(make_request, eddie):
    from takedowns.workflow.requester import add_requester_message

    takedown = make_request(status=Status.IN_REVIEW)
    perform("ask_for_information", takedown, eddie)

    add_requester_message(TakedownRequest.objects.get(pk=takedown.pk), body="Paragraph two.", files=[])

    assert TakedownRequest.objects.get(pk=takedown.pk).status == Status.IN_REVIEW


def test_an_internal_note_is_kept_from_the_requester(make_request, eddie):
    from takedowns.workflow.actions.take import take_request

    takedown = make_request(status=Status.SUBMITTED)

    take_request(takedown, actor=eddie, internal_note="Looks like the Gazette again")

    note = RequestEvent.objects.get(request=takedown, kind="note")
    assert note.note == "Looks like the Gazette again" and not note.visible_to_requester
    assert RequestEvent.objects.get(request=takedown, kind="status_changed").visible_to_requester


def test_reply_to_requester_is_logged_and_emailed(make_request, eddie, mailoutbox, on_commit):
    from takedowns.models import Message
    from takedowns.workflow.actions.reply import reply_to_requester

    takedown = make_request(status=Status.IN_REVIEW, requester_name="Rita <b>Rights</b>")

    with on_commit:
        reply_to_requester(takedown, actor=eddie, body="We are looking into it.")

    message = Message.objects.get(request=takedown)
    assert (message.direction, message.author) == ("to_requester", eddie)
    assert RequestEvent.objects.filter(request=takedown, kind="message", message=message, actor=eddie).exists()
    assert "We are looking into it." in mailoutbox[0].body
    assert "<b>" not in mailoutbox[0].alternatives[0][0]
