"""Admin index: how many cited links are in each check status."""

from django import template
from django.db.models import Count

from attribution.models import SourceURL

register = template.Library()


@register.inclusion_tag("admin/linkcheck/status_counts.html")
def link_status_counts():
    # One aggregate over the status index, however many sources there are.
    counts = dict(SourceURL.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {"rows": [(value, label, counts.get(value, 0)) for value, label in SourceURL.Status.choices]}
