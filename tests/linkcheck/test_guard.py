"""The SSRF guard, with LINKCHECK_ALLOW_PRIVATE_HOSTS false (the default): nothing inward is ever fetched."""

import dataclasses

import pytest

from attribution.lib.guard import RefusedURL, check_url
from attribution.linkcheck import classify as c
from attribution.linkcheck.checker import check_urls
from tests.linkcheck.resolvers import StaticResolver


@pytest.fixture
def guarded_config(loopback_config):
    return dataclasses.replace(loopback_config, allow_private=False)


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "[::1]", "0.0.0.0", "[::ffff:127.0.0.1]"],
)
def test_it_refuses_every_spelling_of_loopback(server, guarded_config, host):
    url = f"http://{host}:{server.port}/story"
    result = check_urls([url], config=guarded_config)[url]
    assert (result.outcome, result.failure_kind) == (c.INVALID, "private_address")
    assert server.requests == []


def test_it_refuses_localhost_after_resolving_it(server, guarded_config):
    url = f"http://localhost:{server.port}/story"
    result = check_urls([url], config=guarded_config)[url]
    assert (result.outcome, result.failure_kind) == (c.INVALID, "private_address")
    assert server.requests == []


@pytest.mark.parametrize(
    "address", ["10.0.0.8", "172.16.5.4", "192.168.1.1", "169.254.169.254", "224.0.0.1", "240.0.0.1", "fd00::1"]
)
def test_it_refuses_private_link_local_multicast_and_reserved_answers(guarded_config, address):
    url = "http://intranet.example/wiki"
    result = check_urls([url], config=guarded_config, resolver=StaticResolver({"intranet.example": [address]}))[url]
    assert (result.outcome, result.failure_kind) == (c.INVALID, "private_address")


def test_a_redirect_from_an_allowed_host_to_a_private_one_is_refused(server, guarded_config):
    # public.example is trusted by name and resolves (through the stub) to the
    # loopback server, which redirects to inward.example, a private address.
    server.private_target = "http://inward.example/admin"
    config = dataclasses.replace(guarded_config, private_hosts_allowed=frozenset({"public.example"}))
    resolver = StaticResolver({"public.example": ["127.0.0.1"], "inward.example": ["10.1.2.3"]})
    url = f"http://public.example:{server.port}/to-private"
    result = check_urls([url], config=config, resolver=resolver)[url]
    assert (result.outcome, result.failure_kind) == (c.INVALID, "private_address")
    assert [r.path for r in server.requests] == ["/to-private"]


def test_a_redirect_to_a_loopback_literal_is_refused_at_the_hop(server, guarded_config):
    server.private_target = f"http://2130706433:{server.port}/story"
    config = dataclasses.replace(guarded_config, private_hosts_allowed=frozenset({"public.example"}))
    url = f"http://public.example:{server.port}/to-private"
    result = check_urls([url], config=config, resolver=StaticResolver({"public.example": ["127.0.0.1"]}))[url]
    assert (result.outcome, result.failure_kind) == (c.INVALID, "private_address")
    assert server.requests_for("/story") == []


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("ftp://files.example/report.pdf", "bad_url"),
        ("javascript:alert(1)", "bad_url"),
        ("https://editor:secret@news.example/story", "bad_url"),
        ("https://user@news.example/story", "bad_url"),
        ("http:///no-host", "bad_url"),
        ("https://news.example:99999/x", "bad_url"),
    ],
)
def test_it_refuses_urls_it_must_not_fetch(url, kind):
    with pytest.raises(RefusedURL) as refused:
        check_url(url, allow_private=False)
    assert refused.value.kind == kind


def test_a_public_address_is_allowed(guarded_config):
    assert str(check_url("https://93.184.216.34/story#top", allow_private=False)) == "https://93.184.216.34/story"


def test_allow_private_lifts_the_guard_for_tests_and_intranets(server, loopback_config):
    url = f"http://127.1:{server.port}/story"
    assert check_urls([url], config=loopback_config)[url].outcome == c.OK


def test_the_setting_defaults_to_false():
    from config.settings import LINKCHECK_ALLOW_PRIVATE_HOSTS

    assert LINKCHECK_ALLOW_PRIVATE_HOSTS is False
