"""What the request page shows besides the record: timeline, article preview, files, allowed actions, replies.

A fixed number of queries whatever the number of requests and events in the
database (tests/workflow/test_admin.py asserts it).
"""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from attribution.lib.permissions import EDITORIAL_GROUPS
from attribution.models import Article, Citation
from takedowns.models import Attachment, ReplyTemplate, RequestEvent, TakedownRequest
from takedowns.workflow.graph import STAFF_ACTIONS, allowed_actions, can_triage
from takedowns.workflow.replies import fill_placeholders, placeholder_values
from takedowns.workflow.sla import next_due

# Fields each action's form shows besides the note (see the change_form template).
ACTION_FIELDS = {
    "assign": ["assignee"],
    "reject": ["rejection_reason"],
    "duplicate": ["duplicate_of"],
    "apply": ["outcome", "article", "headline", "body", "sources", "correction_note"],
}


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
    defaults = {t.action: fill_placeholders(t.body, values) for t in ReplyTemplate.objects.exclude(action="")}
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
    if triage:
        context["attachments"] = list(Attachment.objects.filter(request=takedown).order_by("created_at", "id"))
        context["reply_templates"] = _reply_templates(takedown) if not takedown.purged_at else []
        if any(a["name"] == "assign" for a in context["workflow_actions"]):
            context["assignees"] = _assignees()
        context["rejection_reasons"] = TakedownRequest.RejectionReason.choices
        context["outcomes"] = TakedownRequest.Outcome.choices
    return context
