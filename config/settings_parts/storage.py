"""Where files live (README "Storage"): included into config/settings.py by django-split-settings.

Runs in the settings module's namespace, so it reads and updates STORAGES defined there.
Local disk under MEDIA_ROOT stays the default; setting STORAGE_S3_BUCKET moves request
attachments ("default") and source snapshots ("snapshots") to S3-compatible object storage,
which web and worker machines then share.
"""

# ruff: noqa: F821
from config.env import env_choice, env_float, env_str

STORAGE_S3_BUCKET = env_str("STORAGE_S3_BUCKET")
if STORAGE_S3_BUCKET:
    from botocore.config import Config as _BotoConfig

    # A bounded wait: a stalled object store must not hold a web worker or a task for ever.
    _timeout = env_float("STORAGE_S3_TIMEOUT", 30.0, minimum=1.0)
    _s3 = {
        # Empty: Amazon S3 itself. Otherwise MinIO, Ceph, R2… as https://host[:port].
        "endpoint_url": env_str("STORAGE_S3_ENDPOINT_URL") or None,
        "region_name": env_str("STORAGE_S3_REGION") or None,
        # Unset keys fall back to AWS_S3_ACCESS_KEY_ID / AWS_ACCESS_KEY_ID (and their secrets),
        # then to boto3's own chain (instance role, ~/.aws), so a machine role needs no key here.
        "access_key": env_str("STORAGE_S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("STORAGE_S3_SECRET_ACCESS_KEY") or None,
        "client_config": _BotoConfig(
            # "path" for most self-hosted S3 servers, which have no per-bucket host names.
            s3={"addressing_style": env_choice("STORAGE_S3_ADDRESSING_STYLE", "auto", ("auto", "path", "virtual"))},
            signature_version="s3v4",
            connect_timeout=_timeout,
            read_timeout=_timeout,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
        # Files up to this size are read back in memory, bigger ones spill to a temporary file.
        "max_memory_size": 10 * 1024 * 1024,
    }
    # A bucket and a key prefix per entry (both optional: names already start with takedowns/ or
    # snapshots/), so lifecycle rules and access policies can treat the two apart.
    for _entry, _name in (("default", "ATTACHMENTS"), ("snapshots", "SNAPSHOTS")):
        STORAGES[_entry] = {
            "BACKEND": "config.object_storage.PrivateS3Storage",
            "OPTIONS": {
                **_s3,
                "bucket_name": env_str(f"STORAGE_S3_{_name}_BUCKET") or STORAGE_S3_BUCKET,
                "location": env_str(f"STORAGE_S3_{_name}_PREFIX").strip("/"),
            },
        }
