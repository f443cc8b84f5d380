"""Every behaviour of the local server, through the batch service: the SourceURL status and failure kind stored."""

import pytest

from attribution.linkcheck.services import run_batch
from attribution.models import LinkCheck
from tests.linkcheck.factories import DueSourceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "status", "failure_kind"),
    [
        ("/story", "ok", ""),
        ("/moved-301", "redirected", ""),
        ("/moved-308", "redirected", ""),
        ("/temp-1", "ok", ""),
        ("/loop-a", "failing", "too_many_redirects"),
        ("/missing", "failing", "http_4xx"),
        ("/gone", "failing", "http_4xx"),
        ("/broken", "failing", "http_5xx"),
        ("/busy", "failing", "http_5xx"),
        ("/too-many", "failing", "rate_limited"),
        ("/no-head", "ok", ""),
        ("/cloudflare", "blocked", "bot_wall"),
        ("/linkedin", "blocked", "bot_wall"),
        ("/browsers-only", "ok", ""),
        ("/news/2019/old-story", "failing", "soft_404"),
        # The one GET reads a page's first bytes: a drip that never gets to the title times out (soft).
        ("/slow-drip", "failing", "timeout"),
        ("/endless", "ok", ""),
    ],
)
def test_each_behaviour_is_stored_with_its_status_and_kind(server, loopback_settings, path, status, failure_kind):
    source = DueSourceFactory(url_as_cited=server.url(path))
    run_batch(None, [source.pk])
    source.refresh_from_db()
    assert (source.status, source.failure_kind) == (status, failure_kind)
    assert LinkCheck.objects.get(source_url=source).status == status


@pytest.mark.parametrize(
    ("path", "status", "failure_kind"), [("/slow-drip", "failing", "timeout"), ("/endless", "ok", "")]
)
def test_bodies_read_by_get_are_bounded_in_time_and_size(server, loopback_settings, path, status, failure_kind):
    loopback_settings.LINKCHECK_READ_TITLES = "always"
    loopback_settings.LINKCHECK_MAX_BODY_BYTES = 64 * 1024
    source = DueSourceFactory(url_as_cited=server.url(path))
    run_batch(None, [source.pk])
    source.refresh_from_db()
    assert (source.status, source.failure_kind) == (status, failure_kind)


def test_a_not_found_page_on_a_site_that_serves_missing_pages_is_stored_as_a_soft_404(server, loopback_settings):
    source = DueSourceFactory(url_as_cited=server.soft_404_url("/news/removed-story"))
    run_batch(None, [source.pk])
    source.refresh_from_db()
    assert (source.status, source.failure_kind, source.http_status) == ("failing", "soft_404", 200)


def test_a_failing_link_whose_server_mishandles_head_is_confirmed_by_get_and_recovers(server, loopback_settings):
    """Even where HEAD has worked on the site, a failing link's HEAD 404 is checked again with GET."""
    loopback_settings.LINKCHECK_READ_TITLES = "auto"  # HEAD first (the default sends one GET)
    loopback_settings.LINKCHECK_PER_HOST_CONCURRENCY = 1  # the healthy one (lower id) is answered first
    healthy = DueSourceFactory(url_as_cited=server.url("/data.csv"))
    failing = DueSourceFactory(url_as_cited=server.url("/head-404"), status="failing", consecutive_failures=2)
    run_batch(None, [healthy.pk, failing.pk])
    failing.refresh_from_db()
    assert (failing.status, failing.consecutive_failures) == ("ok", 0)
    assert [r.method for r in server.requests_for("/head-404")] == ["HEAD", "GET"]


@pytest.mark.parametrize(
    ("url", "status", "failure_kind"),
    [
        ("http://127.0.0.1:{refused_port}/story", "failing", "refused"),
        ("https://127.0.0.1:{tls_port}/story", "failing", "tls"),
        ("https://no-such-outlet.invalid/story", "failing", "dns"),
    ],
)
def test_network_failures_are_stored(server, loopback_settings, url, status, failure_kind):
    source = DueSourceFactory(url_as_cited=url.format(refused_port=server.refused_port, tls_port=server.tls_port))
    run_batch(None, [source.pk])
    source.refresh_from_db()
    assert (source.status, source.failure_kind) == (status, failure_kind)


def test_a_private_address_is_stored_as_invalid(server, settings):
    settings.LINKCHECK_ALLOW_PRIVATE_HOSTS = False
    source = DueSourceFactory(url_as_cited=f"http://2130706433:{server.port}/story")
    run_batch(None, [source.pk])
    source.refresh_from_db()
    assert (source.status, source.failure_kind) == ("invalid", "private_address")
    assert server.requests == []
