"""The history page of an article, publisher or source in the admin: who, when, through what, what changed."""

import difflib

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from attribution.history.changes import with_changes
from attribution.history.record import ensure_baseline

# Text longer than this is shown as a line diff rather than whole before and after.
LONG_TEXT = 200


class RecordHistoryAdmin(SimpleHistoryAdmin):
    """simple-history's page, with our changes column: every tracked field (the source list too), FKs by name."""

    history_list_display = ["via"]

    def via(self, record) -> str:
        return record.history_via or "—"

    def save_model(self, request, obj, form, change):
        if change:  # a record older than its history keeps its state before this first recorded change
            ensure_baseline([self.model._default_manager.get(pk=obj.pk)])
        super().save_model(request, obj, form, change)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)  # iterating the page turns it into a list the template reuses
        if not records:
            return
        queryset = self.model.history.filter(id=records[0].id)
        paired = with_changes(records, queryset)
        names = self._related_names(paired)
        for record, changes in paired:
            record.history_delta_changes = [self._shown(change, names) for change in changes]

    def _related_names(self, paired) -> dict[str, dict]:
        """For each foreign key changed on this page, its ids → display names, in one query per field."""
        ids: dict[str, set] = {}
        for _record, changes in paired:
            for change in changes:
                if isinstance(self._field(change["field"]), models.ForeignKey):
                    ids.setdefault(change["field"], set()).update(v for v in (change["before"], change["after"]) if v)
        return {name: _names(self._field(name).related_model, wanted) for name, wanted in ids.items()}

    def _field(self, name):
        try:
            return self.model._meta.get_field(name)
        except FieldDoesNotExist:  # "sources" is the historical row's own field
            return None

    def _shown(self, change: dict, names: dict) -> dict:
        field, before, after = change["field"], change["before"], change["after"]
        if field in names:
            before, after = names[field].get(before, before), names[field].get(after, after)
        if isinstance(before, list) or isinstance(after, list):
            return {"field": field, "old": "", "new": _line_diff(before or [], after or [])}
        if isinstance(before, str) and isinstance(after, str) and max(len(before), len(after)) > LONG_TEXT:
            return {"field": field, "old": "", "new": _line_diff(before.splitlines(), after.splitlines())}
        return {
            "field": field,
            "old": "—" if before in (None, "") else before,
            "new": "—" if after in (None, "") else after,
        }


def _line_diff(before: list[str], after: list[str]):
    """Lines removed (−) and added (+), with unchanged ones for context, as a small preformatted block."""
    lines = [line for line in difflib.ndiff([str(b) for b in before], [str(a) for a in after]) if line[:1] in "+- "]
    marks = {"+": "+", "-": "−", " ": " "}
    return format_html(
        '<pre class="cw-history-diff">{}</pre>',
        format_html_join("\n", "{} {}", ((marks[line[0]], line[2:]) for line in lines)),
    )


def _names(related, ids: set) -> dict:
    """ids → display names; a record deleted since (a merged publisher) is named from its last history row."""
    label = (lambda obj: obj.get_username()) if related is get_user_model() else str
    names = {obj.pk: label(obj) for obj in related._default_manager.filter(pk__in=ids)}
    gone = ids - names.keys()
    if gone and hasattr(related, "history"):
        for record in related.history.filter(id__in=gone).order_by("id", "-history_date", "-history_id"):
            if record.id not in names:
                names[record.id] = str(
                    related(**{f.attname: getattr(record, f.attname) for f in record.tracked_fields})
                )
    return names
