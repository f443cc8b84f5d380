"""Drive Debian's chromium over the demo and save one PNG per main page (the README's "Screenshots")."""

import os
from pathlib import Path

from takedowns.screenshots.seed import Demo

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]


class Camera:
    """A browser context at one size that saves each page it visits under ``out``."""

    def __init__(self, browser, base_url: str, out: Path, viewport: dict, locale: str = "en-GB"):
        self.context = browser.new_context(base_url=base_url, viewport=viewport, locale=locale)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.out = out
        self.saved: list[Path] = []

    def shoot(self, name: str, path: str | None = None, *, full_page: bool = False, scroll_to: str | None = None):
        if path is not None:
            self.page.goto(path)
        self.page.wait_for_load_state("networkidle")
        if scroll_to:
            self.page.locator(scroll_to).first.scroll_into_view_if_needed()
        target = self.out / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=full_page)
        self.saved.append(target)

    def log_in(self, username: str, password: str):
        self.page.goto("/admin/login/?next=/admin/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url("**/admin/")


def public_pages(camera: Camera, demo: Demo):
    camera.shoot("public-home", "/")
    camera.shoot("public-article", f"/articles/{demo.article.slug}/")
    camera.shoot("request-form-desktop", f"/requests/new/?article={demo.article.slug}")
    camera.shoot("status-waiting-for-reply", f"/requests/{demo.waiting.token}/")
    camera.shoot("transparency", "/transparency/")
    camera.page.goto(f"/requests/new/?article={demo.article.slug}")
    # Past the browser's own required-field check, to show the server's error summary (count, links, focus).
    camera.page.evaluate("document.querySelectorAll('form').forEach(form => form.noValidate = true)")
    camera.page.get_by_role("button", name="Send request").click()
    camera.shoot("request-form-errors")
    camera.shoot("not-found", "/no-such-page/")


def admin_pages(camera: Camera, demo: Demo):
    camera.log_in(demo.admin_user, demo.admin_password)
    camera.shoot("admin-start-page")
    camera.shoot("admin-request-queue", "/admin/takedowns/takedownrequest/")
    camera.page.goto(f"/admin/takedowns/takedownrequest/{demo.accepted.pk}/change/")
    # Open "Apply" and its first outcome, as an editor would before recording what was done.
    camera.page.locator('details[data-action="apply"] > summary').click()
    camera.page.locator('details[data-action="apply"] details.cw-outcome > summary').first.click()
    camera.shoot("admin-request-apply", scroll_to='details[data-action="apply"]')
    camera.shoot("admin-source-urls", "/admin/attribution/sourceurl/")
    camera.page.locator("#result_list tbody tr th a").first.click()
    camera.shoot("admin-source-page")  # with its Check now button
    camera.shoot("admin-import-conflict", f"/admin/attribution/importconflict/{demo.conflict.pk}/change/")
    camera.shoot("admin-article-history", f"/admin/attribution/article/{demo.article.pk}/history/")


def lockout_page(camera: Camera, limit: int):
    """Wrong passwords for a made-up user until the lock shows (the demo admin stays unlocked)."""
    for _ in range(limit):
        camera.page.goto("/admin/login/")
        camera.page.fill("#id_username", "mistyped-editor")
        camera.page.fill("#id_password", "not-the-password")
        camera.page.get_by_role("button", name="Log in").click()
        camera.page.wait_for_load_state("networkidle")
    camera.page.get_by_role("heading", name="Too many failed logins").wait_for()
    camera.shoot("admin-login-lockout")


def take_all(base_url: str, out: Path, demo: Demo, lockout_limit: int) -> list[Path]:
    """Every screenshot, into ``out``; returns the files written."""
    # Playwright's sync API keeps an event loop in this thread; the ORM is not used past this point.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            desktop = Camera(browser, base_url, out, DESKTOP)
            public_pages(desktop, demo)
            admin_pages(desktop, demo)
            phone = Camera(browser, base_url, out, PHONE)
            phone.shoot("request-form-phone", f"/requests/new/?article={demo.article.slug}")
            arabic = Camera(browser, base_url, out, PHONE, locale="ar")  # Accept-Language: ar, right to left
            arabic.shoot("request-form-arabic-phone", f"/requests/new/?article={demo.article.slug}")
            lockout = Camera(browser, base_url, out, DESKTOP)
            lockout_page(lockout, lockout_limit)
            saved = desktop.saved + phone.saved + arabic.saved + lockout.saved
        finally:
            browser.close()
    return saved
