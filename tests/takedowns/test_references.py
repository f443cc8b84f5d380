"""Articles named by address or slug, in any of the spellings people paste."""

from hypothesis import given
from hypothesis import strategies as st

from takedowns.forms import article_references, slug_from_reference

slugs = st.from_regex(r"[a-z0-9]+(-[a-z0-9]+){0,5}", fullmatch=True)


@given(
    slug=slugs, host=st.sampled_from(["", "http://127.0.0.1:8000", "https://citewatch.example", "citewatch.example"])
)
def test_an_article_address_or_a_bare_slug_gives_the_slug(slug, host):
    reference = f"{host}/articles/{slug}/" if host else slug
    assert slug_from_reference(reference) == slug


@given(st.lists(slugs, min_size=1, max_size=5), st.sampled_from(["\n", "\r\n", ", ", " "]))
def test_several_references_split_on_lines_commas_or_spaces(items, separator):
    assert article_references(separator.join(items)) == items
