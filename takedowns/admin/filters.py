"""List filters of the request queue: open/any status, overdue, assigned to me, publisher."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from attribution.models import Publisher
from takedowns.models import OPEN_STATUSES, TakedownRequest
from takedowns.workflow.sla import overdue_q

# Publishers offered in the filter: those the requests are about, capped so the
# filter never lists a whole newsroom's sources.
PUBLISHER_CHOICES_LIMIT = 100


class StatusFilter(admin.SimpleListFilter):
    """By default the queue leaves out requests whose email is not confirmed yet: nobody need act on them.

    "Waiting for email confirmation" shows just those; "Any status" shows everything, and so does a search
    (looking a request up by number or status token must find it whatever its state).
    """

    title = _("status")
    parameter_name = "status"
    ANY = "any"

    def lookups(self, request, model_admin):
        return [("open", _("Open (any open state)")), (self.ANY, _("Any status")), *TakedownRequest.Status.choices]

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        # The first entry ("All") is the default view, which is not all: say what it holds.
        choices[0]["display"] = _("Confirmed (default)")
        return choices

    def queryset(self, request, queryset):
        if self.value() is None and not request.GET.get("q", "").strip():
            return queryset.exclude(status=TakedownRequest.Status.PENDING_VERIFICATION)
        if self.value() == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if self.value() in TakedownRequest.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_q())
        if self.value() == "no":
            return queryset.exclude(overdue_q())
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = _("assignee")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Assigned to me")), ("nobody", _("Unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assignee=request.user)
        if self.value() == "nobody":
            return queryset.filter(assignee__isnull=True)
        return queryset


class PublisherFilter(admin.SimpleListFilter):
    """Requests about a publisher's work: a source of theirs was picked, or the requester's domain matched them."""

    title = _("publisher")
    parameter_name = "publisher"

    def lookups(self, request, model_admin):
        matched = (
            TakedownRequest.objects.filter(domain_match=True)
            .order_by()
            .values_list("domain_match_host", flat=True)
            .distinct()[:PUBLISHER_CHOICES_LIMIT]
        )
        publishers = Publisher.objects.filter(Q(sources__request_links__isnull=False) | Q(host__in=list(matched)))
        return [(p.host, p.name) for p in publishers.distinct().order_by("name")[:PUBLISHER_CHOICES_LIMIT]]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        host = self.value()
        return queryset.filter(
            Q(domain_match_host=host)
            | Q(pk__in=TakedownRequest.objects.filter(request_citations__source_url__publisher__host=host).values("pk"))
        )
