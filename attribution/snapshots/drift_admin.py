"""Drift in the source admin: the state on the source's page, a filter, and the side-by-side comparison.

``SourceURLAdmin`` (attribution/admin.py) mixes ``DriftAdminMixin`` in. The
comparison page shows the citation-time snapshot beside the newest one a drift
check kept, so it reads stored text only and never fetches the page.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from attribution.models import SourceURL
from attribution.snapshots.compare import similarity, title_similarity
from attribution.snapshots.models import SourceSnapshot
from attribution.snapshots.sidebyside import side_by_side, word_diff

DRIFT_FIELDS = ["drift_summary", "drift_checked_at", "drift_detected_at", "next_drift_check_at"]


class DriftAdminMixin:
    """The "Drift" fieldset's summary (with its link to the comparison) and the comparison page."""

    @admin.display(description=_("drift"))
    def drift_summary(self, source):
        if not source.drift:
            return _("Not compared yet")
        label = source.get_drift_display()
        if source.drift_score is not None:
            label = format_html("{} ({}: {})", label, _("similarity"), f"{source.drift_score:.0%}")
        link = reverse("admin:attribution_sourceurl_drift", args=[source.pk])
        notice = format_html('<br><q dir="auto">{}</q>', source.drift_notice) if source.drift_notice else ""
        return format_html('{}{}<br><a href="{}">{}</a>', label, notice, link, _("Compare cited text with now"))

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/drift/",
                self.admin_site.admin_view(self.drift_view),
                name="attribution_sourceurl_drift",
            )
        ]
        return own + super().get_urls()

    def drift_view(self, request, object_id):
        """The cited text and the newest drift snapshot side by side (staff who may view source URLs)."""
        source = self.get_object(request, unquote(object_id))
        if source is None:
            raise Http404(_("No such source URL."))
        if not self.has_view_permission(request, source):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            **comparison(source),
            "title": _("Cited text and now"),
            "opts": SourceURL._meta,
            "original": source,
        }
        return TemplateResponse(request, "admin/attribution/sourceurl/drift.html", context)


def comparison(source: SourceURL) -> dict:
    """What the comparison page shows: both snapshots, their titles marked, the rows, and the scores."""
    # Here, not at the top: the snapshot services import the capture code (aiohttp, lxml, warcio),
    # which the admin would otherwise load at start-up for this one query.
    from attribution.snapshots.services import first_snapshot

    cited = first_snapshot(source)
    later = source.snapshots.exclude(reason=SourceSnapshot.Reason.FIRST).order_by("-taken_at", "-pk").first()
    if cited is None or later is None:
        return {"cited": cited, "later": later, "rows": []}
    title_before, title_after = word_diff(cited.title, later.title)
    return {
        "cited": cited,
        "later": later,
        "title_before": title_before,
        "title_after": title_after,
        "rows": side_by_side(cited.text, later.text),
        "similar": similarity(cited.text, later.text),
        "title_score": title_similarity(cited.title, later.title),
    }
