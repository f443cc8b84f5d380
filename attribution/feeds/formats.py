"""What a CMS sends, read into FeedItems, and a FeedItem made into an ArticleInput.

RSS 2.0 and Atom are read by feedparser. feedparser 6.0.14 does not read JSON
Feed (that arrived in its unreleased 6.1 branch), and a JSON Feed is plain
JSON with a documented shape, so it is read here; so are WordPress posts.
"""

import dataclasses
import datetime as dt
import email.utils
import hashlib
import io
import json

import feedparser
from django.utils.translation import gettext as _

from attribution.feeds.fetch import FeedError
from attribution.feeds.html_text import html_to_article_text, html_to_inline_text
from attribution.importing.fields import MAX_EXTERNAL_ID, clean_identity
from attribution.parsing import ArticleInput, ParseError, normalise_headline, parse_article_text

# What expat says about a document that ends before its elements close.
TRUNCATED = ("no element found", "unclosed token")


@dataclasses.dataclass(frozen=True)
class FeedItem:
    external_id: str
    link: str
    title: str
    published_on: dt.date | None
    html: str = ""
    text: str = ""  # plain text, when the item has no HTML (a JSON Feed's content_text)


def parse_syndication(body: bytes) -> list[FeedItem]:
    """Items of an RSS or Atom document. Raises FeedError if it is not one."""
    # A file object, never bytes or str: feedparser treats a string that looks like a URL or a path as one
    # and would fetch or open it, past the guard.
    parsed = feedparser.parse(io.BytesIO(body))
    problem = str(parsed.get("bozo_exception") or "")
    # feedparser reads past small faults (an undefined entity) and so do we, but not a document that
    # stops early: its last item may be cut off, and importing it would overwrite an article with half its text.
    if not parsed.get("version") or any(sign in problem for sign in TRUNCATED):
        raise FeedError(
            _("not a readable RSS or Atom feed (%(reason)s)") % {"reason": problem or _("no RSS or Atom elements")}
        )
    return [_syndication_item(entry) for entry in parsed.entries]


def _syndication_item(entry) -> FeedItem:
    content = entry.get("content") or []
    html = content[0].get("value", "") if content else entry.get("summary", "")
    # dict.get: FeedParserDict.get("updated") falls back to "published" with a DeprecationWarning.
    published = dict.get(entry, "published") or dict.get(entry, "updated") or ""
    return FeedItem(
        external_id=(entry.get("id") or entry.get("link") or "").strip(),
        link=(entry.get("link") or "").strip(),
        title=entry.get("title", ""),
        published_on=_date(published),
        html=html,
    )


def parse_json_feed(body: bytes) -> list[FeedItem]:
    """Items of a JSON Feed (version 1 or 1.1). Raises FeedError if it is not one."""
    try:
        document = json.loads(body)
    except ValueError as error:
        raise FeedError(_("not valid JSON (%(error)s)") % {"error": error}) from None
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith("https://jsonfeed.org/"):
        raise FeedError(_("not a JSON Feed: the “version” must be a https://jsonfeed.org/ address"))
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedError(_("not a JSON Feed: “items” must be a list"))
    return [
        FeedItem(
            external_id=str(item.get("id") or item.get("url") or "").strip(),
            link=str(item.get("url") or "").strip(),
            title=str(item.get("title") or ""),
            published_on=_date(str(item.get("date_published") or item.get("date_modified") or "")),
            html=str(item.get("content_html") or ""),
            text=str(item.get("content_text") or ""),
        )
        for item in items
        if isinstance(item, dict)
    ]


def wordpress_item(post: dict, host: str) -> FeedItem:
    """One post of /wp-json/wp/v2/posts. Its identity is ``wp:<host>:<post id>``."""

    def rendered(key: str) -> str:
        value = post.get(key)
        return str(value.get("rendered", "")) if isinstance(value, dict) else ""

    return FeedItem(
        external_id=f"wp:{host}:{post.get('id')}",
        link=str(post.get("link") or "").strip(),
        title=html_to_inline_text(rendered("title")),
        # "date" is the site's local time, the date the article carries.
        published_on=_date(str(post.get("date") or "")),
        html=rendered("content"),
    )


def _date(value: str) -> dt.date | None:
    """The calendar date as the publisher wrote it (RFC 822 for RSS, RFC 3339 for Atom and JSON Feed)."""
    value = value.strip()
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def to_article_input(item: FeedItem, origin: str) -> ArticleInput:
    """The article a feed item carries. Raises ParseError (naming the item) when it cannot be one."""
    where = f"{origin} {item.external_id or item.link or item.title[:60]}".strip()
    if not item.external_id:
        raise ParseError(where, None, _("the item has no id, GUID or link to know it by"))
    if item.published_on is None:
        raise ParseError(where, None, _("the item has no publication date"))
    headline = normalise_headline(item.title)
    if not headline:
        raise ParseError(where, None, _("the item has no title"))
    body = html_to_article_text(item.html) if item.html.strip() else item.text.replace("\r\n", "\n")
    # Through the text format's parser, so a feed article reads its "Sources" trailer by the very same rules.
    parsed = parse_article_text(f"date {item.published_on.isoformat()}\n{headline}\n\n{body}", where)
    try:
        external_id, canonical_url = clean_identity(
            _short_identity(item.external_id), item.link if item.link.startswith(("http://", "https://")) else ""
        )
    except ValueError as error:
        raise ParseError(where, None, str(error)) from None
    return dataclasses.replace(parsed, origin=where[:500], external_id=external_id, canonical_url=canonical_url)


def _short_identity(external_id: str) -> str:
    """The GUID, or for one longer than the article's field a stable digest of it (still one identity per GUID)."""
    external_id = " ".join(external_id.split())
    if len(external_id) <= MAX_EXTERNAL_ID:
        return external_id
    return "sha256:" + hashlib.sha256(external_id.encode()).hexdigest()
