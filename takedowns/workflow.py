"""The editorial workflow: one service function per editorial transition of a request.

Every function here is atomic, checks the actor's permission (Editors or
Legal, see ``permission_for``), moves the request through
``services.transition`` (a guarded conditional UPDATE, so of two editors
clicking at once exactly one succeeds), writes the audit event and queues the
requester's email after commit. Illegal moves raise ``IllegalTransition`` and
refusals ``NotAllowed``; both carry a message the admin and the API show.

The note of a transition is shown to the requester (status page and email),
except for ``spam``; when it is empty, the editable ReplyTemplate of the action
supplies the text. ``internal_note`` is for staff only.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from takedowns.models import OPEN_STATUSES, Message, ReplyTemplate, RequestEvent, TakedownRequest
from takedowns.notifications import queue_notification, status_url
from takedowns.services import IllegalTransition, record_event, transition

Status = TakedownRequest.Status
RequestType = TakedownRequest.RequestType
Outcome = TakedownRequest.Outcome

TRIAGE = "takedowns.triage_request"
DECIDE_LEGAL = "takedowns.decide_legal_request"
REINSTATE = "takedowns.reinstate_request"
# Requests only Legal may decide (the "removal, copyright and privacy").
LEGAL_TYPES = frozenset({RequestType.COPYRIGHT, RequestType.PRIVACY})


class NotAllowed(PermissionDenied):
    """The actor may not perform this action on this request."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class ActionSpec:
    label: str
    from_statuses: frozenset
    # The requester's status page shows the note, and an email is sent.
    public: bool = True


ACTIONS = {
    "take": ActionSpec(_("Take (assign to me)"), OPEN_STATUSES),
    "assign": ActionSpec(_("Assign"), OPEN_STATUSES),
    "ask_for_information": ActionSpec(_("Ask for information"), frozenset({Status.IN_REVIEW})),
    "resume_review": ActionSpec(_("Resume review"), frozenset({Status.NEEDS_INFO})),
    "accept": ActionSpec(_("Accept"), frozenset({Status.IN_REVIEW})),
    "apply": ActionSpec(_("Apply the action on the article"), frozenset({Status.ACCEPTED})),
    "reject": ActionSpec(_("Reject"), frozenset({Status.IN_REVIEW})),
    "spam": ActionSpec(_("Mark as spam"), OPEN_STATUSES, public=False),
    "duplicate": ActionSpec(_("Mark as duplicate"), OPEN_STATUSES),
    "reinstate": ActionSpec(_("Reinstate (reverse the action)"), frozenset({Status.ACTIONED})),
}


def needs_legal(takedown: TakedownRequest, outcome: str = "") -> bool:
    """Removal, copyright and privacy requests (and any removal outcome) are Legal's to decide."""
    return (
        takedown.request_type in LEGAL_TYPES
        or takedown.remedy == TakedownRequest.Remedy.REMOVE_ARTICLE
        or outcome == Outcome.REMOVED_ARTICLE
    )


def permission_for(action: str, takedown: TakedownRequest, outcome: str = "") -> str:
    if action == "reinstate":
        return REINSTATE
    if action in ("accept", "apply", "reject") and needs_legal(takedown, outcome):
        return DECIDE_LEGAL
    return TRIAGE


def require_permission(actor, action: str, takedown: TakedownRequest, outcome: str = "") -> None:
    permission = permission_for(action, takedown, outcome)
    if actor is None or not actor.is_active or not actor.has_perm(permission):
        if permission == TRIAGE:
            raise NotAllowed(_("Only the Editors and Legal groups handle requests."))
        raise NotAllowed(_("Only the Legal group may do this for a removal, copyright or privacy request."))


def allowed_actions(takedown: TakedownRequest, user) -> list[str]:
    """The actions this user may take on this request in its current state (what the admin shows as buttons)."""
    allowed = []
    for name, spec in ACTIONS.items():
        if takedown.status not in spec.from_statuses:
            continue
        if name == "take" and takedown.assignee_id == user.pk:
            continue
        try:
            require_permission(user, name, takedown)
        except NotAllowed:
            continue
        allowed.append(name)
    return allowed


def default_message(takedown: TakedownRequest, action: str, values: dict | None = None) -> str:
    """The editable default text of an action's message, with placeholders filled; "" if there is none."""
    template = ReplyTemplate.objects.filter(action=action).first()
    return fill_placeholders(template.body, values or placeholder_values(takedown)) if template else ""


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


def _first_response(takedown: TakedownRequest) -> dict:
    return {} if takedown.first_response_at else {"first_response_at": timezone.now()}


def _internal_note(takedown: TakedownRequest, actor, internal_note: str) -> None:
    if internal_note.strip():
        record_event(takedown, kind=RequestEvent.Kind.NOTE, actor=actor, note=internal_note.strip())


@transaction.atomic
def _move(takedown, action, *, actor, to_status, note="", internal_note="", updates=None, from_statuses=None):
    """The common path: permission, guarded transition with the public note, optional internal note."""
    require_permission(actor, action, takedown, (updates or {}).get("outcome", ""))
    public = ACTIONS[action].public
    note = note.strip() or (default_message(takedown, action) if public else "")
    moved = transition(
        takedown,
        to_status=to_status,
        from_statuses=from_statuses or ACTIONS[action].from_statuses,
        actor=actor,
        note=note,
        visible_to_requester=public,
        notify="takedowns/status_changed" if public else None,
        updates={**_first_response(takedown), **(updates or {})},
    )
    _internal_note(moved, actor, internal_note)
    return moved


