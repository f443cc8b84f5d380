"""A rights holder's journey in a real browser: article → form → emailed link → confirm → status page → message."""

import re

import pytest

from takedowns.models import Message, TakedownRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, artifacts_dir, name):
    page.screenshot(path=str(artifacts_dir / f"takedowns-journey-{name}.png"), full_page=True)


def test_a_rights_holder_files_confirms_and_follows_a_request(
    page, live_server, artifacts_dir, article, mailoutbox, settings
):
    # Links in emails point at this live server, as SITE_URL would in production.
    settings.TAKEDOWNS_STATUS_URL_BASE = live_server.url

    page.goto("/articles/harbour-cranes/")
    shot(page, artifacts_dir, "1-article")
    page.get_by_role("link", name="Request a change or removal").click()
    page.wait_for_url(re.compile(r"/requests/new/\?article=harbour-cranes$"))
    assert page.locator("#id_articles").input_value().strip() == "harbour-cranes"

    page.get_by_label("Attribution or source correction").check()
    page.get_by_label("1/ https://abcnews.go.com/story/cranes").check()
    page.fill("#id_original_work_url", "https://abcnews.go.com/story/cranes-original")
    page.get_by_label("I am the rights holder").check()
    page.fill("#id_organisation", "ABC News")
    page.fill("#id_requester_name", "Rita Rights")
    page.fill("#id_requester_email", "rita@abcnews.go.com")
    page.fill("#id_requester_country", "United States")
    page.get_by_label("Fix or add attribution").check()
    page.fill("#id_details", "Source 1 is our story; please credit ABC News by name.")
    page.get_by_label("good-faith belief").check()
    page.get_by_label("accurate, and I am authorised").check()
    page.fill("#id_signature", "Rita Rights")
    shot(page, artifacts_dir, "2-form-filled")
    page.get_by_role("button", name="Send request").click()

    page.wait_for_url("**/requests/sent/")
    assert page.get_by_role("heading", name="Check your email").is_visible()
    shot(page, artifacts_dir, "3-check-your-email")

    assert len(mailoutbox) == 1
    confirm_link = re.search(r"http://\S+/requests/confirm/\S+/", mailoutbox[0].body).group(0)
    page.goto(confirm_link)
    shot(page, artifacts_dir, "4-confirm-page")
    assert TakedownRequest.objects.get().status == "pending_verification"  # the GET confirmed nothing
    page.get_by_role("button", name="Confirm").click()

    status = page.locator("[data-status]")
    status.wait_for()
    assert status.get_attribute("data-status") == "submitted"
    assert status.inner_text() == "Submitted"
    shot(page, artifacts_dir, "5-status-submitted")
    takedown = TakedownRequest.objects.get()
    assert takedown.domain_match and page.url.endswith(f"/requests/{takedown.token}/")
    assert takedown.token in mailoutbox[1].body

    page.fill("#id_body", "Our original story ran on 3 March; link above.")
    page.get_by_role("button", name="Send message").click()
    page.locator("blockquote", has_text="Our original story ran on 3 March").wait_for()
    shot(page, artifacts_dir, "6-message-added")
    assert Message.objects.get().body == "Our original story ran on 3 March; link above."
