"""Template tags of the request workflow: the summary on the admin index."""

import datetime as dt

from django import template
from django.utils import timezone

from attribution.models import SourceURL
from takedowns.models import OPEN_STATUSES, TakedownRequest
from takedowns.workflow.graph import can_triage
from takedowns.workflow.sla import overdue_q

register = template.Library()
# "Newly dead" on the admin index: links that became dead in this window.
NEWLY_DEAD_DAYS = 7


@register.inclusion_tag("admin/includes/requests_summary.html", takes_context=True)
def requests_summary(context):
    """Open and overdue requests (for Editors and Legal only) and links newly dead; three COUNT queries."""
    user = context["request"].user
    summary = {"can_see_requests": can_triage(user), "newly_dead_days": NEWLY_DEAD_DAYS}
    if summary["can_see_requests"]:
        requests = TakedownRequest.objects.all()
        summary["open_count"] = requests.filter(status__in=OPEN_STATUSES).count()
        summary["overdue_count"] = requests.filter(overdue_q()).count()
    if user.has_perm("attribution.view_sourceurl"):
        since = timezone.now() - dt.timedelta(days=NEWLY_DEAD_DAYS)
        summary["newly_dead_count"] = SourceURL.objects.filter(
            status=SourceURL.Status.DEAD, became_dead_at__gte=since
        ).count()
    return summary
