"""The pure parts of drift: the similarity score, what normalisation ignores, notices, and the side-by-side marks."""

import os
import subprocess
import sys

import pytest

from attribution.snapshots.compare import normalise_words, similarity, title_similarity
from attribution.snapshots.notices import find_notices, new_notices, notice_scope
from attribution.snapshots.sidebyside import side_by_side, word_diff
from tests.snapshots.drift_pages import ARABIC, ENGLISH, ENGLISH_REWRITTEN, news_page

TEXT = "\n".join(ENGLISH)


def test_the_same_text_scores_one_and_unrelated_texts_score_near_zero():
    assert similarity(TEXT, TEXT).score == 1.0
    unrelated = "\n".join(ARABIC)
    assert similarity(TEXT, unrelated).score == 0.0
    assert similarity("", "").score == 1.0
    assert similarity(TEXT, "").score == 0.0


def test_half_the_article_rewritten_falls_below_the_default_threshold_and_kept_says_how_much_survived():
    result = similarity(TEXT, "\n".join(ENGLISH_REWRITTEN))
    assert 0.2 < result.score < 0.8
    assert 0.4 < result.kept < 0.6  # three paragraphs of six survive


def test_one_corrected_word_or_an_added_sentence_stays_above_the_threshold():
    typo = TEXT.replace("promenade", "seafront")
    assert 0.9 < similarity(TEXT, typo).score < 1.0  # 5 of 150 shingles out, 5 in
    added = TEXT + "\nA spokesperson for the dock workers said they would watch the timetable closely."
    assert 0.85 < similarity(TEXT, added).score < 1.0
    assert similarity(TEXT, added).kept == 1.0


@pytest.mark.parametrize(
    "then, now",
    [
        ("Updated 27 November 2026, 14:03 GMT", "Updated 3 December 2026, 09:12 GMT"),
        ("Published Friday, Nov. 27, 2026 at 2:03 pm", "Published Monday, Dec. 28, 2026 at 9:12 am"),
        ("Posted 5 hours ago · 1,204 views", "Posted 2 days ago · 88,310 views"),
        ("الجمعة 27 نوفمبر 2026 - 14:03", "الاثنين ٢٨ ديسمبر ٢٠٢٦ - ٠٩:١٢"),
        ("منذ 3 ساعات · ١٢ مشاهدة", "منذ 5 أيام · 4,210 مشاهدة"),
        ("2026-11-27T14:03", "2026-12-28T09:12"),
    ],
)
def test_rotating_dates_times_and_counts_read_the_same(then, now):
    assert normalise_words(then) == normalise_words(now)


def test_other_numbers_count_and_month_words_are_still_words():
    assert normalise_words("3 dead in harbour fire") != normalise_words("5 dead in harbour fire")
    assert normalise_words("May the best crew win") == ["may", "the", "best", "crew", "win"]


def test_short_boilerplate_lines_are_dropped_but_sentences_about_cookies_are_kept():
    leaked = TEXT + "\nAdvertisement\nMost read\nWe use cookies to improve your experience. Accept all\nاقرأ أيضا"
    assert similarity(TEXT, leaked).score == 1.0
    about = "The bakery's cookies won the regional prize for the third year running, the judges announced today."
    assert "cookies" in normalise_words(about)


def test_arabic_diacritics_and_tatweel_do_not_count():
    assert normalise_words("الرافعاتُ تعودُ") == normalise_words("الرافعات تعـــود")


def test_title_similarity_counts_words_in_order():
    assert title_similarity("Cranes return | Gazette", "Cranes return | Gazette") == 1.0
    assert (
        title_similarity("Cranes return to the harbour | Gazette", "Cranes return to the harbour - The Gazette") > 0.6
    )
    assert title_similarity("Cranes return to the harbour", "Port scraps crane plan after fee dispute") < 0.3


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Correction: An earlier version of this article misstated the date.", "correction"),
        ("CORRECTION — The mayor's name was misspelt.", "correction"),
        ("A correction appended to this story explains the error.", "correction"),
        ("An earlier version of this story misstated the date of the storm.", "correction"),
        ("This article has been removed at the request of the family.", "retraction"),
        ("Clarification: the fees apply to container ships only.", "clarification"),
        ("Editor's note: names have been changed.", "editors_note"),
        ("Editors’ note: this story was reported from the quay.", "editors_note"),
        ("This article has been updated to include comment from the mayor.", "update"),
        ("This story was updated to reflect new figures.", "update"),
        ("Update: police say a second man was arrested.", "update"),
        ("UPDATE 2 - police say more.", "update"),
        ("This article has been retracted.", "retraction"),
        ("The study was later retracted by the journal.", "retraction"),
        ("تصحيح: ورد في نسخة سابقة من هذا المقال خطأ في التاريخ.", "correction"),
        ("تنويه: تم تصحيح اسم الوزير.", "correction"),
        ("تحديث: الشرطة تقول إن عدد القتلى ارتفع.", "update"),
        ("تم تحديث هذا المقال لإضافة تعليق الوزير.", "update"),
        ("ملاحظة المحرر: تم تغيير الأسماء.", "editors_note"),
        ("تم سحب هذا المقال بناء على طلب المصدر.", "retraction"),
    ],
)
def test_notices_are_recognised_in_english_and_arabic(text, kind):
    (notice,) = find_notices(f"Some paragraph before.\n{text}\nSome paragraph after.")
    assert (notice.kind, notice.text) == (kind, text)


