"""Every change on the record: who, when, through what, and each field before and after.

Articles (text, status, removal, source list), publishers (renames, merges)
and sources' editorial overrides, through the import command, the API, the
admin, the request workflow and the services themselves.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attribution.history.context import recording
from attribution.linkcheck import classify as c
from attribution.linkcheck.checker import CheckResult
from attribution.linkcheck.services import record_check_results, request_check, set_override
from attribution.models import Article, Publisher, SourceURL
from attribution.parsing import ArticleInput
from attribution.publishers import merge_publishers
from attribution.services import remove_article, restore_article_status, save_article
from tests.attribution.factories import PublisherFactory, SourceURLFactory
from tests.workflow.conftest import article, lena, make_request, workflow_groups  # noqa: F401
from tests.workflow.helpers import perform

pytestmark = pytest.mark.django_db

TEXT = """date 2026-04-02
Harbour cranes return
{body}
Sources 1/ https://harbourgazette.example/cranes {more}
The mentioned sources can contact us to ask for removal.
"""


def changes(row, previous=None) -> dict:
    """The row's changes as {field: (before, after)}, through the same code the admin and the API use."""
    from attribution.history.changes import field_changes

    return {c["field"]: (c["before"], c["after"]) for c in field_changes(row, previous)}


def rows(obj):
    """The object's history, oldest first."""
    return list(type(obj).history.filter(id=obj.pk).order_by("history_date", "history_id"))


def imported(headline="Harbour cranes return", sources=("https://harbourgazette.example/cranes",), slug="", **kwargs):
    data = ArticleInput(
        headline=headline,
        published_on=dt.date(2026, 4, 2),
        body="They came back.",
        sources=sources,
        slug=slug,
        origin="cranes.txt",
    )
    return save_article(data, **kwargs)[0]


@pytest.fixture
def staff_editor(django_user_model):
    """Edna, staff with every permission (the admin client's kind of user, named)."""
    return django_user_model.objects.create_superuser("edna-editor", "edna@newsroom.example", "pw-edna-1")


# --- Import -------------------------------------------------------------------


def test_the_import_command_records_the_file_and_each_field_before_and_after(tmp_path):
    path = tmp_path / "cranes.txt"
    path.write_text(TEXT.format(body="They came back.", more=""))
    call_command("import_articles", str(path), "--no-progress")
    path.write_text(TEXT.format(body="They came back on Monday.", more="2/ https://wire.example/cranes"))
    call_command("import_articles", str(path), "--no-progress")

    story = Article.objects.get()
    created, updated = rows(story)
    assert (created.history_type, created.history_via, created.history_user) == ("+", str(path), None)
    assert created.sources == ["https://harbourgazette.example/cranes"]
    assert changes(updated, created) == {
        "body": ("They came back.", "They came back on Monday."),
        "sources": (
            ["https://harbourgazette.example/cranes"],
            ["https://harbourgazette.example/cranes", "https://wire.example/cranes"],
        ),
    }
    assert updated.history_via == str(path)


def test_an_unchanged_reimport_writes_no_history(tmp_path):
    story = tmp_path / "cranes.txt"
    story.write_text(TEXT.format(body="They came back.", more=""))
    call_command("import_articles", str(story), "--no-progress")
    call_command("import_articles", str(story), "--no-progress")
    assert len(rows(Article.objects.get())) == 1


def test_a_publisher_the_import_creates_is_on_the_record():
    imported()
    publisher = Publisher.objects.get(host="harbourgazette.example")
    (created,) = rows(publisher)
    assert created.history_type == "+"
    assert changes(created)["name"] == (None, publisher.name)


def test_import_service_credits_its_actor(staff_editor):
    story = imported(actor=staff_editor)
    assert rows(story)[0].history_user == staff_editor


# --- API ----------------------------------------------------------------------


def test_an_api_replace_is_recorded_as_api_with_the_user(client, staff_editor):
    story = imported()
    client.force_login(staff_editor)
    payload = {"headline": "Harbour cranes are back", "published_on": "2026-04-02", "body": "They came back."}
    payload["sources"] = ["https://harbourgazette.example/cranes"]
    response = client.put(f"/api/articles/{story.slug}/", payload, content_type="application/json")
    assert response.status_code == 200, response.content

    before, after = rows(story)
    assert (after.history_user, after.history_via) == (staff_editor, "api")
    assert changes(after, before) == {
        "headline": ("Harbour cranes return", "Harbour cranes are back"),
        "imported_from": ("cranes.txt", "api"),
    }


