"""Property tests: the parser never crashes, and what render_article writes reads back unchanged."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from attribution.parsing import (
    ArticleInput,
    ParseError,
    normalise_body,
    normalise_headline,
    parse_article_text,
    render_article,
)
from attribution.urls_normalise import normalise_url


@given(st.text())
def test_it_never_crashes_on_arbitrary_text(text):
    try:
        parsed = parse_article_text(text, "fuzz.txt")
    except ParseError as error:
        assert str(error).startswith("fuzz.txt")
    else:
        assert parsed.headline
        for source in parsed.sources:
            normalise_url(source)  # must not raise either


@given(st.binary())
def test_it_never_crashes_on_arbitrary_bytes_decoded_leniently(data):
    try:
        parse_article_text(data.decode("utf-8", errors="replace"), "fuzz.bin")
    except ParseError:
        pass


# Text a writer could put in a headline or body: any letters, digits,
# punctuation and spaces (Arabic and Hebrew included), no control characters.
_words = st.text(
    alphabet=st.characters(categories=["L", "N", "P", "Zs"], exclude_characters="\u2028\u2029\x85"),
    min_size=1,
    max_size=40,
)
_headline = _words.map(normalise_headline).filter(lambda h: h and not h.lower().startswith("date"))
_body = st.lists(_words, max_size=6).map(lambda lines: normalise_body("\n".join(lines)))
_host = st.from_regex(r"[a-z][a-z0-9]{0,10}\.(com|org|example|co\.uk)", fullmatch=True)
_path = st.from_regex(r"(/[A-Za-z0-9_~-]{1,12}){0,3}", fullmatch=True)
_url = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}{path or '/'}", st.sampled_from(["http", "https"]), _host, _path
)


@given(
    headline=_headline,
    published_on=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    body=_body,
    sources=st.lists(_url, max_size=8),
)
def test_generated_articles_round_trip(headline, published_on, body, sources):
    original = ArticleInput(headline=headline, published_on=published_on, body=body, sources=tuple(sources))
    parsed = parse_article_text(render_article(original), "generated.txt")
    assert (parsed.headline, parsed.published_on, parsed.body, parsed.sources) == (
        original.headline,
        original.published_on,
        original.body,
        original.sources,
    )
