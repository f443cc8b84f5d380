"""Text helpers for what an import reads beside the article: identity fields and sources given as links.

Pure functions with no database access, shared by the parser, the API serializer and the import service.
"""

import html
import re

from django.utils.translation import gettext as _

from attribution.urls_normalise import normalise_url

MAX_EXTERNAL_ID = 255
MAX_CANONICAL_URL = 2000

# A source given as a link: Markdown "[text](url)" or an HTML anchor. The URL is the source, the text is
# kept as the citation text. Entries are stored in the Markdown form (see source_parts).
_MARKDOWN_LINK = re.compile(r"\[(?P<text>[^\[\]\n]*)\]\(\s*(?P<url>[^()\s]+(?:\([^()\s]*\)[^()\s]*)*)\s*\)")
_HTML_ANCHOR = re.compile(
    r"<a\s[^>]*?href\s*=\s*(?P<q>[\"'])(?P<url>.*?)(?P=q)[^>]*>(?P<text>.*?)</a\s*>", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"<[^>]+>")


def clean_identity(external_id: str, canonical_url: str) -> tuple[str, str]:
    """The identity fields trimmed, the URL normalised. Raises ValueError saying what to fix."""
    external_id = " ".join((external_id or "").split())
    if len(external_id) > MAX_EXTERNAL_ID:
        raise ValueError(_("the external id is longer than %(max)d characters") % {"max": MAX_EXTERNAL_ID})
    canonical_url = (canonical_url or "").strip()
    if canonical_url:
        url = normalise_url(canonical_url)
        if not url.is_valid or not canonical_url.lower().startswith(("http://", "https://")):
            raise ValueError(
                _("the canonical URL must be an http(s) address, found “%(v)s”") % {"v": canonical_url[:80]}
            )
        canonical_url = url.url
        if len(canonical_url) > MAX_CANONICAL_URL:
            raise ValueError(_("the canonical URL is longer than %(max)d characters") % {"max": MAX_CANONICAL_URL})
    return external_id, canonical_url


def link_entry(text: str, url: str) -> str:
    """A source given as a link, in the one form the import stores: ``[text](url)`` (bare URL if no text)."""
    text = " ".join(_TAG.sub(" ", html.unescape(text)).split()).replace("[", "(").replace("]", ")")
    url = html.unescape(url).strip()
    return f"[{text}]({url})" if text and text != url else url


def source_entry(raw: str) -> str:
    """One source as given (JSONL, API): a Markdown link or HTML anchor becomes ``[text](url)``; else trimmed."""
    raw = raw.strip()
    for pattern in (_MARKDOWN_LINK, _HTML_ANCHOR):
        match = pattern.fullmatch(raw)
        if match:
            return link_entry(match.group("text"), match.group("url"))
    return raw


def source_parts(entry: str) -> tuple[str, str]:
    """(URL, citation text) of a stored source entry: ``[text](url)`` → (url, text); anything else is both."""
    if not entry.startswith("["):  # most sources are bare URLs; the import asks this for each several times
        return entry, entry
    match = _MARKDOWN_LINK.fullmatch(entry)
    if match:
        return match.group("url").strip(), match.group("text")
    return entry, entry


def protect_links(line: str, links: list[str]) -> str:
    """Replace each link in ``line`` with a space-free token, so splitting on spaces keeps it whole."""

    def keep(match):
        links.append(link_entry(match.group("text"), match.group("url")))
        return f" \x00{len(links) - 1}\x00 "

    if "[" not in line and "<" not in line:  # neither pattern can match: most trailers are bare URLs
        return line
    return _MARKDOWN_LINK.sub(keep, _HTML_ANCHOR.sub(keep, line))


def citation_entry(text_as_written: str, url: str) -> str:
    """A stored citation back in the import's source form, so saving it again keeps its URL.

    The text is the source itself when it is the URL as written (it normalises
    to the same URL) or a name with no link; a link's title becomes ``[text](url)``.
    """
    written = normalise_url(text_as_written)
    if written.url == url or not normalise_url(url).is_valid:
        return text_as_written
    return link_entry(text_as_written, url)
