"""Where snapshot files go: the "snapshots" entry of STORAGES (local disk by default, S3 by setting).

A callable, so a FileField's storage follows settings at run time (and in tests) and the
migration does not freeze a storage class.
"""

from django.core.files.storage import storages


def snapshot_storage():
    return storages["snapshots"]
