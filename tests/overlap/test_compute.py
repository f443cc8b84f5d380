"""Comparing two texts: containment, the longest passage, normalisation, and linear work on long texts."""

import random

from attribution.overlap.compute import MAX_POSITIONS_PER_NGRAM, compare, index_source, normal_words
from tests.overlap.texts import (
    ARABIC_COPY,
    ARABIC_SOURCE,
    LIGHT_REWRITE,
    SITE_FURNITURE,
    UNRELATED_STORY,
    WIRE_STORY,
)

SNAPSHOT_TEXT = f"{SITE_FURNITURE}\n\n{WIRE_STORY}\n\n{SITE_FURNITURE}"


def overlap(article: str, source: str = SNAPSHOT_TEXT, n: int = 8, max_chars: int = 2000):
    return compare(article, index_source(source, n), max_passage_chars=max_chars)


def test_a_verbatim_copy_is_fully_contained_and_its_longest_passage_is_the_whole_article():
    found = overlap(WIRE_STORY)

    words = len(normal_words(WIRE_STORY)[1])
    assert found.containment == 1.0
    assert found.shared_ngrams == found.article_ngrams == words - 7
    assert found.longest_passage_words == words
    assert found.longest_passage.startswith("The port authority said on Monday")
    assert found.longest_passage.endswith("according to figures released by the authority")


def test_a_light_rewrite_shares_some_sequences_and_a_shorter_passage():
    found = overlap(LIGHT_REWRITE)

    assert 0.2 < found.containment < 0.8
    assert 8 <= found.longest_passage_words < len(normal_words(LIGHT_REWRITE)[1]) / 2
    # The passage is the article's own words, as written, and the source has them too.
    assert found.longest_passage in LIGHT_REWRITE
    assert found.longest_passage in " ".join(WIRE_STORY.split())


def test_the_longest_passage_is_the_longest_verbatim_run_not_the_first():
    found = overlap(LIGHT_REWRITE)

    # The rewrite opens with a shorter shared run ("The port authority ... harbour cranes", 10 words).
    assert found.longest_passage_words == 20
    assert found.longest_passage == (
        "and rebuilt the control cabins, which had been damaged by salt water during the winter storms. "
        "Dock workers, who had"
    )


def test_an_unrelated_text_shares_nothing():
    found = overlap(UNRELATED_STORY)

    assert (found.containment, found.shared_ngrams, found.longest_passage_words, found.longest_passage) == (
        0.0,
        0,
        0,
        "",
    )


def test_case_punctuation_whitespace_and_compatibility_forms_do_not_matter():
    source = "Engineers replaced the cranes' steel cables and rebuilt the control cabins"
    shouted = "ENGINEERS   replaced—the cranes’ steel\ncables, and REBUILT the ｃｏｎｔｒｏｌ cabins!"

    found = overlap(shouted, source)

    assert found.containment == 1.0 and found.longest_passage_words == 11
    # The passage is cut from the article (in NFKC): its own spelling and punctuation, whitespace collapsed.
    assert found.longest_passage == "ENGINEERS replaced—the cranes’ steel cables, and REBUILT the control cabins"


def test_an_arabic_copy_without_tashkeel_or_hamza_and_with_tatweel_matches_its_source():
    found = overlap(ARABIC_COPY, ARABIC_SOURCE)

    assert found.containment == 1.0
    assert found.longest_passage_words == len(normal_words(ARABIC_SOURCE)[1])
    assert found.longest_passage.startswith("اعلنت هيئة الميناء")


def test_arabic_normalisation_removes_marks_and_tatweel_and_folds_alef_forms():
    assert normal_words("هيئةُ الميناءِ ستعــود أُزيلت إلى ٢٠٢٦")[1] == [
        "هيئة",
        "الميناء",
        "ستعود",
        "ازيلت",
        "الي",
        "2026",
    ]


def test_an_article_shorter_than_one_sequence_has_nothing_to_compare():
    found = overlap("The port authority said on Monday.")

    assert (found.article_ngrams, found.containment, found.longest_passage_words) == (0, 0.0, 0)


def test_the_stored_passage_is_cut_at_the_limit_but_its_word_count_stays_whole():
    found = overlap(WIRE_STORY, max_chars=100)

    assert len(found.longest_passage) == 101 and found.longest_passage.endswith("…")
    assert found.longest_passage_words == len(normal_words(WIRE_STORY)[1])


def test_the_sequence_length_is_a_parameter():
    # Every 4-word sequence of this rewrite's opening is in the source; most 12-word ones are not.
    assert overlap(LIGHT_REWRITE, n=4).containment > overlap(LIGHT_REWRITE, n=12).containment


def _long_text(words: int, seed: int) -> str:
    rng = random.Random(seed)
    vocabulary = [f"w{rng.randrange(5000)}" for _ in range(2000)]
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def test_work_grows_linearly_with_the_texts_not_with_their_product():
    """Counted steps, not time: doubling both texts doubles the work (difflib's would quadruple)."""
    small, large = _long_text(10_000, seed=1), _long_text(20_000, seed=1)

    work_small = overlap(small, small).work
    work_large = overlap(large, large).work

    assert work_large / work_small < 2.1
    # About three steps per word: a look-up and a run extension per article n-gram, one index step per source n-gram.
    assert work_large < 3.1 * 20_000


def test_a_long_copy_inside_a_longer_source_is_found_whole():
    article = _long_text(30_000, seed=2)
    source = f"{_long_text(20_000, seed=3)} {article} {_long_text(20_000, seed=4)}"

    found = overlap(article, source)

    assert found.containment == 1.0 and found.longest_passage_words == 30_000


def test_a_source_repeating_one_sentence_keeps_the_work_bounded():
    sentence = "the harbour cranes will return to the eastern quay soon "
    source = sentence * 2000  # 20,000 words, each 8-gram at 2,000 positions
    article = sentence * 500

    found = overlap(article, source)

    assert found.containment == 1.0
    # Each article n-gram extends at most MAX_POSITIONS_PER_NGRAM runs.
    article_ngrams = 5000 - 7
    assert found.work <= article_ngrams * (1 + MAX_POSITIONS_PER_NGRAM) + 20_000
