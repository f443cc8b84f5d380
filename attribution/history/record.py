"""Writing history rows where no signal fires: the import's bulk writes and the ``queryset.update()`` services.

Rows are built from the instances in memory, as ``bulk_create`` on the
historical model: one INSERT per batch, plus one SELECT when a tracked field
was not loaded (the import loads only what it compares). Saves through
``Model.save()`` are recorded by simple-history's signals; ``label_signal_row``
gives those rows the same "through what" and source list.
"""

import functools

from django.conf import settings
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from attribution.history.context import MAX_VIA, current_user, current_via, recording
from attribution.importing.fields import source_parts
from attribution.importing.rows import converted, row_getter
from attribution.importing.rows import insert as insert_rows
from attribution.models import Article, Citation
from attribution.urls_normalise import normalise_url

# The "through what" of a record's first row when it predates its history: its state just before the change.
BASELINE = "state before the first recorded change"


def enabled() -> bool:
    return getattr(settings, "SIMPLE_HISTORY_ENABLED", True)


def credits_actor(service):
    """Decorate a service taking ``actor=``: the history rows written inside credit that user."""

    @functools.wraps(service)
    def wrapper(*args, actor=None, **kwargs):
        with recording(user=actor):
            return service(*args, actor=actor, **kwargs)

    return wrapper


def record_import(to_create: list, to_update: list) -> None:
    """One row per article an import batch created or updated ((article, input) pairs), with its sources as cited.

    Through what: the input's origin (file, "jsonl:file:line", "api", a
    feed, "request #12"), else the enclosing recording's label.
    """
    if not enabled() or not (to_create or to_update):
        return
    # Looked up once: each ``Model.history`` access builds a new manager class.
    now, user, history_model = timezone.now(), current_user(), Article.history.model
    pairs = [(item, "+") for _a, item in to_create] + [(item, "~") for _a, item in to_update]
    names, values = _tracked_rows(Article, [article for article, _item in to_create + to_update])
    fallback = current_via("import")
    rows = [
        (*fields, kind, (item.origin or fallback)[:MAX_VIA], [_history_entry(entry) for entry in item.sources])
        for (item, kind), fields in zip(pairs, values, strict=True)
    ]
    constants = {"history_date": now, "history_user_id": getattr(user, "pk", None), "history_change_reason": None}
    _insert_tuples(history_model, [*names, "history_type", "history_via", "sources"], rows, constants)


def record_changes(instances: list, *, via: str = "", reason: str = "", history_type: str = "~") -> None:
    """One row per instance, as it is now, after a write that sent no signal (``update()``, ``bulk_update``).

    ``via`` is the fallback label when no recording names one. Articles get
    their current source list (one query for all of them).
    """
    if enabled() and instances:
        _write(instances, history_type, via=current_via(via), user=current_user(), reason=reason)


def _write(instances: list, history_type: str, *, via: str, user, reason: str) -> None:
    model = type(instances[0])
    now = timezone.now()
    values = _tracked_values(model, instances)
    sources = _source_lists([i.pk for i in instances]) if model is Article else {}
    extra = (lambda pk: {"sources": sources.get(pk, [])}) if model is Article else (lambda pk: {})
    _insert(
        model.history.model,
        [
            _row(fields, history_type, now=now, user=user, via=via, reason=reason, **extra(instance.pk))
            for instance, fields in zip(instances, values, strict=True)
        ],
    )


def record_created(queryset, *, via: str = "") -> None:
    """A "created" row for each record in ``queryset``, just inserted with ``bulk_create``."""
    if enabled():
        record_changes(list(queryset), via=via, history_type="+")


def ensure_baseline(instances: list) -> None:
    """Before changing records that may predate their history, keep their current state as a first row.

    Without it, a record's first recorded change would have no "before".
    One query when every record already has history.
    """
    if not enabled() or not instances:
        return
    model = type(instances[0])
    known = set(model.history.filter(id__in=[i.pk for i in instances]).values_list("id", flat=True).distinct())
    fresh = [i for i in instances if i.pk not in known]
    if fresh:
        # Nobody made this state now: no user, and "baseline" whatever the entry point.
        _write(fresh, "+", via="baseline", user=None, reason=BASELINE)


