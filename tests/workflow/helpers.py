"""Perform any staff action by name, through ``run_action``: the same path the admin's buttons and the API take."""

from takedowns.models import TakedownRequest
from takedowns.workflow.registry import run_action
from tests.takedowns.factories import TakedownRequestFactory


def fields_for(action: str, user, **kwargs) -> dict:
    """What the admin's form for ``action`` posts, with the values a test gives (by name, as a form would)."""
    fields = {"action": action}
    if action == "assign":
        fields["assignee"] = kwargs.get("assignee", user).get_username()
    elif action == "ask_for_information":
        fields["note"] = "Which passage?"
    elif action == "reject":
        fields["rejection_reason"] = "attribution_correct"
    elif action == "duplicate":
        fields["duplicate_of"] = (kwargs.get("original") or TakedownRequestFactory(submitted=True)).pk
    elif action == "apply":
        # No default outcome: "no action" unless the test says otherwise.
        fields.update(kwargs.get("change") or {"outcome": "no_action"})
        if fields["outcome"] == "removed_article":
            # What the admin's confirmation page posts back (the second step of a removal).
            fields.setdefault("confirm_removal", "true")
    return fields


def perform(action: str, takedown: TakedownRequest, user, **kwargs):
    return run_action(takedown, actor=user, data=fields_for(action, user, **kwargs))
