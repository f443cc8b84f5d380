"""The request state graph: every move a request can make, in one table.

Each ``Move`` says from which states it starts, where it goes, who makes it
(staff, the requester, or the system), which permission a staff member needs,
and whether the requester is told (the note shows on their status page and an
email goes out). The guarded ``transition`` reads its rules from here, the
admin's buttons and the API's choices are the staff moves, and the periodic
jobs name their moves here too: nothing else lists allowed states.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from takedowns.models import OPEN_STATUSES, RequestEvent, TakedownRequest

Status = TakedownRequest.Status
By = RequestEvent.ActorLabel
RequestType = TakedownRequest.RequestType
Outcome = TakedownRequest.Outcome

TRIAGE = "takedowns.triage_request"
DECIDE_LEGAL = "takedowns.decide_legal_request"
REINSTATE = "takedowns.reinstate_request"
# Requests only Legal may decide (removal, copyright and privacy).
LEGAL_TYPES = frozenset({RequestType.COPYRIGHT, RequestType.PRIVACY})
STATUS_CHANGED_MAIL = "takedowns/status_changed"


@dataclass(frozen=True)
class Move:
    label: str
    from_statuses: frozenset
    to_status: str
    by: str = By.STAFF
    # What a staff member needs; ``legal_permission`` instead when the request is Legal's (see needs_legal).
    permission: str | None = TRIAGE
    legal_permission: str | None = None
    # The requester's status page shows the note, and ``mail`` (a template under templates/emails/) is sent.
    tells_requester: bool = True
    mail: str | None = STATUS_CHANGED_MAIL
    # From these states the status stays and only the fields change (reassigning an open request).
    keeps_status_from: frozenset = frozenset()


_REVIEWING = frozenset({Status.IN_REVIEW, Status.NEEDS_INFO, Status.ACCEPTED})

MOVES = {
    # Staff decisions: the admin's buttons and the API's actions, in this order.
    "take": Move(_("Take (assign to me)"), OPEN_STATUSES, Status.IN_REVIEW, keeps_status_from=_REVIEWING),
    "assign": Move(_("Assign"), OPEN_STATUSES, Status.IN_REVIEW, keeps_status_from=_REVIEWING),
    # The note is the question; its own mail introduces it, so it can never arrive blank.
    "ask_for_information": Move(
        _("Ask for information"), frozenset({Status.IN_REVIEW}), Status.NEEDS_INFO, mail="takedowns/needs_info"
    ),
    "resume_review": Move(_("Resume review"), frozenset({Status.NEEDS_INFO}), Status.IN_REVIEW),
    "accept": Move(_("Accept"), frozenset({Status.IN_REVIEW}), Status.ACCEPTED, legal_permission=DECIDE_LEGAL),
    "apply": Move(
        _("Apply the action on the article"),
        frozenset({Status.ACCEPTED}),
        Status.ACTIONED,
        legal_permission=DECIDE_LEGAL,
    ),
    "reject": Move(_("Reject"), frozenset({Status.IN_REVIEW}), Status.REJECTED, legal_permission=DECIDE_LEGAL),
    "spam": Move(_("Mark as spam"), OPEN_STATUSES, Status.SPAM, tells_requester=False, mail=None),
    "duplicate": Move(_("Mark as duplicate"), OPEN_STATUSES, Status.DUPLICATE, mail="takedowns/duplicate"),
    "reinstate": Move(
        _("Reinstate (reverse the action)"), frozenset({Status.ACTIONED}), Status.REINSTATED, permission=REINSTATE
    ),
    # The requester's moves (public form, confirmation link, status page).
    "confirm": Move(
        _("Confirm the email address"),
        frozenset({Status.PENDING_VERIFICATION}),
        Status.SUBMITTED,
        by=By.REQUESTER,
        permission=None,
        mail=None,  # the acknowledgement (or the duplicate notice) follows, once signals are computed
    ),
    "requester_reply": Move(
        _("Reply to a question"),
        frozenset({Status.NEEDS_INFO}),
        Status.IN_REVIEW,
        by=By.REQUESTER,
        permission=None,
        mail=None,
    ),
    "withdraw": Move(_("Withdraw"), OPEN_STATUSES, Status.WITHDRAWN, by=By.REQUESTER, permission=None),
    # The system's moves (confirmation and the periodic jobs).
    "expire": Move(
        _("Expire unconfirmed"),
        frozenset({Status.PENDING_VERIFICATION}),
        Status.EXPIRED,
        by=By.SYSTEM,
        permission=None,
        mail=None,  # the address was never shown to belong to the requester
    ),
    "detect_duplicate": Move(
        _("Close as a duplicate of an open request"),
        frozenset({Status.SUBMITTED}),
        Status.DUPLICATE,
        by=By.SYSTEM,
        permission=None,
        mail="takedowns/duplicate",
    ),
    "withdraw_silent": Move(
        _("Close after the requester's silence"), frozenset({Status.NEEDS_INFO}), Status.WITHDRAWN, by=By.SYSTEM
    ),
}
STAFF_ACTIONS = {name: move for name, move in MOVES.items() if move.by == By.STAFF}


class NotAllowed(PermissionDenied):
    """The actor may not perform this action on this request."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def needs_legal(takedown: TakedownRequest, outcome: str = "") -> bool:
    """Removal, copyright and privacy requests (and any removal outcome) are Legal's to decide."""
    return (
        takedown.request_type in LEGAL_TYPES
        or takedown.remedy == TakedownRequest.Remedy.REMOVE_ARTICLE
        or outcome == Outcome.REMOVED_ARTICLE
    )


def permission_for(action: str, takedown: TakedownRequest, outcome: str = "") -> str | None:
    move = MOVES[action]
    if move.legal_permission and needs_legal(takedown, outcome):
        return move.legal_permission
    return move.permission


def can_triage(user) -> bool:
    """Editors and Legal: whoever may handle requests at all (see their contact details, reply, be assigned)."""
    return bool(user is not None and user.is_active and user.has_perm(TRIAGE))


def require_permission(actor, action: str, takedown: TakedownRequest, outcome: str = "") -> None:
    """Raise NotAllowed, with the reason to show, unless ``actor`` may make this staff move on this request."""
    permission = permission_for(action, takedown, outcome)
    if actor is None or not actor.is_active or not actor.has_perm(permission):
        if permission == TRIAGE:
            raise NotAllowed(_("Only the Editors and Legal groups handle requests."))
        raise NotAllowed(_("Only the Legal group may do this for a removal, copyright or privacy request."))


def allowed_actions(takedown: TakedownRequest, user) -> list[str]:
    """The staff moves this user may make on this request in its current state (the admin's buttons)."""
    allowed = []
    for name, move in STAFF_ACTIONS.items():
        if takedown.status not in move.from_statuses:
            continue
        if name == "take" and takedown.assignee_id == user.pk:
            continue
        try:
            require_permission(user, name, takedown)
        except NotAllowed:
            continue
        allowed.append(name)
    return allowed
