"""The public pages fit a phone: nothing scrolls sideways at 320 and 390 px, in a real browser (issue 13).

Each page is measured with ``document.documentElement.scrollWidth``; a failure names the widest elements
that stick out, so the culprit is obvious.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from attribution.models import Article
from takedowns.models import RequestEvent, TakedownRequest
from tests.takedowns.factories import TakedownRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = TakedownRequest.Status
WIDTHS = (320, 390)
# A long unbroken word, as people paste them (addresses, reference numbers), must wrap too.
LONG = "https://harbourgazette.example/2026/10/02/a-very-long-address-with-no-spaces-at-all-anywhere"

OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length)
    .slice(-5)
    .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} ${Math.round(el.getBoundingClientRect().right)}px`);
}"""


@pytest.fixture
def public_site(db):
    call_command("import_articles", "attribution/demo", "--no-progress")
    article = Article.objects.filter(status=Article.Status.PUBLISHED).order_by("slug").first()
    removed = Article.objects.exclude(pk=article.pk).order_by("slug").first()
    Article.objects.filter(pk=removed.pk).update(status=Article.Status.REMOVED, removed_at=timezone.now())
    requests = {}
    for status in Status.values:
        takedown = TakedownRequestFactory(
            articles=[article], status=status, submitted_at=timezone.now(), original_work_url=LONG
        )
        RequestEvent.objects.create(
            request=takedown,
            actor_label="staff",
            kind="status_changed",
            to_status=status,
            note=f"Which passage do you mean? {LONG}",
            visible_to_requester=True,
        )
        requests[status] = takedown
    # Some months of requests, so the transparency chart and table have bars and rows.
    for months_ago in range(12):
        TakedownRequest.objects.filter(
            pk=TakedownRequestFactory(articles=[article], status=Status.SUBMITTED).pk
        ).update(submitted_at=timezone.now() - dt.timedelta(days=30 * months_ago))
    return article, removed, requests


def assert_fits(page, path, width):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    culprits = page.evaluate(OVERFLOWING) if scroll_width > width else []
    assert scroll_width <= width, f"{path} at {width}px is {scroll_width}px wide: {culprits}"


def visit(page, path, width, status=200, shot=None):
    response = page.goto(path)
    assert response.status == status, path
    page.wait_for_load_state("networkidle")
    assert_fits(page, path, width)
    if shot:
        page.screenshot(path=str(shot[0] / f"phone-{width}-{shot[1]}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_public_page_scrolls_sideways(browser, live_server, public_site, width, artifacts_dir):
    article, removed, requests = public_site
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        visit(page, "/", width)
        visit(page, f"/articles/{article.slug}/", width)
        visit(page, f"/articles/{removed.slug}/", width, status=410)
        visit(page, f"/requests/new/?article={article.slug}", width)
        visit(page, "/requests/sent/", width)
        visit(page, f"/requests/confirm/{requests[Status.PENDING_VERIFICATION].confirmation_token}/", width)
        for status, takedown in requests.items():
            visit(page, f"/requests/{takedown.token}/", width, shot=(artifacts_dir, f"status-{status}"))
            assert page.locator("[data-status]").get_attribute("data-status") == status
        visit(page, "/transparency/", width, shot=(artifacts_dir, "transparency"))
        page.locator("figure").screenshot(path=str(artifacts_dir / f"phone-{width}-chart.png"))
        page.locator(".cw-scroll").screenshot(path=str(artifacts_dir / f"phone-{width}-table.png"))
        visit(page, "/no-such-page/", width, status=404, shot=(artifacts_dir, "404"))

        # The form with every kind of error: a type that needs the most fields, an unknown article, a bad email.
        page.goto(f"/requests/new/?article={article.slug}")
        page.get_by_role("radio", name="Copyright or republication").check()
        page.fill("#id_articles", f"{article.slug}\n{LONG}")
        page.fill("#id_requester_email", "not-an-email")
        page.evaluate("document.querySelector('form.cw-request').noValidate = true")
        page.get_by_role("button", name="Send request").click()
        page.wait_for_load_state("networkidle")
        assert_fits(page, "the form with errors", width)
        # The error summary takes focus, counts the problems and links to each field.
        page.wait_for_function("document.activeElement && document.activeElement.id === 'form-errors'")
        page.screenshot(path=str(artifacts_dir / f"phone-{width}-form-errors.png"), full_page=True)
        summary = page.locator("#form-errors")
        assert "problems with your request" in summary.inner_text()
        assert summary.locator('a[href="#id_requester_email"]').count() == 1
    finally:
        context.close()


def test_the_chart_labels_are_readable_on_a_phone(browser, live_server, public_site):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 800})
    page = context.new_page()
    try:
        page.goto("/transparency/")
        sizes = page.evaluate(
            "[...document.querySelectorAll('svg.cw-chart text')].map((t) => t.getBoundingClientRect().height)"
        )
        assert sizes, "the chart has labels"
        # Rendered glyph boxes of at least 11 px: text you can read without zooming.
        assert min(sizes) >= 11, sizes
    finally:
        context.close()


def test_the_form_shows_only_the_fields_a_type_needs(browser, live_server, public_site):
    article, _removed, _requests = public_site
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"/requests/new/?article={article.slug}")
        perjury = page.locator("#id_statement_perjury")
        details = page.locator("#id_details")
        # Before a type is chosen, everything is shown.
        assert perjury.is_visible() and details.is_visible()
        page.get_by_role("radio", name="Attribution or source correction").check()
        assert not perjury.is_visible()
        assert not page.locator("#id_original_work_description").is_visible()
        assert page.locator("#id_original_work_url").is_visible()
        # The explanation helps every request: it stays, required only for the types that need it.
        assert details.is_visible() and details.get_attribute("aria-required") is None
        assert page.locator("#id_original_work_url").get_attribute("required") is not None
        page.get_by_role("radio", name="Copyright or republication").check()
        assert perjury.is_visible()
        assert page.locator("#id_original_work_description").is_visible()
        assert page.locator("#id_original_work_url").get_attribute("aria-required") == "true"
        page.get_by_role("radio", name="Privacy").check()
        assert not perjury.is_visible()
        assert details.get_attribute("aria-required") == "true"
        # Remedies bring their own fields: a passage change needs the passage and the proposed text.
        assert not page.locator("#id_passage").is_visible()
        page.get_by_role("radio", name="Change a passage").check()
        assert page.locator("#id_passage").is_visible()
        assert page.locator("#id_proposed_text").get_attribute("aria-required") == "true"
        # Whom an agent acts for, only for agents.
        acting_for = page.locator("#id_acting_for")
        assert not acting_for.is_visible()
        page.get_by_role("radio", name="I am an authorised agent of the rights holder").check()
        assert acting_for.is_visible() and acting_for.get_attribute("aria-required") == "true"
        # A hidden field is never required, so the browser never blocks the form on something it hides.
        assert page.locator("#id_statement_perjury").get_attribute("required") is None
    finally:
        context.close()
