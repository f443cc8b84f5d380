"""Correction, retraction, clarification and update notices, in English and Arabic.

A notice makes a source ``corrected`` when it is on the page now and was not
in the text we cited. The patterns are notices as newsrooms write them, not
bare words: "Correction:" or "تصحيح:" opening a line, "This article has been
updated", "ملاحظة المحرر". A byline's "Updated 27 November 2026" or
"آخر تحديث" is not a notice (every page has one, and it rotates).

Main-text extraction drops many notices (a ``<div class="editors-note">`` or
an ``<aside>`` reads as boilerplate to it), so notices are also looked for in
``notice_scope``: the article's own text and any element whose class or id
names a notice, read from the HTML itself. A "most read" list beside the
article is outside both, so a teaser headed "Correction:" there is not ours.
"""

import re
import unicodedata
from dataclasses import dataclass

import lxml.etree
import lxml.html

# The length of SourceURL.drift_notice.
NOTICE_MAX_CHARS = 300

_DOC = r"(?:article|story|report|post|page|piece|column)"
_AR_DOC = r"(?:المقال|المقالة|الخبر|التقرير|القصة|المادة)"
# (kind, pattern): a pattern with ^ must open a line (multiline mode), the others may sit inside a paragraph.
PATTERNS = [
    ("correction", r"^[^\w\n]*corrections?\b\s*(?:appended\b)?\s*[:\-–—]"),
    ("correction", r"\bcorrection appended\b|\ban earlier version of this " + _DOC),
    ("correction", rf"\bthis {_DOC} (?:has been|was) corrected\b"),
    ("clarification", r"^[^\w\n]*clarifications?\s*[:\-–—]"),
    ("editors_note", r"\beditor(?:['’]?s|s['’]?)? note\b"),
    ("update", r"^[^\w\n]*update(?:\s+\d+)?\s*[:\-–—]"),
    ("update", rf"\bthis {_DOC} (?:has been|was|has been substantially) updated\b"),
    ("update", r"\b(?:was |has been )?updated to (?:reflect|include|add|correct|clarify)\b"),
    (
        "retraction",
        r"\bretracted\b|^[^\w\n]*(?:retraction|withdrawn)\s*[:\-–—]|\b(?:notice of retraction|retraction notice)\b",
    ),
    ("retraction", rf"\bthis {_DOC} (?:has been|was) (?:withdrawn|removed)\b"),
    # Arabic: correction, has been corrected, addendum; update; editor's note, notice; clarification; withdrawn.
    ("correction", r"^[^\w\n]*(?:تصحيح|استدراك|تنويه)\s*[:：\-–—]|تم تصحيح|جرى تصحيح"),
    ("update", rf"^[^\w\n]*تحديث\s*[:：\-–—]|(?:تم|جرى) تحديث (?:هذا|هذه) {_AR_DOC}"),
    ("editors_note", r"ملاحظة (?:من )?(?:المحرر|التحرير|المحررين)"),
    ("clarification", r"^[^\w\n]*توضيح\s*[:：\-–—]"),
    ("retraction", rf"(?:تم|جرى) سحب (?:هذا|هذه) {_AR_DOC}|سحب {_AR_DOC}"),
]
COMPILED = [(kind, re.compile(pattern, re.IGNORECASE | re.MULTILINE)) for kind, pattern in PATTERNS]
# A word every pattern above contains (case-folded). All branches start with a literal, so the regex engine
# scans for their first letters at C speed.
KEYWORDS = re.compile(
    r"correct|clarif|editor|update|retract|withdraw|removed|earlier version|"
    r"تصحيح|استدراك|تنويه|تحديث|ملاحظة|توضيح|سحب"
)
SENTENCE_END = re.compile(r"(?<=[.!?؟。])\s+")
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Notice:
    kind: str  # correction, clarification, editors_note, update, retraction
    text: str  # the sentence it opens or sits in, as it reads on the page, at most NOTICE_MAX_CHARS


