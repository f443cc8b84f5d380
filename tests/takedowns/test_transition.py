"""The guarded transition every state change goes through."""

import pytest

from takedowns.models import RequestEvent, TakedownRequest
from takedowns.workflow.transition import IllegalTransition, transition
from tests.takedowns.factories import TakedownRequestFactory

Status = TakedownRequest.Status
pytestmark = pytest.mark.django_db


def test_it_moves_from_an_allowed_state_and_records_the_step(editor):
    takedown = TakedownRequestFactory(submitted=True)

    moved = transition(takedown, "take", actor=editor, note="Taking it")

    assert moved.status == Status.IN_REVIEW
    event = RequestEvent.objects.get(request=takedown)
    assert (event.actor, event.actor_label, event.from_status, event.to_status, event.note) == (
        editor,
        "staff",
        Status.SUBMITTED,
        Status.IN_REVIEW,
        "Taking it",
    )


def test_it_refuses_an_illegal_move_and_writes_nothing(editor):
    takedown = TakedownRequestFactory(withdrawn=True)

    with pytest.raises(IllegalTransition) as raised:
        transition(takedown, "accept", actor=editor)

    assert raised.value.current_status == Status.WITHDRAWN
    assert "cannot move" in str(raised.value)
    assert TakedownRequest.objects.get(pk=takedown.pk).status == Status.WITHDRAWN
    assert not RequestEvent.objects.exists()


def test_a_stale_copy_cannot_move_a_request_twice(editor):
    """The double click: both callers hold the request as 'submitted'; only the first wins."""
    first = TakedownRequestFactory(submitted=True)
    second = TakedownRequest.objects.get(pk=first.pk)

    transition(first, "spam", actor=editor)
    with pytest.raises(IllegalTransition):
        transition(second, "spam", actor=editor)

    assert RequestEvent.objects.filter(request=first).count() == 1


def test_closing_stamps_closed_at_and_deciding_stamps_decided_at(editor):
    takedown = TakedownRequestFactory(in_review=True)

    accepted = transition(takedown, "accept", actor=editor)
    assert accepted.decided_at is not None and accepted.closed_at is None
    actioned = transition(accepted, "apply", actor=editor, updates={"outcome": TakedownRequest.Outcome.REMOVED_ARTICLE})
    assert actioned.closed_at is not None
    assert actioned.outcome == "removed_article"


def test_a_staff_move_needs_a_user():
    takedown = TakedownRequestFactory(submitted=True)
    with pytest.raises(ValueError):
        transition(takedown, "spam", actor=None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_racing_on_postgresql_exactly_one_wins(postgres, editor):
    """Real concurrent transactions: both read 'submitted', both try; the conditional UPDATE lets one through."""
    import threading

    from django.db import connection

    takedown = TakedownRequestFactory(submitted=True)
    barrier = threading.Barrier(2)
    results = []

    def click():
        try:
            copy = TakedownRequest.objects.get(pk=takedown.pk)
            barrier.wait(timeout=10)
            transition(copy, "take", actor=editor)
            results.append("moved")
        except IllegalTransition:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["moved", "refused"]
    assert RequestEvent.objects.filter(request=takedown, to_status=Status.IN_REVIEW).count() == 1
