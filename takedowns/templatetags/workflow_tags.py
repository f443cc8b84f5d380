"""Template tags of the request workflow: the start page's "what needs doing" on the admin index."""

from django import template

from attribution.linkcheck.admin import RECENT_DAYS, recently
from takedowns.models import OPEN_STATUSES, TakedownRequest
from takedowns.workflow.graph import can_triage
from takedowns.workflow.sla import overdue_q

register = template.Library()


@register.inclusion_tag("admin/includes/requests_summary.html", takes_context=True)
def requests_summary(context):
    """Counts of what needs doing, each matching the changelist its row links to.

    Requests (new, open, overdue, mine) for Editors and Legal only; links dead,
    moved or changed since cited in the last RECENT_DAYS for whoever may see source URLs. One COUNT
    query per row.
    """
    user = context["request"].user
    summary = {"can_see_requests": can_triage(user), "recent_days": RECENT_DAYS}
    if summary["can_see_requests"]:
        # The queue's default view leaves out unconfirmed requests (admin/filters.py StatusFilter): so do these.
        confirmed = TakedownRequest.objects.exclude(status=TakedownRequest.Status.PENDING_VERIFICATION)
        summary["new_count"] = confirmed.filter(status=TakedownRequest.Status.SUBMITTED).count()
        summary["open_count"] = confirmed.filter(status__in=OPEN_STATUSES).count()
        summary["overdue_count"] = confirmed.filter(overdue_q()).count()
        summary["mine_count"] = confirmed.filter(status__in=OPEN_STATUSES, assignee=user).count()
    if user.has_perm("attribution.view_sourceurl"):
        summary["newly_dead_count"] = recently("dead").count()
        summary["moved_count"] = recently("moved").count()
        summary["changed_count"] = recently("changed").count()
    return summary
