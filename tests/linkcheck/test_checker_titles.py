"""Which titles make a 200 page a soft 404: an error page's words, not a headline that happens to contain them.

Every page's title is read now, on every site, so a headline must not turn a working link dead.
"""

import pytest

from attribution.linkcheck import classify as c


@pytest.mark.parametrize(
    "title",
    [
        "Page not found | Harbour Gazette",
        "404 Not Found",
        "404",
        "Error 404",
        "404 - Page Not Found",
        "Oops! Page not found.",
        "Not Found",
        "Sorry, this page doesn't exist",
        "This page is no longer available – Harbour Gazette",
        "Page missing — The Times",
        "Article not found | Gazette",
        "The page you requested could not be found",
        "Error: page not found",
        "Harbour Gazette » 404 error",
    ],
)
def test_an_error_page_title_says_not_found(title):
    assert c.title_says_not_found(title)


@pytest.mark.parametrize(
    "title",
    [
        "Cranes return to the harbour",
        "Missing hikers not found after three days | Harbour Gazette",
        "Thousands still not found after the flood",
        "Why the 404 page matters to newsrooms",
        "The 404 bus route is cancelled",
        "Library book no longer available after 50 years",
        "Error",
        "",
    ],
)
def test_a_headline_is_not_an_error_page(title):
    assert not c.title_says_not_found(title)
