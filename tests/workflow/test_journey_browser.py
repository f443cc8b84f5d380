"""The editorial journey in a real browser: an editor takes a request and asks a question, the requester answers
on the status page, a legal reviewer accepts the removal, and the article answers 410 Gone."""

import re

import pytest
from django.contrib.auth.models import Group

from attribution.models import Article
from takedowns.models import TakedownRequest
from takedowns.workflow.sla import due_dates
from tests.attribution.factories import ArticleFactory, CitationFactory
from tests.takedowns.factories import TakedownRequestFactory

# The live server needs committed data; the workflow_groups fixture restores what an earlier flush removed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, artifacts_dir, name):
    page.screenshot(path=str(artifacts_dir / f"workflow-journey-{name}.png"), full_page=True)


def person(django_user_model, username, group):
    user = django_user_model.objects.create_user(
        username, f"{username}@newsroom.example", f"pw-{username}-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(page, username):
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def run_action(page, action, note=None, **selects):
    details = page.locator(f'details[data-action="{action}"]')
    details.locator("summary").click()
    for name, value in selects.items():
        details.locator(f'select[name="{name}"]').select_option(value)
    if note is not None:
        details.locator('textarea[name="note"]').fill(note)
    details.locator('button[type="submit"]').click()
    page.locator(".messagelist").wait_for()


def apply_removal(page, headline, artifacts_dir):
    """Open "Apply", choose removal (nothing is preselected), then confirm on the page that names the article."""
    apply = page.locator('details[data-action="apply"]')
    apply.locator("summary").first.click()
    removal = apply.locator('details[data-outcome="removed_article"]')
    removal.locator("summary").click()
    shot(page, artifacts_dir, "4-apply-outcomes")
    removal.get_by_role("button", name="Remove the article…").click()
    page.get_by_role("heading", name=f"Remove “{headline}”?").wait_for()
    assert Article.objects.get(headline=headline).status == "published"  # nothing happens before the second step
    shot(page, artifacts_dir, "5-confirm-removal")
    page.get_by_role("button", name="Yes, remove the article").click()
    page.locator(".messagelist").wait_for()


def test_editor_asks_requester_answers_legal_removes(
    page, browser, live_server, artifacts_dir, django_user_model, mailoutbox, settings, workflow_groups
):
    settings.TAKEDOWNS_STATUS_URL_BASE = live_server.url
    person(django_user_model, "eddie-editor", "Editors")
    person(django_user_model, "lena-legal", "Legal")
    article = ArticleFactory(slug="harbour-cranes", headline="Harbour cranes return", body="The cranes came back.")
    CitationFactory(article=article, position=1, source_url__url_as_cited="https://harbourgazette.example/cranes")
    takedown = TakedownRequestFactory(
        articles=[article],
        status="submitted",
        request_type="copyright",
        remedy="remove_article",
        requester_email="rita@harbourgazette.example",
        **due_dates(article.created_at),
    )
    request_page = f"/admin/takedowns/takedownrequest/{takedown.pk}/change/"

    # 1. The editor logs in, finds the request in the queue, takes it and asks a question.
    log_in(page, "eddie-editor")
    page.goto("/admin/takedowns/takedownrequest/?status=open")
    shot(page, artifacts_dir, "1-queue")
    page.get_by_role("link", name=f"#{takedown.pk}", exact=True).click()
    page.wait_for_url(re.compile(re.escape(request_page)))
    run_action(page, "take")
    assert page.locator(".cw-status").get_attribute("data-status") == "in_review"
    assert page.locator('details[data-action="accept"]').count() == 0  # a removal is Legal's to decide
    run_action(
        page, "ask_for_information", note="Which of your stories does the article republish? Please send its link."
    )
    assert page.locator(".cw-status").get_attribute("data-status") == "needs_info"
    shot(page, artifacts_dir, "2-editor-asked")

    # 2. The requester follows the link in the question's email and answers on the status page.
    question = next(m for m in mailoutbox if "Which of your stories" in m.body)
    status_link = re.search(r"http://\S+/requests/[\w-]+/", question.body).group(0)
    requester = browser.new_context(viewport={"width": 1000, "height": 800}).new_page()
    requester.goto(status_link)
    requester.fill("#id_body", "This one: https://harbourgazette.example/cranes")
    requester.get_by_role("button", name="Send message").click()
    requester.locator("blockquote", has_text="https://harbourgazette.example/cranes").wait_for()
    assert requester.locator("[data-status]").first.get_attribute("data-status") == "in_review"
    shot(requester, artifacts_dir, "3-requester-answered")
    requester.context.close()

    # 3. A legal reviewer accepts the removal and applies it.
    page.context.clear_cookies()
    log_in(page, "lena-legal")
    page.goto(request_page)
    assert page.locator("blockquote", has_text="https://harbourgazette.example/cranes").count() == 1
    run_action(page, "accept", note="We accept your request and will remove the article.")
    apply_removal(page, "Harbour cranes return", artifacts_dir)
    assert page.locator(".cw-status").get_attribute("data-status") == "actioned"
    shot(page, artifacts_dir, "6-legal-removed")

    # 4. The article answers 410 with the notice, and the requester got every email.
    response = page.goto("/articles/harbour-cranes/")
    assert response.status == 410
    assert f"following a request (#{takedown.pk})" in page.locator("main").inner_text()
    shot(page, artifacts_dir, "7-article-gone")
    assert Article.objects.get(pk=article.pk).status == "removed"
    assert TakedownRequest.objects.get(pk=takedown.pk).outcome == "removed_article"
    to_requester = [m for m in mailoutbox if m.to == ["rita@harbourgazette.example"]]
    subjects = " | ".join(m.subject for m in to_requester)
    for status in ("In review", "Waiting for your reply", "Accepted", "Actioned"):
        assert status in subjects
