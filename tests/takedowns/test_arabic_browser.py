"""Arabic in a real browser (issue 13): the pages are laid out right to left and fit a 390 px phone.

Widths are measured as in test_phone_browser.py; in a right-to-left page what sticks out does so on the
left, so the culprits listed are the elements past either edge.
"""

import pytest

from tests.attribution.factories import ArticleFactory, CitationFactory, SourceURLFactory
from tests.takedowns.factories import TakedownRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
LONG = "https://aljazeera.example/2026/10/02/a-very-long-address-with-no-spaces-at-all-anywhere-in-it"
OUTSIDE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.getClientRects().length)
    .filter((el) => el.getBoundingClientRect().right > width + 1 || el.getBoundingClientRect().left < -1)
    .slice(-5)
    .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}`);
}"""


@pytest.fixture
def arabic_article(db):
    article = ArticleFactory(
        slug="harbour-cranes-ar", headline="عودة رافعات الميناء إلى العمل", body="أعادت سلطة الميناء تشغيل الرافعات."
    )
    CitationFactory(article=article, position=1, source_url=SourceURLFactory(url_as_cited=LONG))
    return article


@pytest.fixture
def arabic_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": WIDTH, "height": 800}, extra_http_headers={"Accept-Language": "ar"}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_fits(page, what):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    culprits = page.evaluate(OUTSIDE) if scroll_width > WIDTH else []
    assert scroll_width <= WIDTH, f"{what} at {WIDTH}px is {scroll_width}px wide: {culprits}"


def test_the_arabic_request_form_fits_a_phone_right_to_left(arabic_page, arabic_article, artifacts_dir):
    page = arabic_page
    page.goto(f"/requests/new/?article={arabic_article.slug}")
    page.wait_for_load_state("networkidle")

    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    assert_fits(page, "the Arabic form")
    page.screenshot(path=str(artifacts_dir / f"arabic-{WIDTH}-form.png"), full_page=True)

    # With errors: a type needing the most fields, an unknown article, a bad email.
    page.get_by_role("radio", name="حقوق النشر أو إعادة النشر").check()
    page.fill("#id_articles", f"{arabic_article.slug}\n{LONG}")
    page.fill("#id_requester_email", "not-an-email")
    page.evaluate("document.querySelector('form.cw-request').noValidate = true")
    page.get_by_role("button", name="إرسال الطلب").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#form-errors h2").inner_text().endswith("مشكلة في طلبك")  # 11 to 99: the singular
    assert_fits(page, "the Arabic form with errors")
    page.screenshot(path=str(artifacts_dir / f"arabic-{WIDTH}-form-errors.png"), full_page=True)


def test_the_arabic_pages_fit_a_phone(arabic_page, arabic_article):
    takedown = TakedownRequestFactory(articles=[arabic_article], status="in_review", language="ar")
    for path in ("/", arabic_article.get_absolute_url(), takedown.get_absolute_url(), "/transparency/", "/nowhere/"):
        arabic_page.goto(path)
        arabic_page.wait_for_load_state("networkidle")
        assert arabic_page.evaluate("document.documentElement.dir") == "rtl", path
        assert_fits(arabic_page, path)
    # The headline is set right to left by its own text (dir="auto"), whatever the page's language.
    arabic_page.goto(arabic_article.get_absolute_url())
    assert arabic_page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "rtl"


def test_the_switcher_works_in_the_browser(page, arabic_article):
    page.goto("/")
    assert page.evaluate("document.documentElement.dir") == "ltr"

    page.select_option("#cw-language", "ar")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state("networkidle")

    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.locator("h1").inner_text() == "المقالات"
    assert page.url.endswith("/")
