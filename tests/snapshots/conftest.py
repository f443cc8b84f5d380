"""Fixtures for snapshot tests: the local news site, loopback-friendly settings, a source that works."""

import pytest

from tests.linkcheck.factories import OkSourceFactory
from tests.snapshots.server import SnapshotSite


@pytest.fixture(scope="session")
def snapshot_site():
    site = SnapshotSite()
    site.start()
    yield site
    site.stop()


@pytest.fixture
def site(snapshot_site, settings):
    """The session's site with its pages restored, and settings that let the guard reach 127.0.0.1."""
    snapshot_site.reset()
    settings.LINKCHECK_ALLOW_PRIVATE_HOSTS = True
    settings.LINKCHECK_CONNECT_TIMEOUT = 2.0
    settings.SNAPSHOTS_TIMEOUT = 10.0
    settings.SNAPSHOTS_ENABLED = True
    settings.SNAPSHOTS_STORAGE_BUDGET_BYTES = 0
    return snapshot_site


@pytest.fixture
def working_source(site):
    """A source the link checker found OK: the site's article."""

    def make(path: str = "/article", **fields):
        return OkSourceFactory(url_as_cited=site.url(path), **fields)

    return make
