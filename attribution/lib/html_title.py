"""A page's title from the first bytes of its HTML, as a browser would show it.

The link checker reads a bounded prefix of each page and asks two things:
``has_title_end`` (may it stop reading?) and ``page_title`` (what does the
page call itself?). A title saying "Page not found" makes a link dead, so a
``<title>`` that is not the page's counts for nothing: one inside a comment,
a script or style, an inline SVG icon (whose ``<title>`` is a tooltip), a
template, or raw-text elements such as ``<textarea>``.

Why not ``html.parser``: it builds every tag of a long ``<head>`` and costs
about 80 times the old regex per page; the checker calls this for every
page. A scan that jumps only between the constructs that matter gives the
same answer at a few microseconds. What it does not model: a ``<`` inside an
attribute value (``<meta content="<title>">``), which real pages do not write.
"""

import codecs
import functools
import html
import re

MAX_TITLE_CHARS = 200
# Elements whose content is text, not markup, up to their end tag: a <title> inside is not one.
_RAW_TEXT = (b"script", b"style", b"template", b"textarea", b"xmp", b"iframe", b"noembed", b"noframes")
_TAGS = (*_RAW_TEXT, b"svg", b"title", b"body", b"plaintext")
# The lookahead on the first letter lets the many <meta>, <link> and </...> tags of a <head> fail at
# once; without it the scan costs twice as much.
_FIRST_LETTERS = bytes(sorted({name[0] for name in _TAGS} | {name[0] - 32 for name in _TAGS}))
_MARKUP = re.compile(
    rb"<(?=[!" + _FIRST_LETTERS + rb"])(?:(!--)|(" + b"|".join(_TAGS) + rb")(?=[\s/>]))", re.IGNORECASE
)
_END_TAGS = {name: re.compile(rb"</" + name + rb"(?=[\s/>])", re.IGNORECASE) for name in (*_RAW_TEXT, b"title")}
_SVG_TAG = re.compile(rb"<(/?)svg(?=[\s/>])", re.IGNORECASE)
# The rest of a start tag, quoted attribute values included ("a>b" does not end it).
# Possessive, so a quote that never closes fails in one pass instead of backtracking.
_TAG_REST = re.compile(rb"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+>""")
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:+-]+)""", re.IGNORECASE)
# Covers both <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([\w.:+-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Labels browsers read as another encoding (WHATWG Encoding): "latin-1" pages are really windows-1252,
# which is how their curly quotes (0x92) come out right.
_AS_BROWSERS_READ = {"iso8859-1": "cp1252", "ascii": "cp1252", "gb2312": "gbk"}


class _Scan:
    """Where the first real title is in ``body``, and whether the page's ``<body>`` has begun."""

    __slots__ = ("body_seen", "complete", "title_end", "title_start")

    def __init__(self, body: bytes, *, stop_at_body: bool = False):
        self.body_seen = False
        self.complete = False  # a closed title was found
        self.title_start = self.title_end = -1
        self._run(body, stop_at_body)

    def _run(self, body: bytes, stop_at_body: bool) -> None:
        pos = 0
        while match := _MARKUP.search(body, pos):
            comment, tag = match.group(1), (match.group(2) or b"").lower()
            if comment:
                # From the "--" of "<!--", so "<!-->" and "<!--->" close at once, as browsers read them.
                pos = body.find(b"-->", match.end() - 2)
                pos = -1 if pos < 0 else pos + 3
            elif tag == b"svg":
                pos = _after_svg(body, match.start())
            elif tag == b"plaintext":
                return  # everything after it is text
            elif tag == b"body":
                self.body_seen = True
                if stop_at_body:
                    return
                pos = match.end()
            elif tag == b"title":
                self._take_title(body, match.end())
                return
            else:
                end = _END_TAGS[tag].search(body, match.end())
                pos = end.end() if end else -1
            if pos < 0:
                return  # the prefix ends inside a comment, raw text or an SVG: no title in it

    def _take_title(self, body: bytes, after_name: int) -> None:
        rest = _TAG_REST.match(body, after_name)
        end = _END_TAGS[b"title"].search(body, rest.end()) if rest else None
        if end:
            self.title_start, self.title_end, self.complete = rest.end(), end.start(), True


def _after_svg(body: bytes, start: int) -> int:
    """The position after the SVG starting at ``start`` (SVGs nest; ``<svg/>`` is whole), or -1 if the prefix ends first."""
    depth = 0
    for tag in _SVG_TAG.finditer(body, start):
        if tag.group(1):
            depth -= 1
        else:
            rest = _TAG_REST.match(body, tag.end())
            if rest is None:
                return -1
            # Inside SVG, unlike HTML, "/>" closes the element it opens.
            depth += 0 if rest.group().endswith(b"/>") else 1
        if depth == 0:
            return tag.end()
    return -1


def has_title_end(body: bytes) -> bool:
    """Enough of the page has arrived to judge its title: the real title has closed, or the body has begun."""
    scan = _Scan(body, stop_at_body=True)
    return scan.complete or scan.body_seen


def page_title(body: bytes, *, content_type: str | None = None) -> str:
    """The title of the page whose first bytes are ``body``, unescaped, whitespace collapsed, at most 200 characters.

    ``content_type`` is the response's Content-Type header; its charset wins
    over a ``<meta charset>``, and UTF-8 is assumed when neither says. Returns
    "" when the prefix holds no closed ``<title>``: a title cut off by the
    bounded read may have lost the words that matter. Never raises.
    """
    encoding = _encoding(body, content_type)
    if encoding.startswith("utf-16"):
        # Not ASCII-compatible, so the byte scan cannot read it as it stands. Rare enough to convert.
        body = body.decode(encoding, "replace").encode("utf-8")
        encoding = "utf-8"
    scan = _Scan(body)
    if not scan.complete:
        return ""
    text = body[scan.title_start : scan.title_end].decode(encoding, "replace")
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())[:MAX_TITLE_CHARS]


def _encoding(body: bytes, content_type: str | None) -> str:
    """The codec to read ``body`` with: a byte-order mark, else the header's charset, else the page's meta, else UTF-8."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return encoding
    header = _header_codec(content_type) if content_type else None
    if header:
        return header
    meta = _META_CHARSET.search(body, 0, 4096)
    if meta:
        codec = _codec(meta.group(1).decode("ascii", "replace"))
        # A page cannot declare UTF-16 about itself in bytes we just read as ASCII (WHATWG: use UTF-8).
        return "utf-8" if codec.startswith("utf-16") else codec
    return "utf-8"


@functools.lru_cache(maxsize=256)
def _header_codec(content_type: str) -> str | None:
    """The codec a Content-Type header names, if it names one (a run sees few distinct headers)."""
    header = _HEADER_CHARSET.search(content_type)
    return _codec(header.group(1)) if header else None


@functools.lru_cache(maxsize=64)
def _codec(label: str) -> str:
    """Python's codec for a charset label; an unknown label reads as UTF-8."""
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return "utf-8"
    if name.startswith("utf-32"):
        return "utf-8"  # browsers do not support UTF-32 at all; treat the label as unknown
    return _AS_BROWSERS_READ.get(name, name)
