"""Compare an article with a source's text: word n-gram containment and the longest verbatim passage.

No database here: plain text in, numbers and a passage out.

The work is linear in the two texts. Each is tokenised once; the source's n-grams go into a hash table
(n-gram → its first few positions), and each of the article's n-grams is looked up in it once. The longest
passage follows runs of matching n-grams along a diagonal (article position i with source position p, then
i + 1 with p + 1), so it is bounded by the article's length times ``MAX_POSITIONS_PER_NGRAM``, never by
len(article) × len(source) as difflib's SequenceMatcher over whole texts would be. Passages shorter than
one n-gram are not found: below that length a match is common phrasing, not evidence of copying.
"""

import itertools
import re
import unicodedata
from dataclasses import dataclass

# A word: letters, digits, and the marks written inside words (combining accents, Hebrew points, Arabic
# tashkeel, the Indic blocks' vowel signs, the zero-width (non-)joiners of Persian), so that a vowel sign
# does not split a word in two. Python's \w alone leaves those marks out.
WORD = re.compile(
    r"[\w\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    r"\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
    r"\u0900-\u0963\u0966-\u0dff\u200c\u200d]+"
)

# Removed from every word: Arabic tashkeel (vowel marks, shadda, sukun, Quranic marks) and tatweel (the
# stretching stroke), Hebrew points, zero-width joiners and underscores. A writer may add or drop any of
# them without changing the word.
_REMOVED = [
    *range(0x0610, 0x061B),  # Arabic signs written above or below a word
    *range(0x064B, 0x0660),  # tashkeel: tanween, fatha, damma, kasra, shadda, sukun and the rarer marks
    0x0670,  # superscript alef
    *range(0x06D6, 0x06DD),  # Quranic annotation marks
    *range(0x06DF, 0x06E9),
    *range(0x06EA, 0x06EE),
    0x0640,  # tatweel
    *range(0x0591, 0x05C8),  # Hebrew points and cantillation
    0x200C,  # zero-width non-joiner
    0x200D,  # zero-width joiner
    ord("_"),
]
# Spellings of one letter that writers and keyboards mix: hamza forms of alef, alef maqsura and the Persian
# yeh and kaf, Arabic-Indic digits. Folded so "أحمد" matches "احمد" and "٢٠٢٦" matches "2026".
_FOLDED = {0x0623: "ا", 0x0625: "ا", 0x0622: "ا", 0x0671: "ا", 0x0649: "ي", 0x06CC: "ي", 0x06A9: "ك"}
_FOLDED |= {0x0660 + d: str(d) for d in range(10)} | {0x06F0 + d: str(d) for d in range(10)}
FOLD = {**dict.fromkeys(_REMOVED), **_FOLDED}

# An n-gram repeated more often than this in one source keeps only its first positions: the bound that
# keeps a source made of one repeated sentence linear. Only the longest passage can be affected.
MAX_POSITIONS_PER_NGRAM = 16


def normal_words(text: str) -> tuple[str, list[str]]:
    """The text in NFKC and its words, normalised: case-folded, marks and tatweel removed, letters folded.

    Loops run in C (findall, a dict per distinct word, map): about half a microsecond a word.
    """
    text, words, _folded = _tokens(text)
    return text, words


def _tokens(text: str) -> tuple[str, list[str], dict[str, str]]:
    """normal_words, plus each distinct token as found → as normalised (what _passage needs to count words)."""
    text = unicodedata.normalize("NFKC", text)
    raw = WORD.findall(text)
    folded = {word: word.casefold().translate(FOLD) for word in set(raw)}
    return text, [word for word in map(folded.__getitem__, raw) if word], folded


def ngram_hashes(words: list[str], n: int) -> list[int]:
    """The hash of every run of ``n`` consecutive words, in order (none when there are fewer than ``n``).

    Ints, not tuples: a tuple recomputes its hash at every set or dict look-up. Python's 64-bit hash
    makes a false match between two different n-grams about a 1-in-10^18 event per pair. Never stored:
    string hashes differ from one process to the next.
    """
    return list(map(hash, zip(*(words[k:] for k in range(n)), strict=False)))


@dataclass
class SourceIndex:
    """A source's n-grams → their first position (an int), or first positions (a list) when repeated.

    Built once per snapshot and reused for every article citing it.
    """

    ngram_words: int
    positions: dict[int, int | list[int]]
    # Work done building it (one step per source n-gram): part of what the complexity test counts.
    work: int