@pytest.mark.parametrize(
    "text",
    [
        "By Ana Lopes · Updated 27 November 2026, 14:03",
        "Last updated: 28 December 2026",
        "آخر تحديث: 27 نوفمبر 2026",
        "The council will update its plan next year, and corrections to the budget are expected.",
        "The ministry announced an update to the timetable.",
        "Work on تحديث الأنظمة continues.",
    ],
)
def test_bylines_and_ordinary_sentences_are_not_notices(text):
    assert find_notices(text) == []


def test_a_long_notice_is_cut_at_a_word_to_fit_the_field():
    (notice,) = find_notices("Correction: " + "the figure was wrong and " * 40)
    assert len(notice.text) <= 300 and notice.text.endswith("…")


def test_only_notices_that_were_not_in_the_cited_text_are_new():
    cited = "Correction: the date was wrong.\nThe article."
    now = "Correction: the date was wrong.\nEditor's note: names changed.\nThe article."
    assert [n.text for n in new_notices(cited, now)] == ["Editor's note: names changed."]


def test_the_notice_scope_finds_notices_extraction_leaves_out_and_ignores_the_most_read_list():
    notice = '<div class="editors-note">Editor\'s note: names have been changed.</div>'
    page = news_page("Cranes", ENGLISH, notice=notice).replace(b"Storm closes ferry routes", b"Correction: bus fares")
    scope = notice_scope(page)
    assert [n.text for n in find_notices(scope)] == ["Editor's note: names have been changed."]
    assert notice_scope(b"") == "" and notice_scope(b"\x00\xff garbage") is not None


def test_an_editors_picks_list_beside_the_article_is_not_searched_for_notices():
    picks = '<div class="editor-picks"><p>Update: storm closes the bridge</p></div>'
    page = news_page("Cranes", ENGLISH).replace(b"<main>", b"<main>" + picks.encode())
    assert find_notices(notice_scope(page)) == []
    boxed = '<div class="update-notice"><p>Update: the authority has delayed the work.</p></div>'
    page = news_page("Cranes", ENGLISH).replace(b"<main>", b"<main>" + boxed.encode())
    assert [n.kind for n in find_notices(notice_scope(page))] == ["update"]


def test_side_by_side_marks_words_removed_and_added_and_escapes_everything():
    before = "The cost was 14 million euros.\nResidents <script>alert(1)</script> were promised quiet."
    after = "The cost was 19 million euros.\nResidents <script>alert(1)</script> were promised quiet.\nA new line."
    rows = side_by_side(before, after)
    assert [row.kind for row in rows] == ["replace", "equal", "insert"]
    assert "<del>14</del>" in rows[0].before and "<ins>19</ins>" in rows[0].after
    assert "&lt;script&gt;" in rows[1].before and "<script>" not in rows[1].after
    assert rows[2].before == "" and rows[2].after == "<ins>A new line.</ins>"


def test_word_diff_escapes_markup_in_changed_words():
    left, right = word_diff("safe", "<img src=x onerror=alert(1)>")
    assert "<img" not in right and "&lt;img" in right
    assert left == "<del>safe</del>"


@pytest.mark.parametrize("name", ["DRIFT_CHANGED_BELOW", "DRIFT_TITLE_CHANGED_BELOW"])
def test_a_threshold_above_one_stops_start_up_naming_the_setting(name):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", name: "1.5"}
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, timeout=60
    )
    assert started.returncode != 0
    assert f"{name}=1.5: a similarity, at most 1." in started.stderr
