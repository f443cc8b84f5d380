"""What the request page shows besides the record: timeline, article preview, files, allowed actions, replies.

A fixed number of queries whatever the number of requests and events in the
database (tests/workflow/test_admin.py asserts it).
"""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from attribution.lib.permissions import EDITORIAL_GROUPS
from attribution.models import Article, Citation
from attribution.overlap.display import attach_overlaps
from takedowns.models import Attachment, ReplyTemplate, RequestEvent, TakedownRequest
from takedowns.workflow.actions.apply import SOURCE_OUTCOMES, TEXT_OUTCOMES
from takedowns.workflow.graph import STAFF_ACTIONS, allowed_actions, can_triage
from takedowns.workflow.outcomes import offered_outcomes
from takedowns.workflow.replies import default_texts, fill_placeholders, placeholder_values
from takedowns.workflow.sla import next_due

# Fields each action's form shows besides the note (see the change_form template).
ACTION_FIELDS = {
    "assign": ["assignee"],
    "reject": ["rejection_reason"],
    "duplicate": ["duplicate_of"],
}
Outcome = TakedownRequest.Outcome
# Requests where how much of the article is the source's own text matters (attribution/overlap/).
OVERLAP_REQUEST_TYPES = (TakedownRequest.RequestType.COPYRIGHT, TakedownRequest.RequestType.ATTRIBUTION)


def _articles(takedown):
    citations = Citation.objects.select_related("source_url__publisher").order_by("position")
    return list(
        Article.objects.filter(request_links__request=takedown)
        .prefetch_related(Prefetch("citations", queryset=citations))
        .order_by("request_links__id")
    )


def _assignees():
    User = get_user_model()
    in_groups = Q(groups__name__in=EDITORIAL_GROUPS) | Q(is_superuser=True)
    return list(User.objects.filter(in_groups, is_active=True).distinct().order_by("username"))


def _actions(request, takedown):
    names = allowed_actions(takedown, request.user)
    if not names:
        return []
    values = placeholder_values(takedown)
    # Prefilled in the requester's language: the note is sent to them as it stands.
    defaults = {action: fill_placeholders(t.body, values) for action, t in default_texts(takedown).items()}
    return [
        {
            "name": name,
            "label": STAFF_ACTIONS[name].label,
            "public": STAFF_ACTIONS[name].tells_requester,
            "fields": ACTION_FIELDS.get(name, []),
            "default_note": defaults.get(name, ""),
        }
        for name in names
    ]


def _outcome_kind(outcome: str) -> str:
    """Which fields an outcome's form shows (see the _apply template)."""
    if outcome in TEXT_OUTCOMES:
        return "text"
    if outcome in SOURCE_OUTCOMES:
        return "sources"
    return {Outcome.REMOVED_ARTICLE: "removal"}.get(outcome, "none")


def _apply_choices(takedown, articles) -> list[dict]:
    """ "Apply": one choice per outcome that fits the request, each with one form per article it can act on.

    No outcome is preselected: the editor opens the one that was done, and
    sees only its fields (no JavaScript needed).
    """
    open_articles = [article for article in articles if article.status != Article.Status.REMOVED]
    choices = []
    for outcome in offered_outcomes(takedown):
        targets = [None] if outcome == Outcome.NO_ACTION else open_articles
        if targets:
            kind = _outcome_kind(outcome)
            choices.append({"value": outcome, "label": Outcome(outcome).label, "kind": kind, "targets": targets})
    return choices


def _reply_templates(takedown):
    """A blank message, then the templates that are not an action's default (those come with their button)."""
    values = placeholder_values(takedown)
    templates = ReplyTemplate.objects.filter(action="").order_by("name")
    return [(_("New message"), ""), *((t.name, fill_placeholders(t.body, values)) for t in templates)]


def request_page_context(request, takedown: TakedownRequest) -> dict:
    triage = can_triage(request.user)
    timeline = RequestEvent.objects.filter(request=takedown).select_related("actor", "message", "attachment")
    articles = _articles(takedown)
    context = {
        "takedown": takedown,
        "timeline": list(timeline.order_by("created_at", "id")),
        "preview_articles": articles,
        "can_triage": triage,
        "next_due": next_due(takedown),
        "workflow_actions": _actions(request, takedown),
    }
    if takedown.request_type in OVERLAP_REQUEST_TYPES:
        attach_overlaps(articles)  # article.copy_overlap, for the panel under each article (one query)
        context["show_copy_overlap"] = True
    if triage:
        context["attachments"] = list(Attachment.objects.filter(request=takedown).order_by("created_at", "id"))
        context["reply_templates"] = _reply_templates(takedown) if not takedown.purged_at else []
        if any(a["name"] == "assign" for a in context["workflow_actions"]):
            context["assignees"] = _assignees()
        context["rejection_reasons"] = TakedownRequest.RejectionReason.choices
        if any(a["name"] == "apply" for a in context["workflow_actions"]):
            context["apply_choices"] = _apply_choices(takedown, articles)
    return context
