"""Robust Links (https://robustlinks.mementoweb.org/spec/) on public pages: where an archived copy of a cited page is.

``data-versionurl`` only ever names a public archive (the Wayback Machine copy in
SourceURL.archive_url): our own snapshots are private to staff, so a reader could not open
one. When only our snapshot exists, ``data-versiondate`` alone still tells a reader's tools
which version was cited, so they can look for it in any web archive.
"""

import datetime as dt
import re

from django.db.models import DateTimeField, F, Func

# https://web.archive.org/web/20240312101500/https://example.org/ → 2024-03-12 10:15:00 UTC.
# The 14 digits may carry a replay flag (20240312101500id_/, …im_/): the timestamp is still the first 14.
_WAYBACK_TIMESTAMP = re.compile(r"/web/(\d{14})(?:[a-z]{2}_)?/")


class _FirstSnapshotTakenAt(Func):
    """``(SELECT taken_at FROM <snapshots> WHERE source_url_id = <the row's> AND reason = 'first' ORDER BY
    taken_at LIMIT 1)``: the correlated subquery ``Subquery(first.order_by("taken_at").values("taken_at")[:1])``
    compiles to, written out.

    Built and compiled through a Subquery (a QuerySet with an OuterRef, resolved and compiled inside the
    citations' query) it cost the public article page about 0.4 ms of CPU per request, a tenth of the page
    (bench/README.md, "API under load"); this costs a few microseconds and asks the database the same.
    """

    output_field = DateTimeField()

    def __init__(self):
        super().__init__(F("source_url_id"))

    def as_sql(self, compiler, connection, **extra_context):
        from attribution.snapshots.models import SourceSnapshot

        source_column, params = compiler.compile(self.get_source_expressions()[0])
        meta, name = SourceSnapshot._meta, connection.ops.quote_name
        taken_at, source_url, reason = (
            name(meta.get_field(field).column) for field in ("taken_at", "source_url", "reason")
        )
        sql = (
            f"(SELECT U0.{taken_at} FROM {name(meta.db_table)} U0 WHERE U0.{source_url} = {source_column}"
            f" AND U0.{reason} = %s ORDER BY U0.{taken_at} ASC LIMIT 1)"
        )
        return sql, (*params, SourceSnapshot.Reason.FIRST.value)


def first_snapshot_taken_at():
    """An annotation for Citation rows: when the source's citation-time snapshot was taken (or None).

    A correlated subquery, so a page with any number of citations still costs one query for them.
    """
    return _FirstSnapshotTakenAt()


def wayback_timestamp(archive_url: str) -> dt.datetime | None:
    """When the Wayback Machine took the copy at ``archive_url`` (UTC), or None if the URL does not say."""
    match = _WAYBACK_TIMESTAMP.search(archive_url or "")
    if not match:
        return None
    try:
        return dt.datetime.strptime(match.group(1), "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:  # 14 digits that are no date (month 13…)
        return None


def version_attributes(archive_url: str, first_snapshot_at: dt.datetime | None) -> dict[str, str]:
    """The Robust Links attributes of one cited link: {"data-versionurl": …, "data-versiondate": …}, each if known.

    The date is an ISO 8601 day (YYYY-MM-DD), in UTC: the Wayback copy's when there is one, else our
    citation-time snapshot's.
    """
    attributes = {}
    if archive_url.startswith(("https://", "http://")):
        attributes["data-versionurl"] = archive_url
        when = wayback_timestamp(archive_url)
    else:
        when = None
    when = when or first_snapshot_at
    if when is not None:
        attributes["data-versiondate"] = when.astimezone(dt.UTC).date().isoformat()
    return attributes
