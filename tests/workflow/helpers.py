"""Call any workflow action by name, with the arguments it needs (for the state × group matrices)."""

from takedowns import workflow
from takedowns.models import TakedownRequest
from takedowns.workflow_article import ArticleChange, apply_action, reinstate_request
from tests.takedowns.factories import TakedownRequestFactory


def perform(action: str, takedown: TakedownRequest, user, **kwargs):
    calls = {
        "take": lambda: workflow.take_request(takedown, actor=user),
        "assign": lambda: workflow.assign_request(takedown, actor=user, assignee=kwargs.get("assignee", user)),
        "ask_for_information": lambda: workflow.ask_for_information(takedown, actor=user, note="Which passage?"),
        "resume_review": lambda: workflow.resume_review(takedown, actor=user),
        "accept": lambda: workflow.accept_request(takedown, actor=user),
        "apply": lambda: apply_action(
            takedown, actor=user, change=kwargs.get("change") or ArticleChange(outcome="no_action")
        ),
        "reject": lambda: workflow.reject_request(takedown, actor=user, reason="attribution_correct"),
        "spam": lambda: workflow.mark_spam(takedown, actor=user),
        "duplicate": lambda: workflow.mark_duplicate(
            takedown, actor=user, original=kwargs.get("original") or TakedownRequestFactory(submitted=True)
        ),
        "reinstate": lambda: reinstate_request(takedown, actor=user),
    }
    return calls[action]()
