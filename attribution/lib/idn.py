"""Internationalised URLs as people read them: ``https://xn--bcher-kva.example/a`` → ``https://bücher.example/a``.

URLs are stored normalised, with punycode hosts (attribution/urls_normalise.py);
this only changes what is displayed. Hosts alone: ``domains.display_host``.
"""

from urllib.parse import urlsplit

from attribution.lib.domains import display_host


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