def test_the_history_endpoint_lists_changes_newest_first(client, staff_editor):
    story = imported()
    remove_article(story, actor=staff_editor, request_number=7)
    client.force_login(staff_editor)

    body = client.get(f"/api/articles/{story.slug}/history/").json()

    assert body["count"] == 2
    removal, creation = body["results"]
    assert (removal["who"], removal["via"], removal["kind"]) == ("edna-editor", "request #7", "changed")
    by_field = {c["field"]: c for c in removal["changes"]}
    assert (by_field["status"]["before"], by_field["status"]["after"]) == ("published", "removed")
    assert (by_field["removal_request_number"]["before"], by_field["removal_request_number"]["after"]) == (None, 7)
    assert by_field["removed_at"]["before"] is None and by_field["removed_at"]["after"]
    assert creation["kind"] == "created" and creation["who"] is None
    assert {"field": "headline", "before": None, "after": "Harbour cranes return"} in creation["changes"]
    assert removal["when"] >= creation["when"]


def test_the_history_endpoint_is_for_staff_only(client, django_user_model):
    story = imported()
    assert client.get(f"/api/articles/{story.slug}/history/").status_code in (401, 403)
    client.force_login(django_user_model.objects.create_user("rita-reader", password="pw-rita-1"))
    assert client.get(f"/api/articles/{story.slug}/history/").status_code == 403
    assert client.get("/api/articles/no-such-story/history/").status_code == 403


def test_the_history_endpoint_answers_404_for_an_unknown_article(client, staff_editor):
    client.force_login(staff_editor)
    assert client.get("/api/articles/no-such-story/history/").status_code == 404


def test_the_history_endpoint_is_paginated_and_the_page_boundary_keeps_its_before(client, staff_editor, settings):
    story = imported()
    for n in range(3):
        imported(headline=f"Harbour cranes return, part {n}", slug=story.slug)
    client.force_login(staff_editor)
    first = client.get(f"/api/articles/{story.slug}/history/").json()
    assert first["count"] == 4 and first["next"] is None

    from rest_framework.pagination import PageNumberPagination

    PageNumberPagination.page_size, saved = 2, PageNumberPagination.page_size
    try:
        page = client.get(f"/api/articles/{story.slug}/history/").json()
    finally:
        PageNumberPagination.page_size = saved
    assert page["next"] and len(page["results"]) == 2
    # The page's last entry is diffed against the row on the next page, not shown as a creation.
    assert page["results"][1]["changes"] == [
        {"field": "headline", "before": "Harbour cranes return, part 0", "after": "Harbour cranes return, part 1"}
    ]


def test_the_history_endpoint_runs_the_same_queries_for_3_or_30_changes(client, staff_editor):
    few, many = imported(headline="Few changes"), imported(headline="Many changes")
    client.force_login(staff_editor)
    for n in range(2):
        imported(headline="Few changes", sources=(f"https://wire.example/{n}",), actor=staff_editor)
    for n in range(29):
        imported(headline="Many changes", sources=(f"https://wire.example/{n}",), actor=staff_editor)

    counts = []
    for story in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/articles/{story.slug}/history/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_schema_documents_the_history_endpoint(admin_client):
    schema = admin_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/articles/{slug}/history/"]["get"]
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    entry = schema["components"]["schemas"]["HistoryEntry"]["properties"]
    assert {"when", "who", "via", "changes"} <= set(entry)
    assert "results" in schema["components"]["schemas"][page]["properties"]


# --- Request workflow -----------------------------------------------------------


def test_a_removal_through_the_workflow_is_recorded_as_the_request(make_request, lena, article):  # noqa: F811
    takedown = make_request(status="in_review", request_type="copyright", remedy="remove_article")
    takedown = perform("accept", takedown, lena)
    perform("apply", takedown, lena, change={"outcome": "removed_article", "article": article.slug})

    last = rows(article)[-1]
    assert (last.history_user, last.history_via) == (lena, f"request #{takedown.pk}")
    assert changes(last, rows(article)[-2])["status"] == ("published", "removed")


