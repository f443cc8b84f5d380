"""The cited text and the text now, side by side, with what was removed and added marked word by word.

Paragraphs are aligned first (difflib on whole lines), then each edited
paragraph is compared word by word with its new version, so a changed figure shows as
one struck word beside one inserted word rather than two whole paragraphs.
Every piece of page text is escaped here; the markup added is only ``<del>``
and ``<ins>``, which read as removed and added without colour (and to screen
readers). Direction is left to the browser per cell (``dir="auto"`` in the
template), so Arabic paragraphs read right to left beside English ones.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TOKENS = re.compile(r"\s+|[^\s]+")
# Past this many words a replaced block is marked whole: difflib's cost grows with the square of it.
# Past this many paragraph pairs (a page rewritten from top to bottom) removed and added paragraphs are not paired.
MAX_PAIRINGS = 10_000
MAX_WORDS_COMPARED = 4000


@dataclass(frozen=True)
class Row:
    kind: str  # equal, replace, delete (only in the cited text), insert (only in the text now)
    before: SafeString
    after: SafeString


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def side_by_side(before: str, after: str) -> list[Row]:
    """Rows of (cited, now) HTML, in reading order. Both texts are plain text; the result is safe to render."""
    old, new = paragraphs(before), paragraphs(after)
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [Row("equal", escape(a), escape(b)) for a, b in zip(old[i1:i2], new[j1:j2], strict=True)]
        elif tag == "delete":
            rows += [Row("delete", _marked(a, "del"), mark_safe("")) for a in old[i1:i2]]
        elif tag == "insert":
            rows += [Row("insert", mark_safe(""), _marked(b, "ins")) for b in new[j1:j2]]
        else:
            rows += _paired(old[i1:i2], new[j1:j2])
    return rows


def _paired(old: list[str], new: list[str]) -> list[Row]:
    """Replaced paragraphs, each edited one beside its new version (in order, at least half its words alike),
    the rest as removed or added: every row holds one paragraph a side, so each keeps its own direction."""
    rows: list[Row] = []
    if len(old) * len(new) > MAX_PAIRINGS:
        return [Row("delete", _marked(a, "del"), mark_safe("")) for a in old] + _added(new)
    j = 0
    for a in old:
        match = next((k for k in range(j, len(new)) if _alike(a, new[k])), None)
        if match is None:
            rows.append(Row("delete", _marked(a, "del"), mark_safe("")))
            continue
        rows += _added(new[j:match])
        rows.append(Row("replace", *word_diff(a, new[match])))
        j = match + 1
    return rows + _added(new[j:])


def _added(paragraphs: list[str]) -> list[Row]:
    return [Row("insert", mark_safe(""), _marked(b, "ins")) for b in paragraphs]


def _alike(a: str, b: str) -> bool:
    matcher = SequenceMatcher(None, a.split(), b.split(), autojunk=False)
    return matcher.real_quick_ratio() >= 0.5 and matcher.quick_ratio() >= 0.5 and matcher.ratio() >= 0.5


def word_diff(before: str, after: str) -> tuple[SafeString, SafeString]:
    """The two texts as HTML, words only in ``before`` in ``<del>``, words only in ``after`` in ``<ins>``."""
    old, new = TOKENS.findall(before), TOKENS.findall(after)
    if len(old) + len(new) > 2 * MAX_WORDS_COMPARED:
        return _marked(before, "del"), _marked(after, "ins")
    left, right = [], []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        removed, added = "".join(old[i1:i2]), "".join(new[j1:j2])
        if tag == "equal":
            left.append(escape(removed))
            right.append(escape(added))
            continue
        if removed:
            left.append(_marked(removed, "del"))
        if added:
            right.append(_marked(added, "ins"))
    return mark_safe("".join(left)), mark_safe("".join(right))  # every piece escaped above


def _marked(text: str, tag: str) -> SafeString:
    """``text`` escaped inside ``<tag>``, its leading and trailing spaces left outside (a struck space reads oddly)."""
    core = text.strip()
    if not core:
        return escape(text)
    start = text.index(core)
    lead, trail = text[:start], text[start + len(core) :]
    return mark_safe(f"{escape(lead)}<{tag}>{escape(core)}</{tag}>{escape(trail)}")  # escaped; the tag is ours