def find_notices(text: str) -> list[Notice]:
    """Every notice in ``text``, in page order, once per sentence (a sentence seen twice counts once)."""
    unique: dict[str, Notice] = {}
    for line in (text or "").splitlines():
        # Most lines hold no notice word at all: one fast scan rules them out before the patterns run.
        if not KEYWORDS.search(line.casefold()):
            continue
        found: dict[int, Notice] = {}
        for kind, pattern in COMPILED:
            for match in pattern.finditer(line):
                start, sentence = _sentence_at(line, match.start())
                found.setdefault(start, Notice(kind, sentence))
        for start in sorted(found):
            unique.setdefault(_key(found[start].text), found[start])
    return list(unique.values())


def new_notices(cited: str, current: str | list[Notice]) -> list[Notice]:
    """Notices in ``current`` (a text, or the notices already found in it) whose sentence was not in ``cited``.

    Compared normalised (NFKC, case-folded, single spaces).
    """
    before = _key(cited)
    found = find_notices(current) if isinstance(current, str) else current
    return [notice for notice in found if _key(notice.text) not in before]


def _sentence_at(text: str, position: int) -> tuple[int, str]:
    """The sentence around ``position`` in a line: from the last sentence end before it to the next one after."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line_end = len(text) if line_end == -1 else line_end
    start = line_start
    for end in SENTENCE_END.finditer(text, line_start, position):
        start = end.end()
    # A notice that opens with a label ("Correction:") reads on to the end of its first real sentence.
    after = SENTENCE_END.search(text, position, line_end)
    stop = after.start() if after else line_end
    sentence = SPACES.sub(" ", text[start:stop]).strip()
    if len(sentence) > NOTICE_MAX_CHARS:
        sentence = sentence[: NOTICE_MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return start, sentence


def _key(text: str) -> str:
    """Text as notices are compared: NFKC, case-folded, single spaces, no ellipsis a truncation added."""
    return SPACES.sub(" ", unicodedata.normalize("NFKC", text or "").casefold()).strip().rstrip("…")


# Class or id of an element that holds a notice (``correction``, ``editors-note``, ``update-box``...). Filtered
# in Python: measured 14× faster than the same test as an XPath of contains(translate(...)) calls.
# Not "editor" or "update" alone: an "Editor's picks" or "Live updates" list of other stories is not a notice.
NOTICE_HINT = re.compile(
    r"correct|errat|editors?[-_]?note|notice|clarif|retract|update[-_]?(?:note|notice|box|banner)|تصحيح|تحديث",
    re.IGNORECASE,
)
NOT_TEXT = ("script", "style", "noscript", "template", "svg", "nav", "footer", "form")
BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "aside", "section", "blockquote", "br", "tr"}


def notice_scope(body: bytes) -> str:
    """The text of a page where notices sit: elements named like a notice, then the article (or main, or body).

    One line per block element. Returns "" for a body that is not HTML; never raises on bad markup.
    """
    try:
        # lxml reads bytes without a <meta charset> near the top as Latin-1: UTF-8 (most pages) is decoded
        # here, anything else is left to lxml and the page's own declaration.
        root = lxml.html.document_fromstring(body.decode())
    except (UnicodeDecodeError, ValueError):
        try:
            root = lxml.html.document_fromstring(body)
        except (ValueError, lxml.etree.ParserError):
            return ""
    except lxml.etree.ParserError:
        return ""
    for element in root.xpath("|".join(f"//{tag}" for tag in NOT_TEXT)):
        element.drop_tree()
    for element in root.iter(*BLOCKS):
        element.tail = "\n" + (element.tail or "")
    hinted = [el for el in root.xpath("//*[@class or @id]") if NOTICE_HINT.search(f"{el.get('class')} {el.get('id')}")]
    main = next((found[0] for path in ("//article", "//main", "//body") if (found := root.xpath(path))), root)
    return "\n".join(element.text_content() for element in [*hinted, main])
