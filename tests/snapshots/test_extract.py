"""Main text and title: the article without the page around it, in English and Arabic, HTML and PDF."""

import pytest

from attribution.snapshots.extract import Extracted, document_kind, extract
from tests.snapshots.server import ARTICLE, PDF

ARABIC = """<!doctype html><html lang="ar" dir="rtl"><head><meta charset="windows-1256">
<meta property="og:title" content="الرافعات تعود إلى الميناء"><title>الرافعات تعود إلى الميناء | جريدة الميناء</title></head>
<body><div class="cookie">نستخدم ملفات تعريف الارتباط لتحسين تجربتك.</div>
<nav><a href="/">الرئيسية</a> <a href="/news">أخبار</a></nav>
<article><h1>الرافعات تعود إلى الميناء</h1>
<p>قالت هيئة الميناء يوم الثلاثاء إن الرافعات الجديدة ستصل قبل نهاية العام، بعد سنوات من الانتظار.</p>
<p>وأكد متحدث باسم الوزارة في بيان أن ميزانية إصلاح الجسر تضاعفت منذ التقدير الأول للمشروع.</p>
<p>وأعرب التجار المحليون عن أملهم في أن تعيد حركة الحاويات الوظائف التي فقدت خلال الأعوام الماضية.</p>
</article><aside><h2>الأكثر قراءة</h2><ol><li>العاصفة تغلق الطريق الساحلي</li></ol></aside>
<footer>© 2026 جريدة الميناء. جميع الحقوق محفوظة.</footer></body></html>"""


def test_the_article_text_is_kept_and_the_page_around_it_is_not():
    extracted = extract(ARTICLE.encode(), "text/html", "https://harbour.example/article")

    assert extracted.title == "Cranes return to the harbour | Harbour Gazette"
    assert "The harbour authority confirmed on Tuesday" in extracted.text
    assert "Local traders hope the return of container traffic" in extracted.text
    for boilerplate in ("cookies", "Accept all", "Most read", "Storm closes", "All rights reserved", "Privacy"):
        assert boilerplate not in extracted.text


def test_an_arabic_page_in_a_legacy_encoding_is_read_right():
    extracted = extract(ARABIC.encode("windows-1256"), "text/html", "https://harbour.example/ar")

    assert extracted.title == "الرافعات تعود إلى الميناء"  # og:title: no " | site name"
    assert "قالت هيئة الميناء يوم الثلاثاء" in extracted.text
    assert "وأعرب التجار المحليون" in extracted.text
    assert "الأكثر قراءة" not in extracted.text and "ملفات تعريف الارتباط" not in extracted.text


def test_a_pdf_gives_its_title_and_text():
    extracted = extract(PDF, "application/pdf", "https://harbour.example/report.pdf")

    assert extracted == Extracted("Harbour report 2026", extracted.text)
    assert "Annual report of the harbour authority." in extracted.text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"", "text/html"),
        (b"\x00\xff\xfe garbage <<<", "text/html"),
        (PDF[: len(PDF) // 2], "application/pdf"),  # cut off mid-file, as a truncated snapshot is
        (b"%PDF-1.4 nothing else", "application/pdf"),
        (b"a,b\n1,2\n", "text/csv"),
    ],
)
def test_unreadable_or_unknown_input_gives_what_it_can_and_never_raises(body, content_type):
    extracted = extract(body, content_type, "https://harbour.example/x")

    assert isinstance(extracted.title, str) and isinstance(extracted.text, str)


def test_the_text_hash_is_the_sha256_of_the_text():
    assert Extracted("t", "abc").text_hash == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


@pytest.mark.parametrize(
    ("content_type", "prefix", "kind"),
    [
        ("text/html", b"", "html"),
        ("application/xhtml+xml", b"", "html"),
        ("application/pdf", b"", "pdf"),
        ("", b"  <!DOCTYPE html><html>", "html"),
        ("application/octet-stream", b"%PDF-1.7", "pdf"),
        ("image/png", b"<html>", ""),
        ("", b"plain words", ""),
    ],
)
def test_what_counts_as_a_document(content_type, prefix, kind):
    assert document_kind(content_type, prefix) == kind
