"""Where snapshot files go: the "snapshots" entry of STORAGES (local disk by default, S3 by setting).

FileField calls a storage callable once, when the model class is built, and keeps what it
returns; so this returns a lazy proxy (as Django's own default_storage is) that resolves the
entry on first use and again after a test overrides STORAGES. The callable keeps the migration
from freezing a storage class.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _SnapshotStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["snapshots"]


_snapshot_storage = _SnapshotStorage()


@receiver(setting_changed)
def _forget_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _snapshot_storage._wrapped = empty


def snapshot_storage():
    return _snapshot_storage
