"""A reader's path through the public pages, in Debian's chromium."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_searches_opens_an_article_and_finds_the_request_link(page, artifacts_dir):
    call_command("import_articles", "attribution/demo", "--no-progress")
    page.goto("/")
    assert page.locator("ol.articles li").count() == 5
    page.get_by_label("Search articles").fill("harbour")
    page.get_by_role("button", name="Search").click()
    assert page.locator("ol.articles li").count() == 1
    page.screenshot(path=artifacts_dir / "attribution-1-search.png", full_page=True)

    page.get_by_role("link", name="Port authority orders inspection of harbour cranes after gust damage").click()
    sources = page.locator("section.sources li")
    assert sources.count() == 2
    assert "— example-harbour.org" in sources.nth(1).inner_text()
    request_link = page.get_by_role("link", name="Request a change or removal")
    assert request_link.get_attribute("href").startswith("/requests/new/?article=port-authority-orders")
    page.screenshot(path=artifacts_dir / "attribution-2-article.png", full_page=True)


def test_an_arabic_article_reads_right_to_left(page, artifacts_dir):
    call_command("import_articles", "attribution/demo", "--no-progress")
    page.goto("/")
    page.get_by_role("link", name="موسم قطف الزيتون يبدأ مبكراً هذا العام").click()
    heading = page.get_by_role("heading", level=1)
    assert heading.evaluate("el => getComputedStyle(el).direction") == "rtl"
    page.screenshot(path=artifacts_dir / "attribution-3-rtl.png", full_page=True)
