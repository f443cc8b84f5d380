"""Which publisher a cited host belongs to, whatever order the hosts arrive in."""

import datetime as dt
import socket

import pytest

from attribution.lib import domains
from attribution.models import Publisher
from attribution.parsing import ArticleInput
from attribution.services import save_article

pytestmark = pytest.mark.django_db


def publishers_of(*urls: str) -> list[str]:
    """Import each URL in its own article, one after another, and return each source's publisher host."""
    hosts = []
    for n, url in enumerate(urls):
        article, _outcome = save_article(
            ArticleInput(headline=f"Story {n}", published_on=dt.date(2026, 1, 1), body="", sources=(url,))
        )
        hosts.append(article.citations.get().source_url.publisher.host)
    return hosts


@pytest.mark.parametrize(
    "urls",
    [
        ("https://news.bbc.co.uk/1/hi/uk/story", "https://www.bbc.co.uk/news/story"),
        ("https://www.bbc.co.uk/news/story", "https://news.bbc.co.uk/1/hi/uk/story"),
    ],
)
def test_subdomains_of_one_registered_domain_are_one_publisher_in_either_order(urls):
    assert publishers_of(*urls) == ["bbc.co.uk", "bbc.co.uk"]
    assert list(Publisher.objects.values_list("host", flat=True)) == ["bbc.co.uk"]


def test_hosts_arriving_in_one_batch_are_one_publisher_too():
    article, _outcome = save_article(
        ArticleInput(
            headline="Both",
            published_on=dt.date(2026, 1, 1),
            body="",
            sources=("https://news.bbc.co.uk/a", "https://www.bbc.co.uk/b", "https://bbc.co.uk/c"),
        )
    )
    assert {c.source_url.publisher.host for c in article.citations.all()} == {"bbc.co.uk"}


def test_a_configured_longer_publisher_still_wins():
    Publisher.objects.create(host="news.bbc.co.uk", name="BBC News")
    assert publishers_of("https://www.bbc.co.uk/sport", "https://news.bbc.co.uk/story") == [
        "bbc.co.uk",
        "news.bbc.co.uk",
    ]


def test_sites_under_a_shared_hosting_suffix_are_publishers_of_their_own():
    assert publishers_of("https://alice.github.io/post", "https://bob.github.io/post") == [
        "alice.github.io",
        "bob.github.io",
    ]


def test_a_host_under_a_top_level_domain_the_list_does_not_know_is_its_own_publisher():
    # No registrable domain to group by (".example" is reserved, not in the list): the host, without "www.".
    assert publishers_of("https://news.gazette.example/b", "https://www.harbour.example/a") == [
        "news.gazette.example",
        "harbour.example",
    ]


@pytest.mark.parametrize(
    ("host", "publisher"),
    [
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("WWW.BBC.CO.UK.", "bbc.co.uk"),
        ("abcnews.go.com", "go.com"),
        ("alice.github.io", "alice.github.io"),
        ("www.github.io", "github.io"),
        ("co.uk", "co.uk"),
        ("93.184.216.34", "93.184.216.34"),
        ("www.xn--e1afmkfd.xn--p1ai", "xn--e1afmkfd.xn--p1ai"),
    ],
)
def test_the_default_publisher_is_always_one_of_the_hosts_suffixes(host, publisher):
    assert domains.default_publisher_host(host) == publisher
    assert publisher in domains.host_suffixes(host)


def test_the_suffix_list_is_the_bundled_snapshot_and_never_fetched(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the public-suffix list must not be fetched")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setenv("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "https://publicsuffix.org/list/public_suffix_list.dat")
    domains._suffix_list.cache_clear()
    domains.registrable_domain.cache_clear()
    try:
        assert domains.registrable_domain("news.bbc.co.uk") == "bbc.co.uk"
    finally:
        domains._suffix_list.cache_clear()
        domains.registrable_domain.cache_clear()
