"""The text format as writers really produce it, and the errors that name what to fix."""

import datetime as dt

import pytest

from attribution.parsing import ParseError, parse_article_text, parse_jsonl_record, split_sources

WIRE = "https://www.example-wire.com/world/2026/05/01/flood-warning-issued"
AGENCY = "https://agency.example/en/news/flood-warning?id=7"


def article_text(trailer: str, *, newline: str = "\n") -> str:
    lines = [
        "date 2026-05-01",
        "",
        "Flood warning issued for river towns",
        "",
        "Rain is expected all week.",
        "",
        trailer,
    ]
    return newline.join(lines) + newline


def test_it_parses_the_seed_shape_with_sources_and_closing_on_one_line():
    text = article_text(
        f"Sources 1/ https://Example.com/ 2/ {WIRE} The mention sources can contact us to remove/changing this article"
    )
    parsed = parse_article_text(text, "a.txt")
    assert parsed.published_on == dt.date(2026, 5, 1)
    assert parsed.headline == "Flood warning issued for river towns"
    assert parsed.body == "Rain is expected all week."
    assert parsed.sources == ("https://Example.com/", WIRE)
    assert parsed.closing_note.startswith("The mention sources")


@pytest.mark.parametrize("marker", ["1/", "1)", "1.", "1-", "1:"])
def test_it_reads_every_numbering_style_one_per_line(marker):
    second = marker.replace("1", "2")
    text = article_text(
        f"Sources:\n{marker} {WIRE}\n{second} {AGENCY}\nThe cited sources can contact us to ask for removal."
    )
    assert parse_article_text(text, "a.txt").sources == (WIRE, AGENCY)


def test_it_reads_bare_urls_and_glued_markers():
    text = article_text(f"Sources {WIRE}\n2/{AGENCY}")
    assert parse_article_text(text, "a.txt").sources == (WIRE, AGENCY)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (f"{WIRE}.", WIRE),
        (f"{WIRE},", WIRE),
        (f"({WIRE})", WIRE),
        (f"«{WIRE}»", WIRE),
        ("https://en.example.org/wiki/Flood_(disambiguation).", "https://en.example.org/wiki/Flood_(disambiguation)"),
    ],
)
def test_it_strips_punctuation_a_sentence_put_around_a_url(written, expected):
    assert split_sources(f"1/ {written}")[0] == [expected]


def test_it_accepts_windows_line_endings_and_a_byte_order_mark():
    text = "\ufeff" + article_text(f"Sources 1/ {WIRE}", newline="\r\n")
    parsed = parse_article_text(text, "win.txt")
    assert parsed.sources == (WIRE,)
    assert "\r" not in parsed.body and "\r" not in parsed.headline


def test_it_keeps_right_to_left_text_and_international_urls():
    text = "date 2026-05-02\nتحذير من فيضانات في المدن الساحلية\nيتوقع هطول أمطار غزيرة.\nSources 1/ https://مثال.example/أخبار/فيضان\n"
    parsed = parse_article_text(text, "ar.txt")
    assert parsed.headline == "تحذير من فيضانات في المدن الساحلية"
    assert parsed.sources == ("https://مثال.example/أخبار/فيضان",)
    assert parsed.resolved_slug() == "تحذير-من-فيضانات-في-المدن-الساحلية"


def test_an_article_without_a_trailer_imports_with_no_sources_and_drops_the_closing_line():
    text = "date 2026-05-03\nRoadworks begin\nCrews start on Monday.\nThe cited sources can contact us to ask for removal.\n"
    parsed = parse_article_text(text, "a.txt")
    assert parsed.sources == ()
    assert parsed.body == "Crews start on Monday."


def test_a_body_line_starting_with_sources_is_body_text():
    text = "date 2026-05-03\nMinister under pressure\nSources close to the minister said she would stay.\n"
    parsed = parse_article_text(text, "a.txt")
    assert parsed.body == "Sources close to the minister said she would stay."
    assert parsed.sources == ()


def test_named_sources_without_links_are_kept():
    text = "date 2026-05-03\nHeadline\nBody.\nSources\nAssociated Example Press\nExample Times\n"
    assert parse_article_text(text, "a.txt").sources == ("Associated Example Press", "Example Times")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("", 1, "empty"),
        ("\n\n   \n", 1, "empty"),
        ("Headline first\ndate 2026-01-01\n", 1, "expected 'date YYYY-MM-DD'"),
        ("\n\ndate 2026-02-30\nHeadline\n", 3, "not a valid date"),
        ("date 01/02/2026\nHeadline\n", 1, "YYYY-MM-DD"),
        ("date\nHeadline\n", 1, "date is missing"),
        ("date 2026-01-01\n\n", 1, "no headline"),
    ],
)
def test_errors_name_the_file_and_line(text, line, fragment):
    with pytest.raises(ParseError) as caught:
        parse_article_text(text, "drafts/bad.txt")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"drafts/bad.txt:{line}: ")
    assert fragment in str(caught.value)


def test_jsonl_record_is_parsed():
    record = parse_jsonl_record(
        '{"title": " Dam  opens ", "date": "2026-06-01", "body": "Water flows.", "sources": ["https://a.example/x"], "slug": "dam-opens"}',
        "export.jsonl",
        4,
    )
    assert (record.headline, record.slug, record.sources, record.origin) == (
        "Dam opens",
        "dam-opens",
        ("https://a.example/x",),
        "export.jsonl:4",
    )


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"date": "2026-06-01", "body": ""}', "“title” is missing"),
        ('{"title": 5, "date": "2026-06-01", "body": ""}', "“title” must be a string"),
        ('{"title": "T", "date": "June 1", "body": ""}', "“date” must be YYYY-MM-DD"),
        ('{"title": "T", "date": "2026-06-01", "body": "", "sources": "https://a.example"}', "list of URL strings"),
        ('{"title": "T", "date": "2026-06-01", "body": "", "slug": "Not A Slug"}', "“slug”"),
    ],
)
def test_jsonl_errors_name_the_field_and_line(raw, fragment):
    with pytest.raises(ParseError) as caught:
        parse_jsonl_record(raw, "export.jsonl", 9)
    assert str(caught.value).startswith("export.jsonl:9: ")
    assert fragment in str(caught.value)


def test_the_fingerprint_is_the_hash_of_the_json_of_what_an_import_can_change():
    """Stored fingerprints were made this way: the same text must give the same hash, or every article reads as changed."""
    import hashlib
    import json

    parsed = parse_article_text(f"date 2026-05-02\nCafé « météo »\nRain.\nSources 1/ {WIRE} 2/ {AGENCY}\n", "f.txt")
    payload = ["Café « météo »", "2026-05-02", "Rain.", [WIRE, AGENCY]]
    assert parsed.fingerprint == hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def test_a_replaced_input_works_out_its_slug_and_fingerprint_again():
    import dataclasses

    parsed = parse_article_text(f"date 2026-05-02\nFlood warning\nRain.\nSources 1/ {WIRE}\n", "f.txt")
    assert parsed.resolved_slug() and parsed.fingerprint  # worked out, and kept on the input
    moved = dataclasses.replace(parsed, sources=(AGENCY,))
    renamed = dataclasses.replace(parsed, headline="Flood warning lifted")
    assert moved.fingerprint != parsed.fingerprint
    assert (
        moved.fingerprint
        == parse_article_text(f"date 2026-05-02\nFlood warning\nRain.\nSources 1/ {AGENCY}\n", "f.txt").fingerprint
    )
    assert (parsed.resolved_slug(), renamed.resolved_slug()) == ("flood-warning", "flood-warning-lifted")
