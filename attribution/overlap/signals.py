"""A new snapshot wakes the overlap task, whoever stored it (first citation, drift, an editor).

A signal rather than a call in the snapshot code: overlap is a reader of snapshots, and the snapshot
code should not need to know every reader. A snapshot written without ``save()`` (``bulk_create``) sends no
signal; the sweep computes its pairs on its next run.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from attribution.overlap.services import snapshot_stored
from attribution.snapshots.models import SourceSnapshot


@receiver(post_save, sender=SourceSnapshot, dispatch_uid="overlap-snapshot-stored")
def _snapshot_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:  # raw: loaddata, where nothing else should run
        snapshot_stored(instance.pk)
