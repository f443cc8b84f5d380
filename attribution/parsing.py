"""Parse articles in the newsroom's plain-text format, and in JSON Lines.

The text format, as writers produce it::

    date 2024-05-01
    Headline
    Body paragraphs …
    Sources 1/ https://example.com/story 2/ https://other.example/report
    The cited sources can contact us to ask for removal or changes.

Optional header lines before the date line give the
article's identity, so a re-import with a new headline updates it::

    External-ID: cms-48213
    Canonical-URL: https://news.example/2024/05/01/harbour-cranes

Real files are messy: sources share a line or sit one per line, are numbered
``1/``, ``1)``, ``1.``, ``1-`` or not at all, URLs carry trailing punctuation,
and the invitation to the sources often shares the sources line. All of that is
input, not error. Only a missing or bad date, a missing headline or an empty
file is an error, reported with the file and line.

Parsing never touches the database; ``render_article`` is its inverse.
"""

import datetime as dt
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field

from django.utils.text import slugify
from django.utils.translation import gettext as _

from attribution.importing.fields import clean_identity, protect_links, source_entry

MAX_HEADLINE = 500
MAX_SLUG = 120
MAX_SOURCES = 200

_DATE_LINE = re.compile(r"^\s*date\b\s*[:\-]?\s*(?P<value>.*?)\s*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A trailer line starts with "Sources" (or "Source"), then an optional colon or
# dash, then end of line, a list marker or a URL. "Sources close to the
# minister said…" is body text and does not match.
_TRAILER = re.compile(r"^\s*sources?\s*[:\-–—]?\s*(?=$|\d{1,3}\s*[/).:\-]|[(<\[]?(?:https?://|www\.))", re.IGNORECASE)
_MARKER = re.compile(r"^\d{1,3}[/).:\-]$")
_GLUED_MARKER = re.compile(r"^\d{1,3}[/).:\-](?=(?:https?://|www\.))", re.IGNORECASE)
_URLISH = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://|www\.)", re.IGNORECASE)
_OPENERS = "(<[{\"'«“‘"
_CLOSERS = ".,;:!?'\"»”’>]}…"
# The invitation to the cited outlets, when it stands alone on the last line
# of an article that has no sources trailer.
_CLOSING = re.compile(
    r"^\s*(?:the\s+)?(?:mention(?:ed)?\s+|cited\s+)?sources?\s+(?:can|may)\s+contact\s+us\b", re.IGNORECASE
)

# Identity header lines of the text format ("External-ID: …", "Canonical-URL: …").
_HEADER = re.compile(r"^\s*(?P<name>external[-_ ]?id|canonical[-_ ]?url)\s*:\s*(?P<value>.*?)\s*$", re.IGNORECASE)
_LINK_TOKEN = re.compile(r"^\x00(\d+)\x00")

CLOSING_LINE = "The cited sources can contact us to ask for removal or changes to this article."


class ParseError(ValueError):
    """A file or record that cannot become an article. ``str()`` names where and what to fix."""

    def __init__(self, origin: str, line: int | None, message: str):
        self.origin, self.line, self.message = origin, line, message
        where = f"{origin}:{line}" if line else origin
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class ArticleInput:
    """One article as parsed, before it touches the database."""

    headline: str
    published_on: dt.date
    body: str
    sources: tuple[str, ...] = ()
    slug: str = ""
    origin: str = ""
    closing_note: str = field(default="", compare=False)
    # The article's identity in the newsroom's CMS (post id or feed GUID) and its
    # canonical address. Either lets a re-import with a new headline find the
    # same article (see attribution.services); both are optional.
    external_id: str = ""
    canonical_url: str = ""
    # The hash of the file this was parsed from, for the import to remember (attribution/importing/files.py).
    content_hash: str = field(default="", compare=False)

    @property
    def has_identity(self) -> bool:
        return bool(self.external_id or self.canonical_url)

    def resolved_slug(self) -> str:
        """The given slug, or one derived from the headline (Unicode kept, so Arabic headlines stay readable)."""
        return self._resolved_slug

    # Both worked out once per input, and in a large import by the reading process, whose inputs arrive
    # pickled with them (importing/files.py ``read_and_parse``). They depend on fields only, and
    # ``dataclasses.replace`` makes a new input that works them out afresh, so a value never outlives its fields.
    @functools.cached_property
    def _resolved_slug(self) -> str:
        if self.slug:
            return self.slug
        return _derived_slug(self.headline) or "article-" + self.published_on.isoformat()

    @functools.cached_property
    def fingerprint(self) -> str:
        """A stable hash of what an import can change, so an unchanged re-import writes nothing."""
        payload = [self.headline, self.published_on.isoformat(), self.body, list(self.sources)]
        return hashlib.sha256(_JSON.encode(payload).encode()).hexdigest()


# What ``json.dumps(payload, ensure_ascii=False)`` uses, made once: dumps builds a new encoder per call
# for any non-default option. The text, and so every stored fingerprint, is the same.
_JSON = json.JSONEncoder(ensure_ascii=False)


# The import asks for an input's slug several times (batching, matching, creating); slugify is its
# costliest string step, so each headline is slugified once.
@functools.lru_cache(maxsize=4096)
def _derived_slug(headline: str) -> str:
    return slugify(headline, allow_unicode=True)[:100].strip("-")


def normalise_body(text: str) -> str:
    """Trim trailing spaces on each line and blank lines around the body."""
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n").strip()


def normalise_headline(text: str) -> str:
    return " ".join(text.split())


def _clean_url_token(token: str) -> str:
    """Drop punctuation a sentence wrapped around a URL, keeping balanced parentheses (Wikipedia style)."""
    token = token.lstrip(_OPENERS)
    while token:
        last = token[-1]
        if last == ")" and token.count("(") >= token.count(")"):
            break
        if last in _CLOSERS or last == ")":
            token = token[:-1]
            continue
        break
    return token


def _structured(token: str) -> bool:
    """A list marker, a URL or a protected link: what makes a trailer a list rather than names."""
    # The cheap first-character tests (a superset of what each pattern can start with) spare most regexes.
    first = token[0]
    return bool(
        (first.isdigit() and (_MARKER.match(token) or _GLUED_MARKER.match(token)))
        or (first == "\x00" and _LINK_TOKEN.match(token))
        or _URLISH.match(token.lstrip(_OPENERS))
    )


def split_sources(trailer: str) -> tuple[list[str], str]:
    """Split the text after "Sources" into source entries and the closing note.

    An entry is a URL-like token, or the text after a list marker up to the
    next marker or URL. Text after the last URL entry is the closing note.
    """
    entries: list[str] = []
    closing: list[str] = []
    pending_text: list[str] | None = None  # a marker followed by words, e.g. "2/ Associated Press"
    seen_structured = False  # a marker or URL has been seen, so plain words are no longer sources

    def flush_pending():
        nonlocal pending_text
        if pending_text:
            entries.append(" ".join(pending_text))
        pending_text = None

    links: list[str] = []
    for line in trailer.split("\n"):
        tokens = protect_links(line, links).split()
        if tokens and not seen_structured and not _CLOSING.match(line):
            if not any(_structured(t) for t in tokens):
                # "Sources" then one name per line with no link: keep each as a
                # (link-less) source rather than dropping it.
                entries.append(" ".join(tokens))
                continue
        for index, token in enumerate(tokens):
            digit = token[0].isdigit()  # what a marker starts with (str.isdigit covers regex \d)
            glued = digit and _GLUED_MARKER.match(token)
            if glued:
                token, digit = token[glued.end() :], False
            link = token[0] == "\x00" and _LINK_TOKEN.match(token)
            if link:
                seen_structured = True
                flush_pending()
                entries.append(links[int(link.group(1))])
                closing.clear()
            elif _URLISH.match(token.lstrip(_OPENERS)):
                seen_structured = True
                flush_pending()
                cleaned = _clean_url_token(token)
                if cleaned:
                    entries.append(cleaned)
                closing.clear()
            elif digit and _MARKER.match(token) and index + 1 < len(tokens):
                seen_structured = True
                flush_pending()
                pending_text = []
            elif pending_text is not None:
                pending_text.append(token)
            elif entries:
                closing.append(token)
        flush_pending()
    return entries[:MAX_SOURCES], " ".join(closing)


def parse_article_text(text: str, origin: str, *, content_hash: str = "") -> ArticleInput:
    """Parse one article in the text format. Raises ParseError naming ``origin`` and the line."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        raise ParseError(origin, 1, _("the file is empty; expected a 'date YYYY-MM-DD' line, a headline and a body"))
    headers: dict[str, str] = {}
    numbered = _take_headers(numbered, headers)
    if not numbered:
        raise ParseError(origin, len(lines), _("no 'date YYYY-MM-DD' line after the header lines"))
    date_line_no, date_line = numbered[0]
    published_on = _parse_date_line(date_line, origin, date_line_no)
    if len(numbered) < 2:
        raise ParseError(origin, date_line_no, _("no headline after the date line"))
    try:
        external_id, canonical_url = clean_identity(headers.get("e", ""), headers.get("c", ""))
    except ValueError as exc:
        raise ParseError(origin, 1, str(exc)) from None
    headline_no, headline_line = numbered[1]
    headline = normalise_headline(headline_line)
    if len(headline) > MAX_HEADLINE:
        raise ParseError(
            origin, headline_no, _("the headline is longer than %(max)d characters") % {"max": MAX_HEADLINE}
        )
    body_lines, sources, closing_note = _split_trailer(lines[headline_no:])
    return ArticleInput(
        headline=headline,
        published_on=published_on,
        body=normalise_body("\n".join(body_lines)),
        sources=tuple(sources),
        origin=origin,
        closing_note=closing_note,
        external_id=external_id,
        canonical_url=canonical_url,
        content_hash=content_hash,
    )


def _take_headers(numbered: list[tuple[int, str]], headers: dict[str, str]) -> list[tuple[int, str]]:
    """Read leading "External-ID:" / "Canonical-URL:" lines into ``headers``; returns the lines after them."""
    while numbered:
        match = _HEADER.match(numbered[0][1])
        if not match:
            break
        headers[match.group("name")[0].lower()] = match.group("value")  # "e" or "c"
        numbered = numbered[1:]
    return numbered


def _parse_date_line(date_line: str, origin: str, line_no: int) -> dt.date:
    match = _DATE_LINE.match(date_line)
    if not match:
        raise ParseError(
            origin,
            line_no,
            _("expected 'date YYYY-MM-DD' as the first line, found “%(found)s”") % {"found": date_line.strip()[:60]},
        )
    value = match.group("value")
    try:
        if not _ISO_DATE.match(value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        if not value:
            message = _("the date is missing; write it as 'date YYYY-MM-DD'")
        else:
            message = _("“%(value)s” is not a valid date; write it as YYYY-MM-DD") % {"value": value[:40]}
        raise ParseError(origin, line_no, message) from None


def _split_trailer(rest: list[str]) -> tuple[list[str], list[str], str]:
    """The lines after the headline → (body lines, sources, closing note)."""
    trailer_at = next((i for i in range(len(rest) - 1, -1, -1) if _TRAILER.match(rest[i])), None)
    if trailer_at is None:
        last = next((i for i in range(len(rest) - 1, -1, -1) if rest[i].strip()), None)
        if last is not None and _CLOSING.match(rest[last]):
            return rest[:last], [], rest[last].strip()
        return rest, [], ""
    # Drop the word "Sources" from the trailer's first line; entries may follow on it.
    trailer = "\n".join([_TRAILER.sub("", rest[trailer_at], count=1), *rest[trailer_at + 1 :]])
    sources, closing_note = split_sources(trailer)
    return rest[:trailer_at], sources, closing_note


def render_article(article: ArticleInput) -> str:
    """The text format for ``article``; ``parse_article_text`` reads it back unchanged."""
    parts = [f"External-ID: {article.external_id}"] if article.external_id else []
    if article.canonical_url:
        parts.append(f"Canonical-URL: {article.canonical_url}")
    parts += [f"date {article.published_on.isoformat()}", "", article.headline, ""]
    if article.body:
        parts += [article.body, ""]
    # Always write the trailer, even empty: a body line that reads just
    # "Sources" must not be mistaken for it on the way back in.
    parts.append(" ".join(["Sources", *(f"{n}/ {url}" for n, url in enumerate(article.sources, start=1))]))
    parts.append(CLOSING_LINE)
    return "\n".join(parts) + "\n"


def _require_str(record: dict, key: str, origin: str, line: int, *, required: bool = True) -> str:
    value = record.get(key)
    if value is None:
        if required:
            raise ParseError(origin, line, _("“%(field)s” is missing") % {"field": key})
        return ""
    if not isinstance(value, str):
        raise ParseError(origin, line, _("“%(field)s” must be a string") % {"field": key})
    return value


def parse_jsonl_record(raw: str, origin: str, line: int) -> ArticleInput:
    """One JSON object (``title``, ``date``, ``body``, ``sources``; optional ``slug``, ``external_id``,
    ``canonical_url``) from a CMS export."""
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ParseError(origin, line, _("not valid JSON (%(error)s)") % {"error": exc.msg}) from None
    if not isinstance(record, dict):
        raise ParseError(origin, line, _("expected a JSON object with title, date, body and sources"))
    title = normalise_headline(_require_str(record, "title", origin, line))
    if not title:
        raise ParseError(origin, line, _("“title” is empty"))
    if len(title) > MAX_HEADLINE:
        raise ParseError(origin, line, _("“title” is longer than %(max)d characters") % {"max": MAX_HEADLINE})
    date_text = _require_str(record, "date", origin, line)
    try:
        if not _ISO_DATE.match(date_text.strip()):
            raise ValueError
        published_on = dt.date.fromisoformat(date_text.strip())
    except ValueError:
        raise ParseError(
            origin, line, _("“date” must be YYYY-MM-DD, found “%(value)s”") % {"value": date_text[:40]}
        ) from None
    body = _require_str(record, "body", origin, line)
    sources = record.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ParseError(origin, line, _("“sources” must be a list of URL strings"))
    if len(sources) > MAX_SOURCES:
        raise ParseError(origin, line, _("more than %(max)d sources") % {"max": MAX_SOURCES})
    slug = _require_str(record, "slug", origin, line, required=False).strip()
    if slug and (len(slug) > MAX_SLUG or slugify(slug, allow_unicode=True) != slug):
        raise ParseError(
            origin,
            line,
            _("“slug” must be lowercase letters, digits and hyphens, at most %(max)d long") % {"max": MAX_SLUG},
        )
    external_id, canonical_url = _jsonl_identity(record, origin, line)
    return ArticleInput(
        headline=title,
        published_on=published_on,
        body=normalise_body(body.replace("\r\n", "\n")),
        sources=tuple(source_entry(s) for s in sources if s.strip()),
        slug=slug,
        origin=f"{origin}:{line}",
        external_id=external_id,
        canonical_url=canonical_url,
    )


def _jsonl_identity(record: dict, origin: str, line: int) -> tuple[str, str]:
    """The optional ``external_id`` (a string, or a CMS's numeric id) and ``canonical_url`` of a record."""
    external_id = record.get("external_id")
    if isinstance(external_id, int) and not isinstance(external_id, bool):
        external_id = str(external_id)
    record = {**record, "external_id": external_id}
    try:
        return clean_identity(
            _require_str(record, "external_id", origin, line, required=False),
            _require_str(record, "canonical_url", origin, line, required=False),
        )
    except ValueError as exc:
        raise ParseError(origin, line, str(exc)) from None
