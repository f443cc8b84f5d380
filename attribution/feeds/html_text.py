"""An item's HTML as the newsroom's plain-text article: paragraphs kept, sources as a "Sources" trailer.

The stdlib's html.parser rather than lxml or html5lib: neither is installed
or pinned, the job (paragraph breaks, link targets, a "Sources" list) needs no
tree, and html.parser never raises on broken markup, so a CMS's odd HTML is
input, not error. feedparser has already sanitised RSS and Atom content.

Sources are found in the two ways a CMS writes them: the text trailer
(``Sources 1/ https://… 2/ https://…``, links or not) or a list of links
after a paragraph or heading that says "Sources". Either way the result is
handed to ``attribution.parsing``, which already reads that trailer from text.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import groupby

from attribution.importing.fields import link_entry

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
SKIPPED_TAGS = {"script", "style", "template", "noscript", "iframe", "svg", "object"}
# The same rule as attribution.parsing's trailer: "Sources" alone, or followed by a list marker or a URL.
# "Sources close to the minister said…" stays body text.
_SOURCES_LABEL = re.compile(
    r"^\s*sources?\s*[:\-–—]?\s*(?=$|\d{1,3}\s*[/).:\-]|[(<\[]?(?:https?://|www\.))", re.IGNORECASE
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass
class _Block:
    tag: str
    parts: list[tuple[str, str]] = field(default_factory=list)  # (text, href of the enclosing link or "")

    def text(self, *, links_as_urls: bool = False) -> str:
        """The block's text; with ``links_as_urls``, each link is written as ``[its words](its address)``.

        The import reads that Markdown form as the URL, keeping the words as the citation text.
        """
        out: list[str] = []
        for href, run in groupby(self.parts, key=lambda part: part[1]):
            words = "".join(text for text, _href in run)
            if links_as_urls and href.startswith(("http://", "https://")):
                out.append(f" {link_entry(words, href)} ")
            else:
                out.append(words)
        lines = (_SPACES.sub(" ", line).strip() for line in "".join(out).split("\n"))
        return "\n".join(line for line in lines if line)

    def first_link(self) -> str:
        """The block's first link as ``[its words](its address)``, or "" when it has none."""
        for href, run in groupby(self.parts, key=lambda part: part[1]):
            if href.startswith(("http://", "https://")):
                return link_entry("".join(text for text, _href in run), href)
        return ""


class _BlockReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self._current: _Block | None = None
        self._links: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        elif tag == "br":
            self.handle_data("\n")
        elif tag in BLOCK_TAGS:
            self._current = None
            if tag not in ("ol", "ul", "dl", "table", "hr"):
                self._current = _Block(tag)
                self.blocks.append(self._current)
        elif tag == "a":
            self._links.append((dict(attrs).get("href") or "").strip())

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in BLOCK_TAGS:
            self._current = None
        elif tag == "a" and self._links:
            self._links.pop()

    def handle_data(self, data):
        if self._skipping:
            return
        if self._current is None:
            if not data.strip():
                return
            # Text outside any block (a CMS that writes bare text and <br>s) is a paragraph of its own.
            self._current = _Block("p")
            self.blocks.append(self._current)
        self._current.parts.append((data, self._links[-1] if self._links else ""))


def html_to_article_text(html: str) -> str:
    """Plain text for ``attribution.parsing``: paragraphs apart, then the trailer ``Sources`` / ``1/ URL`` lines.

    The trailer starts at the last block that reads as a "Sources" label or
    trailer; from there on links are written as their addresses, and each list
    item becomes ``N/ <its first link>`` (or its text when it has no link).
    """
    reader = _BlockReader()
    reader.feed(html)
    reader.close()
    blocks = [b for b in reader.blocks if b.text()]
    start = next(
        (i for i in range(len(blocks) - 1, -1, -1) if _SOURCES_LABEL.match(blocks[i].text(links_as_urls=True))),
        len(blocks),
    )
    body = [("- " if b.tag == "li" else "") + b.text() for b in blocks[:start]]
    trailer: list[str] = []
    numbered = 0
    for block in blocks[start:]:
        if block.tag == "li":
            numbered += 1
            trailer.append(f"{numbered}/ {block.first_link() or block.text()}")
        else:
            trailer.append(block.text(links_as_urls=True))
    return "\n\n".join(body) + ("\n\n" + "\n".join(trailer) if trailer else "")


def html_to_inline_text(html: str) -> str:
    """One line of text from a bit of HTML (a WordPress title: entities and tags)."""
    reader = _BlockReader()
    reader.feed(html)
    reader.close()
    return " ".join(block.text().replace("\n", " ") for block in reader.blocks).strip()
