"""Fixtures for link-check tests: the local server, a checker config pointed at it, named sources."""

import pytest

from attribution.linkcheck.checker import CheckerConfig
from tests.linkcheck.server import LinkServer


@pytest.fixture(scope="session")
def link_server(tmp_path_factory):
    server = LinkServer()
    server.start(tmp_path_factory.mktemp("tls"))
    yield server
    server.stop()


@pytest.fixture
def server(link_server):
    """The session's server with a fresh request log."""
    link_server.requests.clear()
    link_server.most_in_flight.clear()
    link_server.slow_seconds = 1.0
    link_server.archived.clear()
    return link_server


@pytest.fixture
def loopback_config():
    """Checker settings for the loopback server: private hosts allowed, short timeouts, no politeness delay."""
    return CheckerConfig.from_settings(
        allow_private=True, total_timeout=1.5, connect_timeout=1.0, per_host_interval=0, max_retry_after=0
    )


@pytest.fixture
def loopback_settings(settings):
    """Django settings for tests that go through services, tasks or the command against the loopback server."""
    settings.LINKCHECK_ALLOW_PRIVATE_HOSTS = True
    settings.LINKCHECK_TOTAL_TIMEOUT = 1.5
    settings.LINKCHECK_CONNECT_TIMEOUT = 1.0
    settings.LINKCHECK_PER_HOST_INTERVAL_MS = 0
    settings.LINKCHECK_MAX_RETRY_AFTER_SECONDS = 0
    return settings
