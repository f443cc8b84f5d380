"""Host and domain rules, in one place: front-page paths, the "www." rule, domain suffixes,
registrable domains, and hosts as readers write them.

``registrable_domain`` reads the Public Suffix List from the snapshot bundled
with tldextract, never from the network: a worker with no way out (or a test
machine) gets the same answer as any other, and an import never waits on a
download. Updating the list means upgrading the pinned tldextract.
"""

import functools
import re
from urllib.parse import urlsplit

# Paths that, like "/", are a site's front page rather than a piece of work.
HOMEPAGE_PATH = re.compile(r"^/?(?:(?:index|default|home)\.(?:html?|php|aspx?))?$", re.IGNORECASE)


def is_homepage_path(path: str) -> bool:
    return bool(HOMEPAGE_PATH.match(path))


def bare_host(host: str | None) -> str:
    """The host without a trailing dot or a leading "www.", lower-cased: ``WWW.abcnews.go.com`` → ``abcnews.go.com``.

    The one "www." rule: publisher keys and "same site" both use it.
    """
    host = (host or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def host_suffixes(host: str) -> list[str]:
    """``a.b.example.com`` → ``[a.b.example.com, b.example.com, example.com]``, longest first."""
    labels = bare_host(host).split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or [bare_host(host)]


def display_host(host: str) -> str:
    """A punycode host as readers write it: ``xn--bcher-kva.de`` → ``bücher.de``."""
    try:
        return ".".join(
            label.encode("ascii").decode("idna") if label.startswith("xn--") else label for label in host.split(".")
        )
    except UnicodeError:
        return host


def unicode_url(url: str) -> str:
    """The URL with its host shown in Unicode; everything else as stored (a host that does not decode, too)."""
    if "xn--" not in url.lower():
        return url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return url
    shown = display_host(host)
    if shown == host:
        return url
    # The host is lowercase in a normalised URL, so its first occurrence is the authority's.
    index = url.lower().find(host)
    return url[:index] + shown + url[index + len(host) :]


@functools.cache
def _suffix_list():
    # tldextract pulls in requests (~75 ms to import); only publisher grouping needs it, so a
    # process that never groups publishers never pays. suffix_list_urls=() and cache_dir=None:
    # the bundled snapshot only, no download and no cache file.
    # Private-section suffixes count (github.io, blogspot.com): each site under them has its own
    # owner, so ``alice.github.io`` is a publisher of its own, not part of "github.io".
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


@functools.lru_cache(maxsize=65_536)
def registrable_domain(host: str) -> str:
    """The domain one owner registered: ``news.bbc.co.uk`` → ``bbc.co.uk``, ``alice.github.io`` → itself.

    "" when the host has none: an IP address, a public suffix itself
    (``co.uk``), or a top-level domain the list does not know (``.example``).
    """
    host = host.lower().rstrip(".")
    if not host:
        return ""
    return _suffix_list()(host).top_domain_under_public_suffix


def default_publisher_host(host: str) -> str:
    """The publisher a host belongs to when no editor configured one: its registrable domain.

    So ``news.bbc.co.uk`` and ``www.bbc.co.uk`` are one publisher, ``bbc.co.uk``,
    whichever is seen first. A host without a registrable domain is its own
    publisher. Always one of ``host_suffixes(host)``, so the longest-suffix
    lookup finds it.
    """
    # bare_host on both: "www" registered under a private suffix (www.github.io) still follows the www rule.
    return bare_host(registrable_domain(host)) or bare_host(host)
