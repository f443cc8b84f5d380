"""Publisher changes editors make beyond renaming: merging duplicates into one."""

from django.db import transaction

from attribution.history.record import credits_actor, ensure_baseline, record_changes
from attribution.models import Publisher, SourceURL


@credits_actor
@transaction.atomic
def merge_publishers(target: Publisher, duplicates: list[Publisher], *, actor) -> int:
    """Move every source of ``duplicates`` to ``target``, then delete them. Returns the number of sources moved.

    On the record, credited to ``actor``: each moved source (publisher
    before/after), each deleted publisher (what it had) and the target (the
    hosts merged into it). ``target`` among ``duplicates`` is ignored.
    """
    duplicates = [p for p in duplicates if p.pk != target.pk]
    if not duplicates:
        return 0
    reason = f"merged into {target.host}"[:100]
    sources = list(SourceURL.objects.filter(publisher__in=duplicates).only("id", "url", "publisher"))
    ensure_baseline(sources)
    ensure_baseline([target, *duplicates])
    SourceURL.objects.filter(pk__in=[s.pk for s in sources]).update(publisher=target)
    for source in sources:
        source.publisher_id = target.pk
    record_changes(sources, via="service", reason=reason)
    for duplicate in duplicates:
        duplicate._change_reason = reason  # simple-history's deletion row reads it
        duplicate.delete()
    record_changes([target], via="service", reason=("merged " + ", ".join(p.host for p in duplicates))[:100])
    return len(sources)
