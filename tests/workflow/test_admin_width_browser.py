"""The admin's main lists fit a 1280 × 900 laptop screen in chromium, key columns in view, without scrolling sideways."""

import datetime as dt

import pytest
from django.utils import timezone

from attribution.models import SourceURL
from takedowns.models import TakedownRequest
from tests.attribution.factories import ArticleFactory, CitationFactory, SourceURLFactory
from tests.takedowns.factories import TakedownRequestFactory

# The live server needs committed data.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH, HEIGHT = 1280, 900
LONG_HEADLINE = "Port authority orders an urgent inspection of every harbour crane after a second collapse in a month"

# Each list and the columns an editor needs to see without scrolling.
KEY_COLUMNS = {
    "/admin/attribution/sourceurl/": ["shown_url", "link_status", "failure", "failing_since", "last_checked"],
    "/admin/takedowns/takedownrequest/": ["number", "status", "article", "assignee", "due", "age"],
    "/admin/attribution/article/": ["headline", "published_on", "status", "source_count", "quality"],
    "/admin/attribution/publisher/": ["name", "host", "source_count"],
}


@pytest.fixture
def busy_newsroom(django_user_model):
    """Data with the long values that used to widen the lists: long URLs, headlines, IDN hosts, overdue requests."""
    boss = django_user_model.objects.create_superuser("ada-admin", "ada@newsroom.example", "pw-ada-admin-1")
    now = timezone.now()
    for n in range(5):
        article = ArticleFactory(headline=f"{LONG_HEADLINE} ({n})")
        url = f"https://www.harbour-gazette-international.example/{n}/" + "long-path-segment-" * 8 + "story.html"
        source = SourceURLFactory(
            url_as_cited=url,
            status=SourceURL.Status.DEAD,
            failure_kind="too_many_redirects",
            http_status=404,
            first_failure_at=now - dt.timedelta(days=n + 3),
            last_checked_at=now,
        )
        CitationFactory(article=article, position=1, source_url=source)
        TakedownRequestFactory(
            articles=[article],
            status=TakedownRequest.Status.IN_REVIEW,
            organisation="The International Harbour and Maritime Gazette Publishing Group",
            assignee=boss,
            first_response_due_at=now - dt.timedelta(days=1),
            domain_match=True,
        )
    SourceURLFactory(url_as_cited="https://bücher.example/neue-titel-" + "x" * 80)
    return boss


def test_the_main_lists_fit_1280_pixels_with_their_key_columns_in_view(
    browser, live_server, busy_newsroom, artifacts_dir
):
    context = browser.new_context(base_url=live_server.url, viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "ada-admin")
    page.fill("#id_password", "pw-ada-admin-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.screenshot(path=str(artifacts_dir / "admin-1280-start-page.png"), full_page=True)

    for path, columns in KEY_COLUMNS.items():
        page.goto(path)
        assert page.locator("#result_list tbody tr").count() >= 1, path
        page.screenshot(path=str(artifacts_dir / f"admin-1280-{path.strip('/').replace('/', '-')}.png"))
        document_width = page.evaluate("document.documentElement.scrollWidth")
        assert document_width <= WIDTH, f"{path} is {document_width}px wide"
        # The admin scrolls a too-wide table inside its own box: that box must not need to scroll either.
        table_width, box_width = page.evaluate(
            "(() => { const r = document.querySelector('#changelist .results'); return [r.scrollWidth, r.clientWidth]; })()"
        )
        assert table_width <= box_width, f"{path}: the table is {table_width}px wide in a {box_width}px box"
        visible = page.locator("#changelist .results").bounding_box()
        for column in columns:
            box = page.locator(f"#result_list thead th.column-{column}").bounding_box()
            assert box is not None, f"{path}: no {column} column"
            right = box["x"] + box["width"]
            assert box["x"] >= visible["x"] and right <= visible["x"] + visible["width"] + 1, f"{path}: {column} hidden"
            assert right <= WIDTH, f"{path}: {column} is off-screen ({box})"

    # The source page: "Check now" among the object tools, dates in the one format.
    page.goto("/admin/attribution/sourceurl/")
    page.locator("#result_list tbody tr").last.locator("th a").click()
    page.wait_for_url("**/change/")
    page.get_by_role("button", name="Check now").wait_for()
    page.screenshot(path=str(artifacts_dir / "admin-1280-source-page.png"), full_page=True)
    assert "+00:00" not in page.locator("#content").inner_text()
    context.close()
