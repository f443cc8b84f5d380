"""axe-core finds no serious or critical accessibility problem on the public pages and the main admin pages.

Each page is loaded in chromium and checked by axe-core (contrast, labels, landmarks, names of buttons and
links, the lang attribute...); a failure lists every rule, element and what to fix (issue 13).
"""

import pytest
from django.core.management import call_command
from django.utils import timezone

from attribution.models import Article, ImportConflict, SourceURL
from takedowns.models import RequestEvent, TakedownRequest
from tests.accessibility.axe import blocking_violations
from tests.takedowns.factories import TakedownRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = TakedownRequest.Status
STATUS_PAGES = (Status.SUBMITTED, Status.NEEDS_INFO, Status.ACTIONED, Status.REJECTED, Status.PENDING_VERIFICATION)


@pytest.fixture
def site(django_user_model):
    call_command("import_articles", "attribution/demo", "--no-progress")
    article = Article.objects.filter(status=Article.Status.PUBLISHED).order_by("slug").first()
    removed = Article.objects.exclude(pk=article.pk).order_by("slug").first()
    Article.objects.filter(pk=removed.pk).update(status=Article.Status.REMOVED, removed_at=timezone.now())
    requests = {}
    for status in STATUS_PAGES:
        takedown = TakedownRequestFactory(articles=[article], status=status, submitted_at=timezone.now())
        RequestEvent.objects.create(
            request=takedown,
            actor_label="staff",
            kind="status_changed",
            to_status=status,
            note="Which passage do you mean?",
            visible_to_requester=True,
        )
        requests[status] = takedown
    conflict = ImportConflict.objects.create(
        article=article,
        headline=article.headline + " (updated)",
        body=article.body.replace(".", "!", 1),
        published_on=article.published_on,
        sources=["https://example-wire.com/story"],
        fingerprint="f" * 64,
        origin="drafts/cranes.txt",
    )
    django_user_model.objects.create_superuser("ada-admin", "ada@newsroom.example", "pw-ada-admin-1")
    return article, removed, requests, conflict


class AxeWalk:
    """Visits pages and gathers axe's serious and critical findings, by page."""

    def __init__(self, page):
        self.page = page
        self.found = []

    def check(self, where=None):
        self.page.wait_for_load_state("networkidle")
        self.found += blocking_violations(self.page, where or self.page.url)

    def visit(self, path, *, status=200, ready=None):
        response = self.page.goto(path)
        assert response.status == status, path
        if ready:
            self.page.locator(ready).first.wait_for()
        self.check(path)


def test_public_pages_have_no_serious_accessibility_violation(page, site):
    article, removed, requests, _ = site
    walk = AxeWalk(page)

    walk.visit("/")
    walk.visit("/?q=harbour")
    walk.visit(f"/articles/{article.slug}/")
    walk.visit(f"/articles/{removed.slug}/", status=410)
    walk.visit("/no-such-page/", status=404)
    walk.visit(f"/requests/new/?article={article.slug}")
    walk.visit("/requests/sent/")
    walk.visit(f"/requests/confirm/{requests[Status.PENDING_VERIFICATION].confirmation_token}/")
    for takedown in requests.values():
        walk.visit(f"/requests/{takedown.token}/")
    walk.visit("/transparency/", ready="svg.cw-chart")

    # The form with errors: the browser's own checks off, so the server's messages show.
    page.goto(f"/requests/new/?article={article.slug}")
    page.get_by_role("radio", name="Copyright or republication").check()
    page.fill("#id_requester_email", "not-an-email")
    page.evaluate("document.querySelector('form.cw-request').noValidate = true")
    page.get_by_role("button", name="Send request").click()
    page.locator("#form-errors").wait_for()
    walk.check("the request form with errors")

    assert walk.found == [], "\n".join(walk.found)


def test_public_pages_in_arabic_on_a_phone_have_no_serious_accessibility_violation(browser, live_server, site):
    # Right to left, another lang attribute and the phone layout: the same rules hold.
    article, _, requests, _ = site
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, extra_http_headers={"Accept-Language": "ar"}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    walk = AxeWalk(page)
    try:
        walk.visit("/")
        assert page.evaluate("document.documentElement.lang") == "ar"
        walk.visit(f"/articles/{article.slug}/")
        walk.visit(f"/requests/new/?article={article.slug}")
        walk.visit(f"/requests/{requests[Status.NEEDS_INFO].token}/")
        walk.visit("/transparency/", ready="svg.cw-chart")
    finally:
        context.close()

    assert walk.found == [], "\n".join(walk.found)


def test_main_admin_pages_have_no_serious_accessibility_violation(page, site):
    article, _, requests, conflict = site
    source = SourceURL.objects.order_by("pk").first()
    takedown = requests[Status.SUBMITTED]
    walk = AxeWalk(page)

    walk.visit("/admin/login/")
    page.fill("#id_username", "ada-admin")
    page.fill("#id_password", "pw-ada-admin-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    walk.check("/admin/ (start page)")
    walk.visit("/admin/takedowns/takedownrequest/")
    walk.visit(f"/admin/takedowns/takedownrequest/{takedown.pk}/change/", ready=".cw-wf")
    walk.visit("/admin/attribution/sourceurl/")
    walk.visit(f"/admin/attribution/sourceurl/{source.pk}/change/")
    walk.visit("/admin/attribution/article/")
    walk.visit(f"/admin/attribution/article/{article.pk}/change/")
    walk.visit(f"/admin/attribution/article/{article.pk}/history/")
    walk.visit("/admin/attribution/importconflict/")
    walk.visit(f"/admin/attribution/importconflict/{conflict.pk}/change/")

    assert walk.found == [], "\n".join(walk.found)


def test_the_login_lockout_page_has_no_serious_accessibility_violation(page, site, settings):
    settings.AXES_FAILURE_LIMIT = 1
    walk = AxeWalk(page)
    page.goto("/admin/login/")
    page.fill("#id_username", "ada-admin")
    page.fill("#id_password", "wrong")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Too many failed logins").wait_for()
    walk.check("the lockout page")

    assert walk.found == [], "\n".join(walk.found)


def test_axe_reports_a_real_violation(page, site):
    # Proof that the checker sees problems: a text box with no name at all is a critical violation.
    page.goto("/transparency/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    found = blocking_violations(page, "probe")
    assert any(": label (critical)" in line for line in found), found