def test_a_correction_and_its_reinstatement_are_recorded_as_the_request(make_request, lena, article):  # noqa: F811
    takedown = make_request(status="in_review", request_type="factual_correction", remedy="change_passage")
    takedown = perform("accept", takedown, lena)
    change = {"outcome": "text_corrected", "article": article.slug, "body": "The cranes came back on Tuesday."}
    perform("apply", takedown, lena, change=change)
    perform("reinstate", takedown, lena)

    *_, corrected, reinstated = rows(article)
    assert (corrected.history_user, corrected.history_via) == (lena, f"request #{takedown.pk}")
    assert changes(corrected, rows(article)[-3])["body"] == (
        "The cranes came back on Monday.",
        "The cranes came back on Tuesday.",
    )
    assert reinstated.history_user == lena and f"request #{takedown.pk}" in reinstated.history_via
    assert changes(reinstated, corrected)["body"] == (
        "The cranes came back on Tuesday.",
        "The cranes came back on Monday.",
    )


# --- Services -------------------------------------------------------------------


def test_remove_and_restore_record_their_actor_and_the_fields(staff_editor):
    story = imported()
    remove_article(story, actor=staff_editor, request_number=12)
    restore_article_status(story, status="published", actor=staff_editor)

    created, removed, restored = rows(story)
    assert removed.history_user == staff_editor and removed.history_via == "request #12"
    assert changes(restored, removed) == {
        "status": ("removed", "published"),
        "removed_at": (removed.removed_at, None),
        "removal_request_number": (12, None),
    }
    assert restored.history_user == staff_editor and restored.history_via == "service"


def test_a_recording_names_what_the_changes_came_through(staff_editor):
    story = imported()
    with recording(via="command", user=staff_editor):
        restore_article_status(story, status="unpublished")
    assert (rows(story)[-1].history_via, rows(story)[-1].history_user) == ("command", staff_editor)


# --- Admin: publishers, merges, overrides, the history page ----------------------


def test_a_publisher_renamed_in_the_admin_is_recorded_with_the_user(client, staff_editor):
    publisher = PublisherFactory(host="abcnews.go.com", name="Abcnews")
    client.force_login(staff_editor)
    response = client.post(
        f"/admin/attribution/publisher/{publisher.pk}/change/",
        {"name": "ABC News", "host": "abcnews.go.com", "contact_email": "rights@abc.example"},
    )
    assert response.status_code == 302, response.content

    last = rows(publisher)[-1]
    assert (last.history_user, last.history_via) == (staff_editor, "admin")
    assert changes(last, rows(publisher)[-2]) == {
        "name": ("Abcnews", "ABC News"),
        "contact_email": ("", "rights@abc.example"),
    }


def test_a_publisher_merge_in_the_admin_moves_sources_and_is_recorded(client, staff_editor):
    keep = PublisherFactory(host="bbc.co.uk", name="BBC")
    dupe = PublisherFactory(host="news.bbc.co.uk", name="BBC News")
    source = SourceURLFactory(url_as_cited="https://news.bbc.co.uk/story", publisher=dupe)
    client.force_login(staff_editor)

    response = client.post(
        "/admin/attribution/publisher/",
        {"action": "merge", "_selected_action": [keep.pk, dupe.pk], "merge_into": "bbc.co.uk"},
    )

    assert response.status_code == 302
    assert not Publisher.objects.filter(pk=dupe.pk).exists()
    source.refresh_from_db()
    assert source.publisher == keep
    deleted = Publisher.history.filter(id=dupe.pk, history_type="-").get()
    assert (deleted.history_user, deleted.history_via) == (staff_editor, "admin")
    assert deleted.history_change_reason == "merged into bbc.co.uk"
    moved = rows(source)[-1]
    assert changes(moved, rows(source)[-2]) == {"publisher": (dupe.pk, keep.pk)}
    assert moved.history_user == staff_editor
    assert rows(keep)[-1].history_change_reason == "merged news.bbc.co.uk"


def test_a_merge_without_a_target_among_the_selected_changes_nothing(client, staff_editor):
    one, two = PublisherFactory(host="one.example"), PublisherFactory(host="two.example")
    client.force_login(staff_editor)
    client.post(
        "/admin/attribution/publisher/",
        {"action": "merge", "_selected_action": [one.pk, two.pk], "merge_into": "elsewhere.example"},
    )
    assert Publisher.objects.filter(pk__in=[one.pk, two.pk]).count() == 2
    assert not Publisher.history.filter(history_type="-").exists()


