"""The editable default texts of staff messages (ReplyTemplate), with their {placeholders} filled."""

from django.utils.translation import gettext_lazy as _

from takedowns.models import ReplyTemplate, TakedownRequest


def placeholder_values(takedown: TakedownRequest) -> dict:
    """What the {placeholders} of reply templates stand for, for this request (one query).

    No {status_url}: the token must not show around the office, and every
    email already ends with the status-page link.
    """
    article = takedown.articles.only("headline").first()
    return {
        "{request_id}": str(takedown.pk),
        "{requester_name}": takedown.requester_name or str(_("requester")),
        "{article}": article.headline if article else "",
    }


def fill_placeholders(text: str, values: dict) -> str:
    """Replace the known {placeholders}; anything else in braces is left as typed."""
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def default_message(takedown: TakedownRequest, action: str, values: dict | None = None) -> str:
    """The editable default text of an action's message, with placeholders filled; "" if there is none."""
    template = ReplyTemplate.objects.filter(action=action).first()
    return fill_placeholders(template.body, values or placeholder_values(takedown)) if template else ""
