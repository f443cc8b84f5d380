"""The double click: two editors act on the same request at once; exactly one succeeds."""

import threading

import pytest
from django.db import connection

from attribution.models import Article
from takedowns.models import ArticleRevision, RequestEvent, TakedownRequest
from takedowns.workflow.actions.apply import ArticleChange, apply_action
from takedowns.workflow.actions.take import take_request
from takedowns.workflow.transition import IllegalTransition
from tests.workflow.helpers import perform

Status = TakedownRequest.Status


@pytest.mark.django_db
def test_a_stale_copy_loses_the_take_on_any_database(make_request, eddie, erin):
    """Deterministic: both editors loaded the request as 'submitted'; the second conditional UPDATE matches nothing."""
    first = make_request(status=Status.SUBMITTED)
    second = TakedownRequest.objects.get(pk=first.pk)

    take_request(first, actor=eddie)
    with pytest.raises(IllegalTransition) as raised:
        take_request(second, actor=erin)

    assert raised.value.current_status == Status.IN_REVIEW
    assert TakedownRequest.objects.get(pk=first.pk).assignee == eddie
    assert RequestEvent.objects.filter(request=first, kind="status_changed").count() == 1


@pytest.mark.django_db
def test_a_stale_copy_cannot_act_on_the_article_twice(make_request, lena, django_user_model, workflow_groups):
    from django.contrib.auth.models import Group

    other = django_user_model.objects.create_user("leo-legal", is_staff=True)
    other.groups.add(Group.objects.get(name="Legal"))
    first = perform("accept", make_request(status=Status.IN_REVIEW, remedy="remove_article"), lena)
    second = TakedownRequest.objects.get(pk=first.pk)

    apply_action(first, actor=lena, change=ArticleChange(outcome="removed_article", confirm_removal=True))
    with pytest.raises(IllegalTransition):
        apply_action(second, actor=other, change=ArticleChange(outcome="text_corrected", body="Other text."))

    assert ArticleRevision.objects.count() == 1
    assert TakedownRequest.objects.get(pk=first.pk).outcome == "removed_article"


def _race(calls):
    """Run the calls in threads released together; returns (successes, IllegalTransition count)."""
    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            results.append("ok")
        except IllegalTransition:
            results.append("illegal")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results.count("ok"), results.count("illegal")


@pytest.mark.django_db(transaction=True)
def test_two_editors_clicking_take_at_once_on_postgresql(postgres, make_request, eddie, erin):
    for _round in range(5):
        takedown = make_request(status=Status.SUBMITTED)
        editors = [eddie, erin]
        copies = [TakedownRequest.objects.get(pk=takedown.pk) for _ in editors]

        ok, illegal = _race([lambda c=c, u=u: take_request(c, actor=u) for c, u in zip(copies, editors, strict=True)])

        assert (ok, illegal) == (1, 1)
        assert RequestEvent.objects.filter(request=takedown, kind="status_changed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_legal_users_removing_at_once_on_postgresql(postgres, make_request, lena, article):
    takedown = perform("accept", make_request(status=Status.IN_REVIEW, remedy="remove_article"), lena)
    copies = [TakedownRequest.objects.get(pk=takedown.pk) for _ in range(3)]
    change = ArticleChange(outcome="removed_article", confirm_removal=True)

    ok, illegal = _race([lambda c=c: apply_action(c, actor=lena, change=change) for c in copies])

    assert (ok, illegal) == (1, 2)
    assert ArticleRevision.objects.filter(request=takedown).count() == 1
    assert Article.objects.get(pk=article.pk).status == "removed"
