"""One entry point for "perform action X on request R with these fields", shared by the admin and the staff API.

It only translates named fields into a call of the matching service in
``workflow`` / ``workflow_article``; all rules live there.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from attribution.models import Article
from takedowns import workflow
from takedowns.models import TakedownRequest
from takedowns.workflow_article import ArticleChange, apply_action, reinstate_request


def _user(value):
    if value in (None, ""):
        return None
    if isinstance(value, get_user_model()):
        return value
    user = get_user_model().objects.filter(username=str(value)).first()
    if user is None and str(value).isdigit():
        user = get_user_model().objects.filter(pk=int(value)).first()
    if user is None:
        raise ValidationError({"assignee": _("No such user.")})
    return user


def _original(value):
    try:
        return TakedownRequest.objects.get(pk=int(str(value).lstrip("#")))
    except (TypeError, ValueError, TakedownRequest.DoesNotExist):
        raise ValidationError({"duplicate_of": _("Give the number of the original request.")}) from None


def _article(value):
    if value in (None, ""):
        return None
    if isinstance(value, Article):
        return value
    article = Article.objects.filter(slug=str(value)).first()
    if article is None:
        raise ValidationError({"article": _("No such article.")})
    return article


def _sources(value) -> list[str]:
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return [str(item).strip() for item in value or [] if str(item).strip()]


def run_action(takedown: TakedownRequest, *, actor, action: str, fields: dict) -> TakedownRequest:
    """Perform ``action`` with ``fields`` (note, internal_note, assignee, rejection_reason, duplicate_of, outcome, article,
    headline, body, sources, correction_note). Raises what the services raise: ValidationError, NotAllowed,
    IllegalTransition."""
    if action not in workflow.ACTIONS:
        raise ValidationError({"action": _("Unknown action.")})
    common = {"actor": actor, "note": fields.get("note") or "", "internal_note": fields.get("internal_note") or ""}
    if action == "take":
        return workflow.take_request(takedown, **common)
    if action == "assign":
        return workflow.assign_request(takedown, assignee=_user(fields.get("assignee")), **common)
    if action == "reject":
        return workflow.reject_request(takedown, reason=fields.get("rejection_reason") or "", **common)
    if action == "duplicate":
        return workflow.mark_duplicate(takedown, original=_original(fields.get("duplicate_of")), **common)
    if action == "apply":
        change = ArticleChange(
            outcome=fields.get("outcome") or "",
            article=_article(fields.get("article")),
            headline=fields.get("headline") or "",
            body=fields.get("body") or "",
            sources=_sources(fields.get("sources")),
            correction_note=fields.get("correction_note") or "",
        )
        return apply_action(takedown, change=change, **common)
    if action == "reinstate":
        return reinstate_request(takedown, **common)
    simple = {
        "ask_for_information": workflow.ask_for_information,
        "resume_review": workflow.resume_review,
        "accept": workflow.accept_request,
        "spam": workflow.mark_spam,
    }
    return simple[action](takedown, **common)
