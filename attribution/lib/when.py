"""One way to show a moment in the admin: relative ("3 days ago"), the exact time on hover.

Used by every admin list and detail page (``when`` below, the ``|when`` template
filter in attribution/templatetags/citewatch_admin.py, and ``install`` in
attribution/admin_site.py for plain date fields), so editors never meet three
date formats on one screen. Exact times are in the site's time zone (TIME_ZONE).
"""

import datetime as dt

from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

EMPTY = "—"


def exact(value: dt.date | dt.datetime) -> str:
    """The full moment, e.g. "27 Nov 2026, 14:28 UTC" (a date alone: "27 Nov 2026")."""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "j M Y, H:i T" if timezone.is_aware(value) else "j M Y, H:i")
    return formats.date_format(value, "j M Y")


def relative(value: dt.date | dt.datetime, *, now: dt.datetime | None = None) -> str:
    """ "3 days ago", "in 2 hours", "just now"; for a date alone "today", "yesterday", "in 5 days"."""
    now = now or timezone.now()
    if not isinstance(value, dt.datetime):
        return _relative_day(value, timezone.localdate(now))
    if abs((value - now).total_seconds()) < 60:
        return _("just now")
    if value > now:
        return _("in %(delta)s") % {"delta": timeuntil(value, now, depth=1)}
    return _("%(delta)s ago") % {"delta": timesince(value, now, depth=1)}


def _relative_day(day: dt.date, today: dt.date) -> str:
    named = {0: _("today"), -1: _("yesterday"), 1: _("tomorrow")}
    days = (day - today).days
    if days in named:
        return named[days]
    # timesince counts whole days, weeks, months and years between two midnights.
    day_start, today_start = (dt.datetime.combine(d, dt.time(), tzinfo=dt.UTC) for d in (day, today))
    if days > 0:
        return _("in %(delta)s") % {"delta": timeuntil(day_start, today_start, depth=1)}
    return _("%(delta)s ago") % {"delta": timesince(day_start, today_start, depth=1)}


def when(value, *, now: dt.datetime | None = None):
    """``<time>`` with the relative moment as text and the exact one as its title; "—" for nothing."""
    if value in (None, ""):
        return EMPTY
    if not isinstance(value, dt.date):
        return value
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', value.isoformat(), exact(value), relative(value, now=now)
    )
