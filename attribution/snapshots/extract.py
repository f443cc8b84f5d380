"""A page's main text and title, without navigation, ads, cookie banners or "most read" lists.

HTML goes through trafilatura, fast mode without its metadata pass (see
bench/README.md "Snapshots (issue 12)" for the measurements that chose it); PDF through pypdf, first SNAPSHOTS_PDF_MAX_PAGES
pages only. Extraction never raises on bad input: a page it cannot read gives
an empty text, and the snapshot still keeps the response itself.
"""

import hashlib
import io
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from lxml import etree

logger = logging.getLogger(__name__)

MAX_TITLE = 1000
HTML_TYPES = {"text/html", "application/xhtml+xml"}
PDF_TYPES = {"application/pdf", "application/x-pdf"}
DISCARDED = ("script", "style", "noscript", "iframe", "svg", "nav", "footer", "aside", etree.Comment)
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


@dataclass(frozen=True)
class Extracted:
    title: str
    text: str

    @property
    def text_hash(self) -> str:
        """SHA-256 of the text: two snapshots with the same hash said the same thing."""
        return hashlib.sha256(self.text.encode()).hexdigest()


def extract(body: bytes, content_type: str, url: str) -> Extracted:
    """Title and main text of an HTML or PDF body; ``Extracted("", "")`` for anything else or unreadable input."""
    kind = document_kind(content_type, body[:1024])
    try:
        if kind == "html":
            return extract_html(body, url)
        if kind == "pdf":
            return extract_pdf(body)
    except Exception:  # a hostile or broken document must not stop the snapshot
        logger.warning("could not extract text from %s (%s)", url, content_type, exc_info=True)
    return Extracted("", "")


def document_kind(content_type: str, prefix: bytes = b"") -> str:
    """ "html" or "pdf" from the declared media type, sniffing the first bytes only when none was declared."""
    if content_type in HTML_TYPES:
        return "html"
    if content_type in PDF_TYPES:
        return "pdf"
    if content_type in ("", "application/octet-stream"):
        head = prefix.lstrip()[:64].lower()
        if head.startswith(b"%pdf-"):
            return "pdf"
        if head.startswith((b"<!doctype html", b"<html")):
            return "html"
    return ""


def extract_html(body: bytes, url: str) -> Extracted:
    """trafilatura's main text, without its metadata pass (which costs more than the text: bench/README.md)."""
    import trafilatura

    # trafilatura's loader guesses the encoding (BOM, meta charset, then detection) as a browser would.
    tree = trafilatura.load_html(body)
    if tree is None:
        return Extracted("", "")
    title = page_title(tree)
    # Elements trafilatura discards anyway, dropped first in one C pass: its own cleaning then walks a
    # smaller tree (~15 % less CPU on the bench pages). Forms stay: trafilatura keeps a page wrapped in one.
    etree.strip_elements(tree, *DISCARDED, with_tail=False)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=True,  # no second pass through readability/justext: it costs more than it recovers (bench/README.md)
        with_metadata=False,
        include_comments=False,  # readers' comments are not what the source said
        include_tables=True,
        deduplicate=False,
    )
    return Extracted(title, tidy(document.text or "") if document is not None else "")


def page_title(tree) -> str:
    """The page's own headline: og:title (no " | Site name" suffix), else <title>, else the first <h1>."""
    for candidate in (
        tree.xpath("string(//meta[@property='og:title']/@content)"),
        tree.xpath("string(//title)"),
        tree.xpath("string(//h1)"),
    ):
        if title := tidy(str(candidate)).replace("\n", " "):
            return title[:MAX_TITLE]
    return ""


def extract_pdf(body: bytes) -> Extracted:
    """Text of the first pages and the document's title; a truncated or broken PDF gives what could be read."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body), strict=False)
    pages = []
    for page in reader.pages[: settings.SNAPSHOTS_PDF_MAX_PAGES]:
        pages.append(page.extract_text() or "")
    title = ""
    if reader.metadata is not None and reader.metadata.title:
        title = str(reader.metadata.title)
    return Extracted(tidy(title)[:MAX_TITLE], tidy("\n\n".join(pages)))


def tidy(text: str) -> str:
    """Runs of spaces to one, blank-line runs to one blank line, no space at line ends."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
