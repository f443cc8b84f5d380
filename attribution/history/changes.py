"""Field-level before/after between consecutive history rows of one record, for the admin and the API.

A row is compared with the row before it (same record, older). A record's
first row ("created", or the baseline kept before its first recorded change)
shows what it started with; a deletion shows what it had.
"""

from django.db.models import Q

CREATED, DELETED = "+", "-"


def tracked_names(record) -> list[tuple[str, str]]:
    """(field name, attribute) of what a row tracks, its source list last for articles."""
    names = [(f.name, f.attname) for f in record.tracked_fields if not f.primary_key]
    if hasattr(record, "sources"):
        names.append(("sources", "sources"))
    return names


def field_changes(record, previous) -> list[dict]:
    """``[{field, before, after}]`` from ``previous`` (None: none kept) to ``record``; unchanged fields left out."""
    changes = []
    for name, attname in tracked_names(record):
        value = getattr(record, attname)
        if record.history_type == DELETED:
            before, after = value, None
        elif previous is None:
            before, after = None, value
        else:
            before, after = getattr(previous, attname), value
        if before != after and not (previous is None and record.history_type != DELETED and _empty(value)):
            changes.append({"field": name, "before": before, "after": after})
    return changes


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def older_than(queryset, record):
    """The row just before ``record`` in (history_date, history_id) order, from ``queryset`` (one record's rows)."""
    earlier = Q(history_date__lt=record.history_date) | Q(history_date=record.history_date, history_id__lt=record.pk)
    return queryset.filter(earlier).order_by("-history_date", "-history_id").first()


def with_changes(records: list, queryset) -> list[tuple[object, list[dict]]]:
    """Each row of a page (newest first) with its changes; one query finds the row before the page's last."""
    if not records:
        return []
    previous = records[1:] + [older_than(queryset, records[-1])]
    return [(record, field_changes(record, before)) for record, before in zip(records, previous, strict=True)]
