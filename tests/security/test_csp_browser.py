"""Every page the site serves satisfies its own Content-Security-Policy, in a real browser.

The browser reports each blocked script, style or image as a `securitypolicyviolation` event and a
"Refused to …" console message; both are collected on every page visited and must stay empty.
"""

import pytest
from django.core.management import call_command
from django.utils import timezone

from attribution.models import Article
from takedowns.models import TakedownRequest
from tests.takedowns.factories import TakedownRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


class CspWatch:
    """Visits pages and collects every CSP violation the browser reports, by page."""

    def __init__(self, page):
        self.page = page
        self.violations = []
        self.current = None
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or message.text.startswith("Refused to"):
            self.violations.append(f"{self.current}: console: {message.text}")

    def collect(self):
        for violation in self.page.evaluate("window.__cspViolations"):
            self.violations.append(f"{self.current}: {violation}")

    def visit(self, path, *, expect_status=200, ready=None, inline_styles=False):
        self.current = path
        response = self.page.goto(path)
        assert response.status == expect_status, path
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, f"{path}: {policy!r}"
        style_src = "style-src 'self' 'unsafe-inline'" if inline_styles else "style-src 'self'"
        assert f"{style_src};" in f"{policy};", f"{path}: {policy!r}"
        assert "unsafe" not in policy.replace(style_src, ""), f"{path}: {policy!r}"
        if ready:
            self.page.locator(ready).first.wait_for()
        self.page.wait_for_load_state("networkidle")
        self.collect()


@pytest.fixture
def site(django_user_model):
    call_command("import_articles", "attribution/demo", "--no-progress")
    article = Article.objects.order_by("slug").first()
    takedown = TakedownRequestFactory(
        articles=[article], status=TakedownRequest.Status.SUBMITTED, submitted_at=timezone.now()
    )
    django_user_model.objects.create_superuser("ada-admin", "ada@newsroom.example", "pw-ada-admin-1")
    return article, takedown


def test_the_detector_sees_a_violation(page):
    watch = CspWatch(page)
    watch.visit("/transparency/")
    # An image from another origin is refused by img-src: proof that a violation would be caught.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=\"https://elsewhere.example/x.png\">')")
    page.wait_for_timeout(200)
    watch.collect()
    assert any("img-src" in violation for violation in watch.violations)


def test_public_pages_admin_and_api_docs_raise_no_csp_violation(page, site, settings):
    article, takedown = site
    watch = CspWatch(page)

    watch.visit("/")
    watch.visit("/?q=harbour")
    watch.visit(f"/articles/{article.slug}/")
    watch.visit("/articles/no-such-article/", expect_status=404)
    watch.visit(f"/requests/new/?article={article.slug}")
    watch.visit("/requests/sent/")
    watch.visit(f"/requests/confirm/{takedown.confirmation_token}/")
    watch.visit(f"/requests/{takedown.token}/")
    watch.visit("/transparency/", ready="svg.cw-chart")

    watch.visit("/admin/login/")
    page.fill("#id_username", "ada-admin")
    page.fill("#id_password", "pw-ada-admin-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    watch.collect()
    watch.visit("/admin/")
    watch.visit("/admin/attribution/article/")
    watch.visit(f"/admin/attribution/article/{article.pk}/change/")
    watch.visit("/admin/attribution/sourceurl/")
    watch.visit("/admin/takedowns/takedownrequest/")
    watch.visit(f"/admin/takedowns/takedownrequest/{takedown.pk}/change/", ready=".cw-wf")
    watch.visit("/admin/django_celery_beat/periodictask/")

    # DRF's browsable API, the one place inline styles are allowed (its own templates use them).
    watch.visit("/api/", inline_styles=True)
    watch.visit(f"/api/articles/{article.slug}/", inline_styles=True)
    watch.visit("/api/docs/", ready=".swagger-ui .opblock")
    page.locator(".opblock-summary").first.click()
    page.wait_for_timeout(300)
    watch.collect()

    assert watch.violations == []


def test_the_lockout_page_raises_no_csp_violation(page, site, settings):
    settings.AXES_FAILURE_LIMIT = 1
    watch = CspWatch(page)
    watch.visit("/admin/login/")
    page.fill("#id_username", "ada-admin")
    page.fill("#id_password", "wrong")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Too many failed logins").wait_for()
    watch.collect()

    assert watch.violations == []