def index_source(text: str, ngram_words: int) -> SourceIndex:
    hashes = ngram_hashes(normal_words(text)[1], ngram_words)
    # First positions in one C-level pass: reversed, so the earliest position of a repeated n-gram wins.
    positions: dict[int, int | list[int]] = dict(zip(reversed(hashes), range(len(hashes) - 1, -1, -1), strict=True))
    if len(positions) < len(hashes):
        _add_repeats(hashes, positions)
    return SourceIndex(ngram_words=ngram_words, positions=positions, work=len(hashes))


def _add_repeats(hashes: list[int], positions: dict) -> None:
    """Turn each repeated n-gram's entry into its first MAX_POSITIONS_PER_NGRAM positions."""
    seen = set()
    repeated = {h for h in hashes if h in seen or seen.add(h)}
    lists: dict[int, list[int]] = {h: [] for h in repeated}
    for position, gram in enumerate(hashes):
        found = lists.get(gram)
        if found is not None and len(found) < MAX_POSITIONS_PER_NGRAM:
            found.append(position)
    positions.update(lists)


@dataclass(frozen=True)
class Overlap:
    ngram_words: int
    article_ngrams: int  # distinct n-grams in the article
    shared_ngrams: int  # of those, how many the source contains
    longest_passage_words: int  # 0, or at least ngram_words
    longest_passage: str  # cut from the article, whitespace collapsed, at most max_passage_chars
    work: int  # n-gram look-ups and run extensions: counted by the complexity test instead of timing

    @property
    def containment(self) -> float:
        """Share of the article's distinct n-grams found in the source, 0.0 to 1.0 (0.0 for a too-short article)."""
        return self.shared_ngrams / self.article_ngrams if self.article_ngrams else 0.0


def _longest_run(hashes: list[int], source: SourceIndex) -> tuple[int, int, int]:
    """(run length in n-grams, article index of its last n-gram, work) of the longest diagonal run.

    A run continues where the previous article n-gram matched the previous source position. Most n-grams
    occur once in a source, so the previous match is kept as one (position, run) pair; a dict of them
    only after a repeated n-gram.
    """
    best, best_end, work = 0, -1, 0
    last_position, last_run, several = -2, 0, None
    lookup = source.positions.get
    for index, gram in enumerate(hashes):
        found = lookup(gram)
        work += 1
        if found is None:
            last_position, several = -2, None
            continue
        if found.__class__ is int:
            if several is None:
                run = last_run + 1 if found == last_position + 1 else 1
            else:
                run, several = several.get(found - 1, 0) + 1, None
            last_position, last_run = found, run
        else:
            previous = several if several is not None else {last_position: last_run}
            several = {position: previous.get(position - 1, 0) + 1 for position in found}
            run, last_position = max(several.values()), -2
            work += len(found)
        if run > best:
            best, best_end = run, index
    return best, best_end, work


def _passage(text: str, folded: dict[str, str], first_word: int, last_word: int, max_chars: int) -> str:
    """The article's own text from word ``first_word`` to ``last_word`` (counted as normal_words counts)."""
    matches = WORD.finditer(text)
    if all(folded.values()):
        # No token folds to nothing, so word i is match i: skip to it in C.
        first = next(itertools.islice(matches, first_word, None))
        last = first if last_word == first_word else next(itertools.islice(matches, last_word - first_word - 1, None))
    else:
        kept = (match for match in matches if folded[match.group()])  # a token of only marks is not a word
        first = next(itertools.islice(kept, first_word, None))
        last = first if last_word == first_word else next(itertools.islice(kept, last_word - first_word - 1, None))
    passage = " ".join(text[first.start() : last.end()].split())
    return passage[:max_chars].rstrip() + "…" if len(passage) > max_chars else passage


def compare(article_text: str, source: SourceIndex, *, max_passage_chars: int) -> Overlap:
    """How much of ``article_text`` appears in the indexed source. Linear in the article's length."""
    n = source.ngram_words
    text, words, folded = _tokens(article_text)
    hashes = ngram_hashes(words, n)
    distinct = set(hashes)
    shared = len(distinct & source.positions.keys())
    run, end, work = _longest_run(hashes, source) if shared else (0, -1, len(hashes))
    passage, passage_words = "", 0
    if run:
        first_word, last_word = end - run + 1, end + n - 1
        passage_words = last_word - first_word + 1
        passage = _passage(text, folded, first_word, last_word, max_passage_chars)
    return Overlap(
        ngram_words=n,
        article_ngrams=len(distinct),
        shared_ngrams=shared,
        longest_passage_words=passage_words,
        longest_passage=passage,
        work=work + source.work,
    )
