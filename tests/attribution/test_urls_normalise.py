import pytest

from attribution.urls_normalise import display_host, host_suffixes, normalise_url, publisher_host


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("https://Google.com/", "https://google.com/"),
        ("HTTP://Example.COM:80/a b", None),  # spaces: not a URL
        ("HTTPS://Example.COM:443/Story?id=1#comments", "https://example.com/Story?id=1"),
        ("https://bücher.example/buch", "https://xn--bcher-kva.example/buch"),
        ("www.example.com/story", "https://www.example.com/story"),
        ("https://example.com/a/../b", "https://example.com/b"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
    ],
)
def test_it_normalises_case_idn_default_ports_and_fragments(written, normalised):
    result = normalise_url(written)
    if normalised is None:
        assert not result.is_valid
    else:
        assert result.is_valid, result.invalid_reason
        assert result.url == normalised


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("ftp://files.example.com/a.pdf", "Not a web link"),
        ("mailto:desk@example.com", "Not a web link"),
        ("javascript:alert(1)", "Not a web link"),
        ("https//example.com/x", "not a valid host"),
        ("http:/example.com", "Malformed web address"),
        ("Associated Press", "Not a URL"),
        ("https://exa_mple.com/", "not a valid host"),
        ("https://example.com:99999/", "cannot be parsed"),
        ("", "Empty"),
    ],
)
def test_it_explains_why_a_url_is_invalid(written, reason):
    result = normalise_url(written)
    assert not result.is_valid
    assert reason in result.invalid_reason


@pytest.mark.parametrize(
    ("written", "homepage"),
    [
        ("https://Google.com/", True),
        ("https://google.com", True),
        ("https://example.com/index.html", True),
        ("https://example.com/?page=2", False),
        ("https://example.com/news/story-1", False),
    ],
)
def test_a_bare_homepage_is_recognised(written, homepage):
    assert normalise_url(written).is_homepage is homepage


def test_spellings_of_one_url_share_a_hash():
    assert normalise_url("https://Example.com:443/a#x").url_hash == normalise_url("https://example.com/a").url_hash


def test_publisher_hosts():
    assert publisher_host("WWW.abcnews.go.com") == "abcnews.go.com"
    assert host_suffixes("www.video.abcnews.go.com") == ["video.abcnews.go.com", "abcnews.go.com", "go.com"]
    assert display_host("xn--bcher-kva.example") == "bücher.example"


def test_the_host_step_is_cached_and_gives_what_url_normalize_gives():
    """url-normalize's host step (idna per label) is cached per host: the same answers, computed once a host."""
    import importlib

    from url_normalize.normalize_host import normalize_host as uncached

    module = importlib.import_module("url_normalize.url_normalize")
    cached = module.normalize_host
    cached.cache_clear()
    hosts = ["WWW.Example.COM.", "bücher.example", "ﻣﺜﺎﻝ.إختبار", "[2001:DB8::1]", "xn--bcher-kva.example"]
    for host in hosts * 3:
        assert cached(host) == uncached(host)
    assert cached.cache_info().misses == len(hosts)
    # normalise_url goes through it: a second URL on the same host asks idna nothing.
    assert normalise_url("https://www.Outlet.example/cached-a").url == "https://www.outlet.example/cached-a"
    assert normalise_url("https://www.Outlet.example/cached-b").url == "https://www.outlet.example/cached-b"
    assert cached.cache_info()[:2] == (2 * len(hosts) + 1, len(hosts) + 1)
