"""Reading a page's title from the first bytes of its HTML, the way a browser would show it."""

import pytest

from attribution.lib.html_title import MAX_TITLE_CHARS, has_title_end, page_title

HEAD = b"<!doctype html><html><head><meta name=viewport content='width=device-width'>"


def test_it_reads_a_plain_title():
    assert page_title(HEAD + b"<title>Cranes return to the harbour</title></head>") == "Cranes return to the harbour"


@pytest.mark.parametrize(
    "decoy",
    [
        b"<!-- <title>Page not found</title> -->",
        b"<script>document.write('<title>Page not found</title>')</script>",
        b"<STYLE>/* <title>Page not found</title> */</STYLE>",
        b"<template><title>Page not found</title></template>",
    ],
)
def test_a_title_inside_a_comment_script_style_or_template_is_not_the_page_title(decoy):
    body = HEAD + decoy + b"<title>Cranes return to the harbour</title></head>"
    assert page_title(body) == "Cranes return to the harbour"


def test_an_svg_icons_title_is_a_tooltip_not_the_page_title():
    icon = b'<svg viewBox="0 0 10 10"><svg><title>Nested</title></svg><title>404 icon</title><path d="M0 0"/></svg>'
    body = HEAD + b"</head><body>" + icon + b"<title>Cranes return to the harbour</title>"
    assert page_title(body) == "Cranes return to the harbour"


def test_a_self_closing_svg_hides_nothing_after_it():
    body = HEAD + b'<svg class="sprite" /><title>Cranes return to the harbour</title>'
    assert page_title(body) == "Cranes return to the harbour"


def test_an_empty_comment_closes_at_once():
    body = HEAD + b"<!--><title>Cranes return</title><!--->"
    assert page_title(body) == "Cranes return"


def test_entities_are_unescaped_and_whitespace_collapsed():
    body = HEAD + b"<title>\n  Fish&amp;Chips&nbsp;&#8211;  the\tharbour&#8217;s &lt;best&gt;\n</title>"
    assert page_title(body) == "Fish&Chips – the harbour’s <best>"


def test_a_long_title_is_capped():
    assert len(page_title(b"<title>" + b"word " * 200 + b"</title>")) == MAX_TITLE_CHARS


def test_attributes_on_the_title_tag_are_not_part_of_it():
    assert page_title(b'<title data-note="a>b" lang=en>Cranes</title>') == "Cranes"


@pytest.mark.parametrize(
    "content_type",
    ["text/html; charset=ISO-8859-1", "text/html;charset=windows-1252", 'text/html; charset="latin1"'],
)
def test_a_latin1_page_is_read_by_the_headers_charset(content_type):
    body = "<title>Café – l’été</title>".encode("cp1252")
    assert page_title(body, content_type=content_type) == "Café – l’été"


@pytest.mark.parametrize(
    "meta",
    [b'<meta charset="iso-8859-1">', b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'],
)
def test_a_latin1_page_is_read_by_its_meta_charset(meta):
    body = b"<head>" + meta + "<title>Café – l’été</title>".encode("cp1252")
    assert page_title(body, content_type="text/html") == "Café – l’été"


def test_the_headers_charset_wins_over_the_meta():
    body = b'<meta charset="windows-1252"><title>' + "Café".encode() + b"</title>"
    assert page_title(body, content_type="text/html; charset=utf-8") == "Café"


def test_without_a_charset_it_reads_utf8_and_replaces_what_is_not():
    assert page_title("<title>Café</title>".encode()) == "Café"
    assert page_title(b"<title>Caf\xe9</title>") == "Caf\ufffd"


def test_an_unknown_charset_reads_as_utf8():
    assert page_title("<title>Café</title>".encode(), content_type="text/html; charset=x-made-up") == "Café"


def test_a_utf16_page_with_a_byte_order_mark_is_read():
    assert page_title("<html><title>Café</title>".encode("utf-16")) == "Café"


@pytest.mark.parametrize(
    "body",
    [b"", HEAD + b"</head><body><p>No title here</p>", b"<!-- <title>only in a comment</title> -->"],
)
def test_no_title_is_an_empty_title(body):
    assert page_title(body) == ""


def test_a_title_split_across_reads_is_read_once_it_has_closed():
    page = HEAD + b"<title>Page not found | Harbour Gazette</title></head><body>"
    cut = page.index(b"not found")
    first_read, rest = page[:cut], page[cut:]
    # The bounded read stopped mid-title: no verdict yet, so the checker reads on...
    assert not has_title_end(first_read)
    assert page_title(first_read) == ""  # a cut-off title may have lost the words that matter
    # ...and once the rest arrives the whole title is there.
    assert has_title_end(first_read + rest)
    assert page_title(first_read + rest) == "Page not found | Harbour Gazette"


def test_reading_may_stop_at_the_body_when_the_head_has_no_title():
    assert not has_title_end(HEAD)
    assert has_title_end(HEAD + b"</head><BODY class=x>")


def test_a_closing_title_inside_a_script_does_not_stop_the_read():
    assert not has_title_end(HEAD + b"<script>var t = '</title>';</script>")
