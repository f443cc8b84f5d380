"""Turn a URL as a writer typed it into the canonical form Citewatch stores.

Normalisation itself is url-normalize's job (case, IDN to punycode, default
ports, percent-encoding, dot segments). This module adds the newsroom's
judgement around it: what is not a web link at all, and what credits no
specific work. Which publisher a host belongs to is ``attribution.lib.domains``.
"""

import functools
import hashlib
import importlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.utils.translation import gettext as _
from url_normalize import url_normalize

# The host rules live in attribution.lib.domains; these names stay importable from here for the
# callers that predate it (tests/attribution/test_urls_normalise.py). ``publisher_host`` is the "www." rule.
from attribution.lib.domains import bare_host as publisher_host
from attribution.lib.domains import display_host, host_suffixes, is_homepage_path

__all__ = ["NormalisedURL", "display_host", "host_suffixes", "normalise_url", "publisher_host"]

# url-normalize runs every label of a URL's host through idna (UTS 46) on each call: ~70 µs a URL, the
# largest part of normalising one. Its host step is a pure function of the host, and a host is shared by
# many URLs (an import of 100,000 articles citing new URLs meets a few hundred outlets), so it is cached.
# (The package's name "url_normalize.url_normalize" is its function; the module is looked up by name.)
_URL_NORMALIZE_MODULE = importlib.import_module("url_normalize.url_normalize")
_URL_NORMALIZE_MODULE.normalize_host = functools.lru_cache(maxsize=16_384)(_URL_NORMALIZE_MODULE.normalize_host)

WEB_SCHEMES = {"http", "https"}
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass(frozen=True)
class NormalisedURL:
    url: str
    host: str
    is_valid: bool
    invalid_reason: str = ""
    is_homepage: bool = False

    @functools.cached_property
    def url_hash(self) -> str:
        return hashlib.sha256(self.url.encode()).hexdigest()


def _invalid(text: str, reason: str) -> NormalisedURL:
    # Invalid URLs are still stored (as typed, trimmed) so the citation is not lost.
    return NormalisedURL(url=text, host="", is_valid=False, invalid_reason=reason)


def _host_is_valid(host: str) -> bool:
    if not host or len(host) > 253:
        return False
    if host.startswith("[") or re.fullmatch(r"[0-9.]+", host):
        return True  # IP literals are syntactically fine; the link checker decides if they are allowed.
    labels = host.rstrip(".").split(".")
    return len(labels) >= 2 and all(_HOST_LABEL.match(label) for label in labels)


# Newsrooms cite the same few thousand URLs over and over; an import of 100,000
# articles normalises each distinct spelling once instead of once per citation.
@functools.lru_cache(maxsize=65_536)
def normalise_url(text: str) -> NormalisedURL:
    """Normalise a cited URL. Never raises: bad input comes back with ``is_valid=False`` and a reason."""
    text = (text or "").strip()
    if not text:
        return _invalid(text, _("Empty URL"))
    if len(text) > 4000:
        return _invalid(text[:4000], _("URL is longer than 4,000 characters"))
    if any(ch.isspace() for ch in text):
        return _invalid(text, _("Not a URL (contains spaces)"))
    scheme_match = _SCHEME.match(text)
    if scheme_match and not text.lower().startswith(("http://", "https://")):
        if text.lower().startswith(tuple(f"{s}:" for s in WEB_SCHEMES)):
            return _invalid(text, _("Malformed web address (expected http:// or https://)"))
        # "example.com:8080/x" also matches the scheme pattern; only a real
        # scheme (letters before "://" or a known non-web scheme) is rejected.
        if "://" in text or scheme_match.group(1).lower() in {"mailto", "javascript", "data", "file", "tel"}:
            return _invalid(text, _("Not a web link (scheme “%(scheme)s”)") % {"scheme": scheme_match.group(1)})
    if not text.lower().startswith(("http://", "https://")):
        # Writers often drop the scheme ("www.example.com/story"); treat a
        # dotted host as a web address rather than rejecting it.
        text = "https://" + text.lstrip("/")
    try:
        normalised = url_normalize(text)
        parts = urlsplit(normalised)
        host = (parts.hostname or "").rstrip(".")
        _port = parts.port  # raises ValueError on a non-numeric or out-of-range port
    except (ValueError, UnicodeError):
        return _invalid(text, _("The address cannot be parsed"))
    if not _host_is_valid(host):
        return _invalid(text, _("“%(host)s” is not a valid host name") % {"host": host or text})
    # Fragments name a place within a page, not a different work.
    normalised = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
    is_homepage = not parts.query and is_homepage_path(parts.path or "/")
    return NormalisedURL(url=normalised, host=host, is_valid=True, is_homepage=is_homepage)