@transaction.atomic
def assign_request(takedown, *, actor, assignee, note: str = "", internal_note: str = "") -> TakedownRequest:
    """Give an open request to ``assignee`` (an Editor or Legal user); a submitted one moves to ``in_review``.

    Reassigning a request already in review changes only the assignee (a
    guarded UPDATE on the status and assignee the caller's copy shows) and
    writes an ``assigned`` event.
    """
    require_permission(actor, "assign", takedown)
    if assignee is None or not assignee.is_active or not assignee.has_perm(TRIAGE):
        raise ValidationError({"assignee": _("Requests can only be assigned to members of Editors or Legal.")})
    # Guarded on the status and assignee the caller saw: of two editors
    # taking the same request at once, the second finds it changed and fails.
    current, assigned_to = takedown.status, takedown.assignee_id
    if current == Status.SUBMITTED:
        return _move(
            takedown,
            "assign",
            actor=actor,
            to_status=Status.IN_REVIEW,
            note=note,
            internal_note=internal_note,
            updates={"assignee": assignee},
            from_statuses={Status.SUBMITTED},
        )
    claimed = current in OPEN_STATUSES and TakedownRequest.objects.filter(
        pk=takedown.pk, status=current, assignee_id=assigned_to
    ).update(assignee=assignee, updated_at=timezone.now())
    if not claimed:
        actual = TakedownRequest.objects.filter(pk=takedown.pk).values_list("status", flat=True).first() or ""
        raise IllegalTransition(takedown.pk, actual, Status.IN_REVIEW)
    record_event(takedown, kind=RequestEvent.Kind.ASSIGNED, actor=actor, note=assignee.get_username())
    takedown.refresh_from_db()
    _internal_note(takedown, actor, internal_note)
    return takedown


def take_request(takedown, *, actor, note: str = "", internal_note: str = "") -> TakedownRequest:
    """Assign a request to oneself (submitted → in_review). See ``assign_request``."""
    require_permission(actor, "take", takedown)
    return assign_request(takedown, actor=actor, assignee=actor, note=note, internal_note=internal_note)


def ask_for_information(takedown, *, actor, note: str = "", internal_note: str = "") -> TakedownRequest:
    """in_review → needs_info: the note is the question to the requester. Their reply returns it to in_review."""
    if not note.strip():
        raise ValidationError({"note": _("Write the question to the requester.")})
    return _move(
        takedown,
        "ask_for_information",
        actor=actor,
        to_status=Status.NEEDS_INFO,
        note=note,
        internal_note=internal_note,
    )


def resume_review(takedown, *, actor, note: str = "", internal_note: str = "") -> TakedownRequest:
    """needs_info → in_review by staff (e.g. the requester answered by other means)."""
    return _move(
        takedown, "resume_review", actor=actor, to_status=Status.IN_REVIEW, note=note, internal_note=internal_note
    )


def accept_request(takedown, *, actor, note: str = "", internal_note: str = "") -> TakedownRequest:
    """in_review → accepted. The action on the article follows with ``apply_action`` (accepted → actioned)."""
    return _move(takedown, "accept", actor=actor, to_status=Status.ACCEPTED, note=note, internal_note=internal_note)


def reject_request(takedown, *, actor, reason: str, note: str = "", internal_note: str = "") -> TakedownRequest:
    """in_review → rejected with a reason code; the note (or the template) is the message to the requester."""
    if reason not in TakedownRequest.RejectionReason.values:
        raise ValidationError({"reason": _("Choose a reason for the rejection.")})
    return _move(
        takedown,
        "reject",
        actor=actor,
        to_status=Status.REJECTED,
        note=note,
        internal_note=internal_note,
        updates={"rejection_reason": reason},
    )


def mark_spam(takedown, *, actor, note: str = "", internal_note: str = "") -> TakedownRequest:
    """Any open state → spam. Nothing is sent to the requester; the note stays internal."""
    return _move(takedown, "spam", actor=actor, to_status=Status.SPAM, note=(note + "\n" + internal_note).strip())


@transaction.atomic
def mark_duplicate(takedown, *, actor, original, note: str = "", internal_note: str = "") -> TakedownRequest:
    """Any open state → duplicate, linked to ``original`` (another request), which gets a ``duplicate_detected`` event."""
    if original is None or original.pk == takedown.pk:
        raise ValidationError({"duplicate_of": _("Choose another request as the original.")})
    require_permission(actor, "duplicate", takedown)
    note = note.strip() or default_message(takedown, "duplicate")
    moved = transition(
        takedown,
        to_status=Status.DUPLICATE,
        from_statuses=ACTIONS["duplicate"].from_statuses,
        actor=actor,
        note=note,
        notify="takedowns/duplicate",
        notify_context={"original_id": original.pk, "original_status_url": status_url(original)},
        updates={**_first_response(takedown), "duplicate_of": original},
    )
    record_event(original, kind=RequestEvent.Kind.DUPLICATE_DETECTED, actor=actor, note=f"#{takedown.pk}")
    _internal_note(moved, actor, internal_note)
    return moved


@transaction.atomic
def reply_to_requester(takedown, *, actor, body: str) -> Message:
    """A message from staff to the requester: logged as a Message and a visible event, and emailed after commit."""
    require_permission(actor, "assign", takedown)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the message to send.")})
    if takedown.purged_at:
        raise ValidationError({"body": _("The requester's contact details were purged; nothing can be sent.")})
    message = Message.objects.create(
        request=takedown, direction=Message.Direction.TO_REQUESTER, author=actor, body=body[:5000]
    )
    record_event(takedown, kind=RequestEvent.Kind.MESSAGE, actor=actor, message=message, visible_to_requester=True)
    queue_notification(takedown, "workflow/reply", {"body": message.body})
    if not takedown.first_response_at:
        TakedownRequest.objects.filter(pk=takedown.pk, first_response_at__isnull=True).update(
            first_response_at=timezone.now()
        )
    return message
