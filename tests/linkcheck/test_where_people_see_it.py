"""Where editors and readers see link checks: API, admin, public page, the check_links command."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from attribution.models import LinkCheck, SourceURL
from tests.attribution.factories import ArticleFactory, CitationFactory
from tests.linkcheck.factories import DeadSourceFactory, DueSourceFactory, FailingSourceFactory, OkSourceFactory

pytestmark = pytest.mark.django_db


def cite(source, **article):
    return CitationFactory(source_url=source, article=ArticleFactory(**article), position=1)


def test_the_api_lists_sources_filtered_by_status_and_host(client):
    dead = DeadSourceFactory(url_as_cited="https://gazette.example/story-1")
    DeadSourceFactory(url_as_cited="https://other.example/story-2")
    OkSourceFactory(url_as_cited="https://gazette.example/story-3")
    for source in SourceURL.objects.all():
        cite(source)
    response = client.get("/api/sources/", {"status": "dead", "host": "gazette.example"})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert (row["id"], row["status"], row["http_status"], row["failure_kind"]) == (dead.pk, "dead", 404, "http_4xx")
    assert row["first_failure_at"] and "redirect_chain" in row


def test_the_api_hides_sources_cited_only_by_removed_articles_from_the_public(client, editor):
    source = DeadSourceFactory()
    cite(source, removed=True)
    assert client.get("/api/sources/").json()["results"] == []
    client.force_login(editor)
    assert [r["id"] for r in client.get("/api/sources/").json()["results"]] == [source.pk]


def test_the_api_rejects_an_unknown_status_clearly(client):
    response = client.get("/api/sources/", {"status": "sort-of-dead"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_the_api_returns_history(client):
    source = OkSourceFactory()
    cite(source)
    LinkCheck.objects.create(source_url=source, checked_at=source.last_checked_at, status="ok", http_status=200)
    response = client.get(f"/api/sources/{source.pk}/history/")
    assert [(r["status"], r["http_status"]) for r in response.json()["results"]] == [("ok", 200)]


def test_staff_can_ask_for_a_check_and_it_runs(
    client, editor, server, loopback_settings, django_capture_on_commit_callbacks
):
    source = DueSourceFactory(url_as_cited=server.url("/gone"))
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/sources/{source.pk}/check/")
    assert response.status_code == 202  # the claim had not committed when the answer went out
    assert response.json() == {"queued": True, "checked": False, "status": "unchecked"}
    source.refresh_from_db()
    assert (source.status, source.http_status) == ("failing", 410)  # tasks run eagerly in tests


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_a_broker_the_api_answers_with_the_check_it_ran(client, editor, server, loopback_settings):
    source = DueSourceFactory(url_as_cited=server.url("/gone"))
    client.force_login(editor)

    response = client.post(f"/api/sources/{source.pk}/check/")

    assert response.status_code == 200
    assert response.json() == {"queued": False, "checked": True, "status": "failing"}


def test_outsiders_cannot_ask_for_a_check(client, outsider):
    source = OkSourceFactory()
    cite(source)
    client.force_login(outsider)
    assert client.post(f"/api/sources/{source.pk}/check/").status_code == 403


def test_a_second_check_while_one_runs_is_refused(client, editor):
    from attribution.linkcheck.scheduler import claim

    source = OkSourceFactory()
    claim([source.pk])
    client.force_login(editor)
    assert client.post(f"/api/sources/{source.pk}/check/").status_code == 409


def test_article_api_shows_link_status_and_archive(client):
    source = DeadSourceFactory(archive_url="https://web.archive.org/web/2024/https://news.example/x")
    citation = cite(source)
    data = client.get(f"/api/articles/{citation.article.slug}/").json()
    assert data["sources"][0]["link_status"] == "dead"
    assert data["sources"][0]["archive_url"].startswith("https://web.archive.org/")


def test_the_public_page_marks_dead_and_failing_sources_and_links_the_archive(client):
    archived = "https://web.archive.org/web/2024/https://news.example/x"
    article = ArticleFactory()
    CitationFactory(article=article, position=1, source_url=DeadSourceFactory(archive_url=archived))
    CitationFactory(article=article, position=2, source_url=FailingSourceFactory())
    CitationFactory(article=article, position=3, source_url=OkSourceFactory())
    html = client.get(article.get_absolute_url()).content.decode()
    assert "link no longer works" in html and "link currently unavailable" in html
    assert f'href="{archived}"' in html
    assert html.count("link-status") == 2


def test_an_ignored_dead_source_is_not_marked_for_readers(client):
    citation = cite(DeadSourceFactory(override="ignore"))
    assert "link no longer works" not in client.get(citation.article.get_absolute_url()).content.decode()


def test_admin_lists_filters_and_shows_badges(client, editor):
    DeadSourceFactory(url_as_cited="https://gazette.example/a")
    OkSourceFactory(url_as_cited="https://gazette.example/b")
    client.force_login(editor)
    url = reverse("admin:attribution_sourceurl_changelist")
    html = client.get(url, {"status__exact": "dead", "host": "gazette.example"}).content.decode()
    assert "cw-link-dead" in html and "cw-link-ok" not in html
    assert "failing since" in html.lower()


def test_admin_index_counts_links_by_status(client, editor):
    DeadSourceFactory.create_batch(2)
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "linkcheck-status-counts" in html
    assert '?status__exact=dead">Dead</a></th><td>2</td>' in html


def test_admin_article_shows_a_badge_per_citation(client, editor):
    citation = cite(DeadSourceFactory())
    client.force_login(editor)
    html = client.get(reverse("admin:attribution_article_change", args=[citation.article.pk])).content.decode()
    assert "cw-link-dead" in html


def test_admin_actions_ignore_and_verify(client, editor):
    source = DeadSourceFactory()
    client.force_login(editor)
    url = reverse("admin:attribution_sourceurl_changelist")
    client.post(url, {"action": "mark_verified_ok", "_selected_action": [source.pk]})
    source.refresh_from_db()
    assert (source.override, source.override_by) == ("verified_ok", editor)
    client.post(url, {"action": "mark_ignored", "_selected_action": [source.pk]})
    source.refresh_from_db()
    assert source.override == "ignore"


def test_admin_check_now_runs_a_check(client, editor, server, loopback_settings, django_capture_on_commit_callbacks):
    source = DueSourceFactory(url_as_cited=server.url("/story"))
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:attribution_sourceurl_changelist"), {"action": "check_now", "_selected_action": [source.pk]}
        )
    source.refresh_from_db()
    assert source.status == "ok"
    assert source.checks.count() == 1


def test_the_command_checks_an_article_and_prints_a_summary(server, loopback_settings, capsys):
    article = ArticleFactory(slug="harbour-cranes")
    CitationFactory(article=article, position=1, source_url=DueSourceFactory(url_as_cited=server.url("/story")))
    CitationFactory(article=article, position=2, source_url=DueSourceFactory(url_as_cited=server.url("/missing")))
    call_command("check_links", "--article", "harbour-cranes")
    out = capsys.readouterr().out
    assert "ok" in out and "failing" in out and "http_4xx" in out
    assert LinkCheck.objects.count() == 2


def test_the_command_checks_due_and_given_urls(server, loopback_settings, capsys):
    for n in range(3):
        DueSourceFactory(url_as_cited=server.url(f"/story?edition={n}"))
    call_command("check_links", "--due", "--batch-size", "2")
    assert set(SourceURL.objects.values_list("status", flat=True)) == {"ok"}
    call_command("check_links", server.url("/cloudflare"))
    assert "blocked" in capsys.readouterr().out


def test_the_command_reports_an_unknown_article():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No article"):
        call_command("check_links", "--article", "nope")
