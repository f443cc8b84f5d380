"""The public transparency report at /transparency/: aggregate figures only, never a requester's data.

Counts per month by request type (received, by the month the email was
confirmed) and by result (closed, by the month closed), the median days from
submission to decision, and the number of articles removed. Unconfirmed and
expired requests are not counted: they never reached the editors.
"""

import csv
import datetime as dt
import statistics

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control

from attribution.models import Article
from takedowns.models import TakedownRequest

Status = TakedownRequest.Status
TYPES = TakedownRequest.RequestType
# What became of a closed request: the outcome when something was done, else how it closed. A reinstated
# request counts as reinstated, not under the outcome it undid: its article is back, and "Articles removed"
# (which counts articles removed now) must agree with the table.
RESULTS = [
    *TakedownRequest.Outcome.choices,
    (Status.REINSTATED.value, _("Reinstated")),
    (Status.REJECTED.value, _("Rejected")),
    (Status.WITHDRAWN.value, _("Withdrawn")),
    (Status.DUPLICATE.value, _("Duplicate")),
    (Status.SPAM.value, _("Spam")),
]
TYPE_COLOURS = {
    "copyright": "#b42318",
    "attribution": "#1d4ed8",
    "factual_correction": "#15803d",
    "privacy": "#7e22ce",
    "other": "#6b7280",
}


def _month(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return value.replace(day=1)


def _months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def figures() -> dict:
    """Every figure of the report: {"months": [{"month", "received": {type: n}, "closed": {result: n}}], …}."""
    confirmed = TakedownRequest.objects.filter(submitted_at__isnull=False).order_by()
    received = (
        confirmed.annotate(month=TruncMonth("submitted_at")).values("month", "request_type").annotate(n=Count("id"))
    )
    closed = (
        confirmed.filter(closed_at__isnull=False)
        .annotate(month=TruncMonth("closed_at"))
        .values("month", "status", "outcome")
        .annotate(n=Count("id"))
    )
    rows: dict[dt.date, dict] = {}

    def row(month):
        return rows.setdefault(
            _month(month), {"received": dict.fromkeys(TYPES.values, 0), "closed": dict.fromkeys(dict(RESULTS), 0)}
        )

    for item in received:
        row(item["month"])["received"][item["request_type"]] += item["n"]
    for item in closed:
        result = item["outcome"] if item["status"] == Status.ACTIONED else item["status"]
        if result in dict(RESULTS):
            row(item["month"])["closed"][result] += item["n"]
    months = _months_between(min(rows), max(rows)) if rows else []
    return {
        "months": [{"month": m, **(rows.get(m) or row(m))} for m in months],
        "median_days_to_decision": _median_days(confirmed),
        "articles_removed": Article.objects.filter(status=Article.Status.REMOVED).count(),
        "total_received": confirmed.count(),
    }


def _median_days(confirmed) -> float | None:
    spans = [
        (decided - submitted).total_seconds() / 86400
        for submitted, decided in confirmed.filter(decided_at__isnull=False).values_list("submitted_at", "decided_at")
    ]
    return round(statistics.median(spans), 1) if spans else None


# The chart is drawn at the width of a 320 px phone's column and never scaled down: one row per
# month (horizontal bars), so more months make it taller, not narrower, and its 12 px labels stay readable.
CHART_WIDTH, CHART_ROW, CHART_LABEL, CHART_COUNT = 288, 22, 62, 30


def chart(months: list[dict]) -> dict:
    """A stacked horizontal bar per month of requests received by type, as SVG rectangles (drawn by the template)."""
    peak = max((sum(m["received"].values()) for m in months), default=0) or 1
    scale = (CHART_WIDTH - CHART_LABEL - CHART_COUNT) / peak
    rows = []
    for index, month in enumerate(months):
        top, x, segments = index * CHART_ROW, CHART_LABEL, []
        for request_type, count in month["received"].items():
            if count:
                width = max(count * scale, 1)
                segments.append(
                    {
                        "x": round(x, 1),
                        "w": round(width, 1),
                        "colour": TYPE_COLOURS[request_type],
                        "title": f"{month['month']:%Y-%m} {TYPES(request_type).label}: {count}",
                    }
                )
                x += width
        rows.append(
            {
                "label": f"{month['month']:%b %Y}",
                "y": top + 4,
                "h": CHART_ROW - 8,
                "ty": top + CHART_ROW / 2 + 4,
                "tx": round(x + 4, 1),
                "total": sum(month["received"].values()),
                "segments": segments,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": max(len(months), 1) * CHART_ROW,
        "rows": rows,
        "axis_x": CHART_LABEL,
        "legend": [(TYPE_COLOURS[value], label) for value, label in TYPES.choices],
    }


@cache_control(max_age=300, public=True)
def transparency_report(request):
    data = figures()
    shown = data["months"][-settings.TAKEDOWNS_TRANSPARENCY_MONTHS :]
    context = {**data, "shown_months": shown, "chart": chart(shown), "types": TYPES.choices, "results": RESULTS}
    return render(request, "takedowns/transparency.html", context)


@cache_control(max_age=300, public=True)
def transparency_csv(request):
    data = figures()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="citewatch-transparency.csv"'
    writer = csv.writer(response)
    writer.writerow(["month", *[f"received_{v}" for v in TYPES.values], *[f"closed_{v}" for v, _label in RESULTS]])
    for month in data["months"]:
        writer.writerow(
            [f"{month['month']:%Y-%m}", *month["received"].values(), *[month["closed"][v] for v, _label in RESULTS]]
        )
    return response
