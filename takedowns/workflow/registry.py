"""``run_action``: perform a named staff decision with submitted fields. The admin, the API and the tests call it.

The fields are validated once, by ``ActionFields`` (the limits the API
documents), whoever submits them: the admin's form posts the same names. The
registry only turns validated fields into a call of the decision's module; all
rules live there.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from attribution.history.context import recording
from attribution.models import Article
from takedowns.models import MAX_LONG_TEXT, MAX_NOTE, TakedownRequest
from takedowns.workflow.actions import (
    accept,
    apply,
    ask_for_information,
    assign,
    duplicate,
    reinstate,
    reject,
    resume_review,
    spam,
    take,
)
from takedowns.workflow.graph import STAFF_ACTIONS


class RequestNumberField(serializers.PrimaryKeyRelatedField):
    """A request by its number, as editors write it: ``12`` or ``#12``."""

    def to_internal_value(self, data):
        return super().to_internal_value(str(data).strip().lstrip("#"))


class SourceListField(serializers.ListField):
    """URLs as cited, in order: a JSON list, or one per line (the admin's textarea)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [data]
        if isinstance(data, list) and all(isinstance(item, str) for item in data):
            data = [line.strip() for item in data for line in item.splitlines()]
        return [source for source in super().to_internal_value(data) if source.strip()]


class ActionFields(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(name, move.label) for name, move in STAFF_ACTIONS.items()])
    note = serializers.CharField(
        max_length=MAX_NOTE,
        required=False,
        allow_blank=True,
        help_text=_("Shown to the requester and emailed (internal for spam); empty uses the action's template."),
    )
    internal_note = serializers.CharField(max_length=MAX_NOTE, required=False, allow_blank=True)
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        help_text=_("Username, for assign."),
    )
    rejection_reason = serializers.ChoiceField(
        choices=TakedownRequest.RejectionReason.choices, required=False, help_text=_("For reject.")
    )
    duplicate_of = RequestNumberField(
        queryset=TakedownRequest.objects.all(), required=False, help_text=_("For duplicate: the original's number.")
    )
    outcome = serializers.ChoiceField(
        choices=TakedownRequest.Outcome.choices,
        required=False,
        help_text=_("Required for apply, which has no default: one of the outcomes that fit the request."),
    )
    confirm_removal = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("For apply with removed_article: must be true, the explicit second step of a removal."),
    )
    article = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Article.objects.all(),
        required=False,
        help_text=_("For apply: the article's slug, if the request has several."),
    )
    headline = serializers.CharField(max_length=500, required=False, allow_blank=True)
    body = serializers.CharField(
        max_length=200_000, required=False, allow_blank=True, help_text=_("For text corrections.")
    )
    sources = SourceListField(
        child=serializers.CharField(max_length=4000),
        required=False,
        max_length=200,
        help_text=_("For attribution and link changes: URLs as cited, in order (a list, or one per line)."),
    )
    correction_note = serializers.CharField(max_length=MAX_LONG_TEXT, required=False, allow_blank=True)

    def validate(self, attrs):
        # Checked here, before permissions and state, so a forgotten outcome is a 400 whoever sends it.
        if attrs.get("action") == "apply" and not attrs.get("outcome"):
            raise serializers.ValidationError({"outcome": _("Apply needs an outcome: say what was done.")})
        return attrs


def _common(fields: dict) -> dict:
    return {"note": fields.get("note", ""), "internal_note": fields.get("internal_note", "")}


def _change(fields: dict) -> apply.ArticleChange:
    return apply.ArticleChange(
        outcome=fields.get("outcome", ""),
        article=fields.get("article"),
        headline=fields.get("headline", ""),
        body=fields.get("body", ""),
        sources=fields.get("sources", []),
        correction_note=fields.get("correction_note", ""),
        confirm_removal=fields.get("confirm_removal", False),
    )


# action → call of its decision module with the validated fields.
HANDLERS = {
    "take": lambda t, actor, f: take.take_request(t, actor=actor, **_common(f)),
    "assign": lambda t, actor, f: assign.assign_request(t, actor=actor, assignee=f.get("assignee"), **_common(f)),
    "ask_for_information": lambda t, actor, f: ask_for_information.ask_for_information(t, actor=actor, **_common(f)),
    "resume_review": lambda t, actor, f: resume_review.resume_review(t, actor=actor, **_common(f)),
    "accept": lambda t, actor, f: accept.accept_request(t, actor=actor, **_common(f)),
    "apply": lambda t, actor, f: apply.apply_action(t, actor=actor, change=_change(f), **_common(f)),
    "reject": lambda t, actor, f: reject.reject_request(
        t, actor=actor, reason=f.get("rejection_reason", ""), **_common(f)
    ),
    "spam": lambda t, actor, f: spam.mark_spam(t, actor=actor, **_common(f)),
    "duplicate": lambda t, actor, f: duplicate.mark_duplicate(
        t, actor=actor, original=f.get("duplicate_of"), **_common(f)
    ),
    "reinstate": lambda t, actor, f: reinstate.reinstate_request(t, actor=actor, **_common(f)),
}
assert HANDLERS.keys() == STAFF_ACTIONS.keys(), "every staff move of the graph needs a handler"


def validate_fields(data) -> dict:
    """The submitted fields, validated; raises Django's ValidationError keyed by field name."""
    fields = ActionFields(data=data)
    if not fields.is_valid():
        raise ValidationError({name: [str(error) for error in errors] for name, errors in fields.errors.items()})
    return dict(fields.validated_data)


def run_action(takedown: TakedownRequest, *, actor, data) -> TakedownRequest:
    """Validate ``data`` (``action`` plus that action's fields) and perform it as ``actor``.

    Raises ValidationError (keyed by field), NotAllowed or IllegalTransition,
    each with the reason to show; nothing is half-saved.
    """
    fields = validate_fields(data)
    # Whatever the action changes in attribution records goes on their history as "request #N", by actor.
    with recording(via=f"request #{takedown.pk}", user=actor):
        return HANDLERS[fields.pop("action")](takedown, actor, fields)