def test_merge_service_credits_its_actor(staff_editor):
    keep, dupe = PublisherFactory(host="keep.example"), PublisherFactory(host="dupe.example")
    dupe_id = dupe.pk
    merge_publishers(keep, [dupe], actor=staff_editor)
    assert Publisher.history.get(id=dupe_id, history_type="-").history_user == staff_editor


def cited_source() -> SourceURL:
    """A source as the import creates it: in bulk, so with no history of its own yet."""
    imported()
    return SourceURL.objects.get(url="https://harbourgazette.example/cranes")


def test_an_override_set_in_the_admin_is_recorded_with_its_before(client, staff_editor):
    source = cited_source()
    assert rows(source) == []
    client.force_login(staff_editor)
    client.post("/admin/attribution/sourceurl/", {"action": "mark_verified_ok", "_selected_action": [source.pk]})

    baseline, verified = rows(source)
    assert baseline.history_via == "baseline"
    assert (verified.history_user, verified.history_via) == (staff_editor, "admin")
    recorded = changes(verified, baseline)
    assert recorded["override"] == ("", "verified_ok")
    assert recorded["override_by"] == (None, staff_editor.pk)


def test_a_check_that_lifts_a_verified_ok_is_recorded_and_plain_checks_are_not(staff_editor):
    source = cited_source()
    record_check_results({source.pk: CheckResult(source.url, c.OK, http_status=200)}, token=None)
    source.refresh_from_db()
    set_override(source, SourceURL.Override.VERIFIED_OK, actor=staff_editor)
    record_check_results({source.pk: CheckResult(source.url, c.OK, http_status=200)}, token=None)
    assert len(rows(source)) == 2  # baseline and the override: checks that lift nothing write nothing

    record_check_results({source.pk: CheckResult(source.url, c.HARD_FAILURE, http_status=404)}, token=None)

    lifted = rows(source)[-1]
    assert (lifted.history_via, lifted.history_user) == ("link check", None)
    assert changes(lifted, rows(source)[-2])["override"] == ("verified_ok", "")


def test_who_asked_for_a_check_is_on_the_sources_record(staff_editor, django_capture_on_commit_callbacks):
    source = SourceURLFactory()
    request_check([source.pk], actor=staff_editor)
    last = rows(source)[-1]
    assert (last.history_user, last.history_change_reason) == (staff_editor, "check requested")


def test_the_admin_history_page_shows_who_via_and_before_after(client, staff_editor):
    story = imported()
    remove_article(story, actor=staff_editor, request_number=5)
    client.force_login(staff_editor)

    page = client.get(f"/admin/attribution/article/{story.pk}/history/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "request #5" in text and "edna-editor" in text
    assert "published" in text and "removed" in text
    assert "harbourgazette.example/cranes" in text  # the source list of the first row
    assert "<time" in text and "just now" in text  # the admin's one date format: relative, exact on hover


def test_a_sources_admin_history_names_the_publishers_of_a_merge(client, staff_editor):
    keep = PublisherFactory(host="bbc.co.uk", name="BBC")
    dupe = PublisherFactory(host="news.bbc.co.uk", name="BBC News desk")
    source = SourceURLFactory(url_as_cited="https://news.bbc.co.uk/story", publisher=dupe)
    merge_publishers(keep, [dupe], actor=staff_editor)
    client.force_login(staff_editor)

    page = client.get(f"/admin/attribution/sourceurl/{source.pk}/history/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "BBC News desk" in text and "merged into bbc.co.uk" in text and "edna-editor" in text


def test_a_linked_source_reads_as_its_text_and_address_and_later_rows_agree(staff_editor):
    story = imported(sources=("[The Harbour Gazette](https://HarbourGazette.example/cranes)",))
    remove_article(story, actor=staff_editor, request_number=3)

    created, removed = rows(story)
    assert created.sources == ["The Harbour Gazette (https://harbourgazette.example/cranes)"]
    assert "sources" not in changes(removed, created)  # same list, written by the import and by the service


def test_an_import_that_only_gives_an_article_its_identity_is_recorded():
    story = imported()
    data = ArticleInput(
        headline="Harbour cranes return",
        published_on=dt.date(2026, 4, 2),
        body="They came back.",
        sources=("https://harbourgazette.example/cranes",),
        slug=story.slug,
        origin="cranes.txt",
        external_id="cms-41",
    )
    save_article(data)

    created, identified = rows(story)
    assert changes(identified, created) == {"external_id": ("", "cms-41")}
