"""How much a page's main text still says what we cited: word shingles, compared as exact sets.

Why shingles and not simhash: drift compares one pair of texts per source (the
citation-time snapshot and the page now), never all pairs, so exact sets are
cheap (a 2,000-word article is ~2,000 five-word shingles: well under a
millisecond) and need no hashing tricks. They also give a score an editor can
read ("81 % of the cited text's 5-word sequences are still there"), while a
64-bit simhash says only "41 bits agree" and barely moves when one paragraph
of a long article is rewritten, the very change we want to catch.

The score is the Jaccard index of the two shingle sets: 1.0 for the same text,
0.0 for nothing shared. Removals and additions both lower it (a rewritten
paragraph does both). ``kept`` (the share of the cited shingles still there)
is shown beside it, so an editor can tell "text was removed" from "text was added".

Before shingling, text is normalised so rotating boilerplate that extraction
let through does not count: Unicode NFKC, case-folded, Arabic diacritics and
tatweel dropped, dates, times, weekdays, "3 hours ago" and view or comment
counts (English and Arabic, any digits) read as one ``0``, punctuation
ignored, and short lines that are only an ad label, a cookie notice or a "most
read" heading dropped. Other numbers count: "3 dead" changed to "5 dead" is drift.
"""

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import takewhile

WORD = re.compile(r"\w+")
_UNITS = (
    r"seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?"
    r"|ثانية|ثوان|دقيقة|دقائق|ساعة|ساعات|يوم|أيام|أسبوع|أسابيع|شهر|أشهر"
)
_COUNTED = r"views|comments|shares|reads|likes|مشاهدة|مشاهدات|تعليق|تعليقات|مشاركة"
_MONTHS = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october"
    " nov november dec december يناير فبراير مارس أبريل إبريل ابريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر اكتوبر"
    " نوفمبر ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين"
)
MONTHS = frozenset(_MONTHS.split())
WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد".split()
)
# Of a two-word Levantine month (تشرين الأول, كانون الثاني), the second word.
MONTH_ORDINALS = frozenset(("الأول", "الثاني"))
# What rotates on every visit, as figures: dates (2026-11-27, 27/11), times (14:03 pm), "3 hours ago", "1,204 views",
# ordinal days ("27th"). Every branch starts at a digit that follows no digit, so the regex engine skips to digits
# at C speed. Month names with their numbers, and weekdays, are dropped word by word (_without_date_words):
# "May" and "march" are words too, so a month name counts as a date only beside a number.
ROTATING = re.compile(
    r"\d(?<!\d\d)(?:"
    r"\d{0,3}[-/.]\d{1,2}[-/.]\d{1,4}"
    r"|\d?:\d{2}(?::\d{2})?(?:\s*(?:am|pm|gmt|utc|ص|م)\b)?"
    r"|\d?(?:st|nd|rd|th)\b"
    rf"|\d*\s+(?:{_UNITS})\b(?:\s+ago\b)?"
    rf"|[\d,.]*\s*(?:{_COUNTED})\b"
    r")"
)
# Tashkeel (harakat, shadda, sukun, Quranic marks), the superscript alef and the tatweel (kashida):
# an editor may add or drop them without changing a word.
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Lines that are only boilerplate labels, in English and Arabic. Only short lines (BOILERPLATE_MAX_WORDS)
# are dropped, so an article that is about cookies or advertising keeps its sentences.
BOILERPLATE = re.compile(
    r"advertisement|sponsored|most read|most popular|trending now|cookies?\b|accept all|sign up|subscribe"
    r"|read more|share this|إعلان|الأكثر قراءة|الأكثر مشاهدة|ملفات تعريف الارتباط|اشترك|اقرأ أيضا",
)
BOILERPLATE_MAX_WORDS = 12


@dataclass(frozen=True)
class Similarity:
    score: float  # Jaccard index of the shingle sets, 0..1
    kept: float  # share of the cited text's shingles still on the page, 0..1
    cited_shingles: int
    current_shingles: int


def normalise_words(text: str) -> list[str]:
    """The words of ``text`` as compared: normalised as the module docstring says, boilerplate lines left out."""
    text = ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text or "").casefold())
    words: list[str] = []
    for line in ROTATING.sub(" 0 ", text).splitlines():
        line_words = WORD.findall(line)
        if len(line_words) <= BOILERPLATE_MAX_WORDS and BOILERPLATE.search(line):
            continue
        words += line_words
    return _without_date_words(words)


def _without_date_words(words: list[str]) -> list[str]:
    """Drop weekdays, and month names beside a number with their numbers ("november 27 2026", "0 نوفمبر")."""
    if MONTHS.isdisjoint(words) and WEEKDAYS.isdisjoint(words):
        return words  # most texts: two set look-ups in C instead of a loop in Python
    dropped = set()
    for i, word in enumerate(words):
        if word in WEEKDAYS:
            dropped.add(i)
        elif word in MONTHS:
            end = i + 2 if i + 1 < len(words) and words[i + 1] in MONTH_ORDINALS else i + 1
            before = range(i - 1, i) if i and words[i - 1].isdigit() else range(0)
            after = list(takewhile(lambda j: words[j].isdigit(), range(end, min(end + 2, len(words)))))
            if before or after:
                dropped.update(range(i, end), before, after)
    return [word for i, word in enumerate(words) if i not in dropped] if dropped else words


def shingles(words: list[str], width: int) -> set[tuple[str, ...]]:
    """Every run of ``width`` consecutive words; a text shorter than that is one shingle of itself."""
    if len(words) < width:
        return {tuple(words)} if words else set()
    return set(zip(*(words[i:] for i in range(width)), strict=False))


def similarity(cited: str, current: str, *, width: int = 5) -> Similarity:
    """Compare the citation-time text with the text now. Two empty texts are the same (1.0)."""
    before, after = shingles(normalise_words(cited), width), shingles(normalise_words(current), width)
    if not before and not after:
        return Similarity(1.0, 1.0, 0, 0)
    shared = len(before & after)
    union = len(before) + len(after) - shared
    kept = shared / len(before) if before else 0.0
    return Similarity(round(shared / union, 4), round(kept, 4), len(before), len(after))


def title_similarity(cited: str, current: str) -> float:
    """How alike two titles are, 0..1, word by word (difflib's ratio). Digits count here: "3 dead" is not "5 dead"."""
    before = WORD.findall(unicodedata.normalize("NFKC", cited or "").casefold())
    after = WORD.findall(unicodedata.normalize("NFKC", current or "").casefold())
    if not before and not after:
        return 1.0
    return round(SequenceMatcher(None, before, after, autojunk=False).ratio(), 4)