def _row(fields: dict, history_type: str, *, now, user, via: str, reason: str = "", **extra) -> dict:
    return {
        "history_date": now,
        "history_type": history_type,
        "history_user_id": getattr(user, "pk", None),
        "history_via": via[:MAX_VIA],
        "history_change_reason": reason[:100] or None,
        **fields,
        **extra,
    }


def _insert(history_model, rows: list[dict]) -> None:
    """Insert history rows (column attname → value; every row the same names), as ``_insert_tuples``."""
    if rows:
        names = list(rows[0])
        _insert_tuples(history_model, names, [[row[name] for name in names] for row in rows], {})


def _insert_tuples(history_model, names: list[str], rows: list, constants: dict) -> None:
    """Insert history rows (``names`` values each, plus ``constants`` for all) with one COPY or executemany.

    Like the import's citations (importing/rows.py): building a model instance
    per row and letting ``bulk_create`` compile it cost more than the import's
    own article insert. The table is filled column by column; only dates and
    JSON need the backend's conversion, and each repeated value (a batch's one
    ``history_date``, most dates) is converted once.
    """
    if not rows:
        return
    fields = [f for f in history_model._meta.concrete_fields if not f.primary_key]
    given = {name: position for position, name in enumerate(names)}
    columns = []
    for field in fields:
        name = field.attname
        if name in given:
            position = given[name]
            column = [row[position] for row in rows]
        elif name in constants:
            column = [constants[name]] * len(rows)
        elif field.has_default() and callable(field.default):  # a fresh value each row (``list``, ``timezone.now``)
            column = [field.get_default() for _row in rows]
        else:
            column = [field.get_default()] * len(rows)
        if isinstance(field, models.DateField | models.JSONField):
            column = converted(field, column)
        columns.append(column)
    insert_rows(history_model._meta.db_table, [f.column for f in fields], list(zip(*columns, strict=True)))


def _tracked_values(model, instances: list) -> list[dict]:
    """Each instance's tracked field values; fields a ``only()`` left unloaded are read in one query, not one each."""
    names, rows = _tracked_rows(model, instances)
    return [dict(zip(names, row, strict=True)) for row in rows]


def _tracked_rows(model, instances: list) -> tuple[list[str], list[tuple]]:
    """The tracked attnames, and each instance's values of them in that order (see ``_tracked_values``)."""
    attnames = [field.attname for field in model.history.model.tracked_fields]
    wanted = set(attnames)
    # A subset test per instance; the set of what is missing is built only when something is.
    loaded = all(instance.__dict__.keys() >= wanted for instance in instances)
    missing = set() if loaded else set().union(*(wanted - instance.__dict__.keys() for instance in instances))
    if not missing:
        values = row_getter(attnames)
        return attnames, [values(instance.__dict__) for instance in instances]
    rows = model._default_manager.filter(pk__in=[i.pk for i in instances]).values("pk", *missing)
    loaded = {row.pop("pk"): row for row in rows}
    return attnames, [
        tuple(instance.__dict__[name] if name in instance.__dict__ else loaded[instance.pk][name] for name in attnames)
        for instance in instances
    ]


def source_entry(text: str, url: str) -> str:
    """One source of an article's list on its history: as written, or "link text (normalised URL)" for a link.

    The import (from its input) and the services (from the citations) write
    the same entry for the same source, so only real changes show as a diff.
    """
    normalised = normalise_url(url).url
    return text if normalise_url(text).url == normalised else f"{text} ({normalised})"


@functools.lru_cache(maxsize=65_536)
def _history_entry(entry: str) -> str:
    """``source_entry`` of an import's source entry (bare URL or ``[text](url)``); each distinct one worked out once."""
    url, text = source_parts(entry)
    return source_entry(text, url)


def _source_lists(article_ids: list[int]) -> dict[int, list[str]]:
    """Each article's sources, in order, as ``source_entry`` writes them."""
    lists: dict[int, list[str]] = {}
    citations = Citation.objects.filter(article_id__in=article_ids).order_by("article_id", "position")
    for article_id, text, url in citations.values_list("article_id", "text_as_written", "source_url__url"):
        lists.setdefault(article_id, []).append(source_entry(text, url))
    return lists


@receiver(pre_create_historical_record)
def label_signal_row(sender, instance, history_instance, **kwargs):
    """A row written by a save: through what (the recording, else admin/api by the path), and an article's sources."""
    history_instance.history_via = current_via()
    if isinstance(instance, Article):
        history_instance.sources = _source_lists([instance.pk]).get(instance.pk, [])
