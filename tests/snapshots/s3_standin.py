"""A local S3 stand-in (moto's server on 127.0.0.1) and settings that put both file storages in it.

Fixtures are declared with ``name=`` so a test module imports ``s3_fixture`` and asks for ``s3``.
The storages are configured the way production configures them: the environment variables of
README "Storage" are set and config/settings_parts/storage.py is run on them, so these tests
exercise our settings code, django-storages and a real HTTP S3 API, not a mock.
"""

import copy
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.conftest import require_service

SETTINGS_PART = Path(django_settings.BASE_DIR) / "config" / "settings_parts" / "storage.py"


@pytest.fixture(scope="session", name="s3_server")
def s3_server_fixture():
    """moto's S3 server on a free port of 127.0.0.1, for the whole run. Fails under CI=true if it cannot start."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # moto is pinned in requirements.txt; a missing install must not pass in CI
        require_service("moto (the S3 stand-in)", str(exc))
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    try:
        server.start()
        host, port = server.get_host_and_port()
    except Exception as exc:  # any failure to start is the same missing service
        require_service("moto (the S3 stand-in)", repr(exc))
    yield f"http://{host}:{port}"
    server.stop()


def storages_from_env(monkeypatch, env: dict) -> dict:
    """STORAGES as config/settings_parts/storage.py builds it from ``env`` (and nothing else of ours)."""
    for name in ("STORAGE_S3_BUCKET", "STORAGE_S3_ENDPOINT_URL", "STORAGE_S3_REGION", "STORAGE_S3_ACCESS_KEY_ID"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace = {"STORAGES": copy.deepcopy(django_settings.STORAGES)}
    exec(compile(SETTINGS_PART.read_text(), str(SETTINGS_PART), "exec"), namespace)
    return namespace["STORAGES"]


@pytest.fixture(name="s3")
def s3_fixture(s3_server, settings, monkeypatch):
    """A fresh private bucket, with both storage entries ("default": attachments, "snapshots") in it.

    Returns a boto3 client on the stand-in, with ``.bucket`` set, to look inside the bucket.
    """
    import boto3

    bucket = f"citewatch-test-{uuid.uuid4().hex[:12]}"
    credentials = {"aws_access_key_id": "citewatch-test", "aws_secret_access_key": "citewatch-test-secret"}
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = storages_from_env(
        monkeypatch,
        {
            "STORAGE_S3_BUCKET": bucket,
            "STORAGE_S3_ENDPOINT_URL": s3_server,
            "STORAGE_S3_REGION": "us-east-1",
            "STORAGE_S3_ACCESS_KEY_ID": credentials["aws_access_key_id"],
            "STORAGE_S3_SECRET_ACCESS_KEY": credentials["aws_secret_access_key"],
            "STORAGE_S3_ADDRESSING_STYLE": "path",
            "STORAGE_S3_ATTACHMENTS_PREFIX": "newsroom/",
            "STORAGE_S3_SNAPSHOTS_PREFIX": "newsroom",
        },
    )
    client.bucket = bucket
    return client


def keys(s3) -> dict[str, bytes]:
    """Every object in the test bucket: key → content."""
    listing = s3.list_objects_v2(Bucket=s3.bucket).get("Contents", [])
    return {item["Key"]: s3.get_object(Bucket=s3.bucket, Key=item["Key"])["Body"].read() for item in listing}


@pytest.fixture(name="article")
def article_fixture(db):
    """A published article citing one source: what a request form needs."""
    from tests.attribution.factories import ArticleFactory, CitationFactory

    article = ArticleFactory(slug="harbour-cranes", headline="Harbour cranes return")
    CitationFactory(article=article, position=1)
    return article


@pytest.fixture(name="submit")
def submit_fixture(client, django_capture_on_commit_callbacks):
    """POST the public request form as a browser does, running after-commit work like a real request."""

    def post(data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/requests/new/", data)

    return post
