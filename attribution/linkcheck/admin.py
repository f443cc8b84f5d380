"""The link-check side of the source URL admin: "Check now" (list action and detail-page button),
the "changed recently" filter the start page links to, and how URLs, hosts and dates are shown.

``SourceURLAdmin`` (attribution/admin.py) mixes ``LinkCheckAdminMixin`` in.
"""

import datetime as dt

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from attribution.lib.domains import display_host, unicode_url
from attribution.lib.when import when
from attribution.linkcheck.services import request_check
from attribution.models import SourceURL

# "Newly" dead or moved on the start page and in the filter: within this many days.
RECENT_DAYS = 7
# Characters of a URL shown in the list; the whole URL is in the title and on the detail page.
URL_SHOWN_CHARS = 60


def recently(kind: str, *, now=None):
    """Sources that became dead (``kind="dead"``), moved (``"moved"``) or changed or corrected since cited
    (``"changed"``, attribution/snapshots/drift.py) in the last RECENT_DAYS, still so."""
    since = (now or timezone.now()) - dt.timedelta(days=RECENT_DAYS)
    if kind == "dead":
        return SourceURL.objects.filter(status=SourceURL.Status.DEAD, became_dead_at__gte=since)
    if kind == "moved":
        return SourceURL.objects.filter(status=SourceURL.Status.REDIRECTED, became_redirected_at__gte=since)
    if kind == "changed":
        drifted = (SourceURL.Drift.CHANGED, SourceURL.Drift.CORRECTED)
        return SourceURL.objects.filter(drift__in=drifted, drift_detected_at__gte=since)
    raise ValueError(f"unknown kind {kind!r}")


class RecentChangeFilter(admin.SimpleListFilter):
    title = _("changed recently")
    parameter_name = "newly"

    def lookups(self, request, model_admin):
        return [
            ("dead", _("Dead in the last %(days)d days") % {"days": RECENT_DAYS}),
            ("moved", _("Moved in the last %(days)d days") % {"days": RECENT_DAYS}),
            ("changed", _("Changed or corrected in the last %(days)d days") % {"days": RECENT_DAYS}),
        ]

    def queryset(self, request, queryset):
        if self.value() in ("dead", "moved", "changed"):
            return queryset.filter(pk__in=recently(self.value()).values("pk"))
        return queryset


def check_messages(*, checked: int, queued: int, busy: int) -> list[tuple[int, str]]:
    """What to tell the editor after "Check now": what ran, what waits for a worker, what was already running."""
    said = [
        (messages.SUCCESS, ngettext("%(count)d link checked.", "%(count)d links checked.", checked), checked),
        (
            messages.SUCCESS,
            ngettext("%(count)d link queued for a check.", "%(count)d links queued for a check.", queued),
            queued,
        ),
        (
            messages.WARNING,
            ngettext("%(count)d link is already being checked.", "%(count)d links are already being checked.", busy),
            busy,
        ),
    ]
    return [(level, text % {"count": count}) for level, text, count in said if count]


class LinkCheckAdminMixin:
    """List columns, the "Check now" action and the detail page's "Check now" button of SourceURLAdmin."""

    @admin.display(description=_("URL"), ordering="url")
    def shown_url(self, source):
        shown = unicode_url(source.url)
        return format_html('<span title="{}">{}</span>', shown, Truncator(shown).chars(URL_SHOWN_CHARS))

    @admin.display(description=_("host"), ordering="host")
    def shown_host(self, source):
        return display_host(source.host) or "—"

    @admin.display(description=_("failure kind"), ordering="failure_kind")
    def failure(self, source):
        """The failure kind with the HTTP status beside it, in one column to leave room for the URL."""
        if not source.failure_kind:
            return str(source.http_status) if source.http_status else "—"
        if source.http_status:
            return format_html("{} <small>({})</small>", source.get_failure_kind_display(), source.http_status)
        return source.get_failure_kind_display()

    @admin.display(description=_("failing since"), ordering="first_failure_at")
    def failing_since(self, source):
        return when(source.first_failure_at)

    @admin.display(description=_("last checked"), ordering="last_checked_at")
    def last_checked(self, source):
        return when(source.last_checked_at)

    @admin.action(description=_("Check now"), permissions=["change"])
    def check_now(self, request, queryset):
        self.check_and_report(request, list(queryset.values_list("id", flat=True)))

    def check_and_report(self, request, source_ids: list[int]) -> None:
        """Ask for a check through the service, then say truthfully whether it ran (no broker) or waits."""
        started = timezone.now()
        claimed = request_check(source_ids, actor=request.user)
        # Without a broker the check ran in-process once the claim committed; with one it waits for a worker.
        checked = SourceURL.objects.filter(pk__in=claimed, last_checked_at__gte=started).count()
        said = check_messages(checked=checked, queued=len(claimed) - checked, busy=len(source_ids) - len(claimed))
        for level, text in said:
            self.message_user(request, text, level)

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/check/",
                self.admin_site.admin_view(require_POST(self.check_view)),
                name="attribution_sourceurl_check",
            )
        ]
        return own + super().get_urls()

    def check_view(self, request, object_id):
        """The detail page's "Check now" button (POST; needs attribution.change_sourceurl)."""
        source = self.get_object(request, unquote(object_id))
        if source is None:
            raise Http404(_("No such source URL."))
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        self.check_and_report(request, [source.pk])
        return redirect(reverse("admin:attribution_sourceurl_change", args=[source.pk]))
