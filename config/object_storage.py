"""Object storage (S3 and compatibles) for files that are never public: request attachments and snapshots.

README "Storage": the bucket stays private and files reach people only through views that
check who is asking (takedowns.views.attachment_download, the snapshot downloads), which
stream the bytes themselves. A signed URL would be a bearer token to a legal record that
anyone it is forwarded to can use, so this storage never makes one.
"""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    # Fixed, not settings: a typo in an environment variable must not make files public.
    default_acl = "private"
    querystring_auth = True

    def get_default_settings(self):
        defaults = super().get_default_settings()
        # New names never replace an object (upload_to names are random; this guards the rest).
        defaults.update(default_acl="private", querystring_auth=True, file_overwrite=False)
        return defaults

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError(
            "Files in object storage are served through permission-checked views, never by URL (README 'Storage')."
        )
