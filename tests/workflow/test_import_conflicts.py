"""Imports never undo a decision: after the request workflow changed an article, a different version is held.

The workflow and the import are two writers to one article. An import of
content the article already has, or that was already imported, changes
nothing; anything else becomes an ImportConflict an editor accepts or dismisses.
"""

import shutil

import pytest
from django.core.management import call_command

from attribution.management.commands.setup_demo import DEMO_DIR
from attribution.models import Article, CorrectionNote, ImportConflict
from takedowns.models import TakedownRequest
from takedowns.workflow.actions.apply import ArticleChange, apply_action
from takedowns.workflow.actions.reinstate import reinstate_request
from tests.workflow.helpers import perform

Status = TakedownRequest.Status
pytestmark = pytest.mark.django_db

CRANES = "port-authority-orders-inspection-of-harbour-cranes-after-gust-damage"
CORRECTED = "Engineers will inspect every crane at the northern harbour after a gust damaged a cab on Wednesday night."


def _sources(article):
    return list(article.citations.order_by("position").values_list("text_as_written", flat=True))


def _demo():
    call_command("setup_demo")


@pytest.fixture
def demo_correction(make_request, eddie):
    """The demo articles loaded, and the harbour cranes story corrected through the request workflow."""
    _demo()
    article = Article.objects.get(slug=CRANES)
    takedown = make_request(
        status=Status.ACCEPTED, request_type="factual_correction", remedy="change_passage", articles=[article]
    )
    perform(
        "apply",
        takedown,
        eddie,
        change={"outcome": "text_corrected", "body": CORRECTED, "correction_note": "The gust was on Wednesday."},
    )
    return Article.objects.get(pk=article.pk)


def _copy_demo(tmp_path):
    target = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, target)
    return target


def _import(path, capsys):
    call_command("import_articles", str(path), "--no-progress")
    return capsys.readouterr().out


def test_running_setup_demo_again_never_undoes_a_correction(demo_correction, client):
    before = (demo_correction.headline, demo_correction.body, _sources(demo_correction))

    _demo()

    article = Article.objects.get(pk=demo_correction.pk)
    assert (article.headline, article.body, _sources(article)) == before
    assert article.body == CORRECTED
    assert CorrectionNote.objects.filter(article=article, retracted_at__isnull=True).count() == 1
    # The demo file is what was imported before: nothing new to decide.
    assert not ImportConflict.objects.exists()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "on Wednesday night" in page and "The gust was on Wednesday." in page


def test_running_setup_demo_again_never_undoes_an_attribution_change(make_request, eddie):
    _demo()
    article = Article.objects.get(slug=CRANES)
    takedown = make_request(status=Status.ACCEPTED, articles=[article])
    new_sources = ["https://www.example-wire.com/business/2026/10/01/harbour-cranes-inspection"]
    apply_action(takedown, actor=eddie, change=ArticleChange(outcome="attribution_changed", sources=new_sources))

    _demo()

    assert _sources(Article.objects.get(pk=article.pk)) == new_sources
    assert not ImportConflict.objects.exists()


def test_a_really_different_file_is_held_once_and_the_article_keeps_the_correction(demo_correction, tmp_path, capsys):
    demo = _copy_demo(tmp_path)
    cranes = demo / "01-harbour-cranes.txt"
    cranes.write_text(cranes.read_text().replace("No one was hurt.", "Nobody was injured."))

    first = _import(demo, capsys)
    second = _import(demo, capsys)

    article = Article.objects.get(pk=demo_correction.pk)
    assert article.body == CORRECTED
    conflict = ImportConflict.objects.get()
    assert conflict.article == article and conflict.status == "open"
    assert "Nobody was injured." in conflict.body
    assert "1 held for an editor" in first and "4 unchanged" in first
    assert f"note: “{CRANES}” was changed by the request workflow" in first
    # Still held, not raised twice.
    assert "1 held for an editor" in second and ImportConflict.objects.count() == 1


def test_a_dismissed_version_is_never_raised_again_but_a_newer_one_is(demo_correction, tmp_path, capsys, admin_client):
    demo = _copy_demo(tmp_path)
    cranes = demo / "01-harbour-cranes.txt"
    original = cranes.read_text()
    cranes.write_text(original.replace("No one was hurt.", "Nobody was injured."))
    _import(demo, capsys)
    conflict = ImportConflict.objects.get()

    response = admin_client.post(f"/api/import-conflicts/{conflict.pk}/dismiss/")
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    again = _import(demo, capsys)

    assert ImportConflict.objects.count() == 1 and "0 held" in again
    assert Article.objects.get(pk=demo_correction.pk).body == CORRECTED

    cranes.write_text(original.replace("No one was hurt.", "Two workers were treated for shock."))
    _import(demo, capsys)
    assert ImportConflict.objects.filter(status="open").count() == 1


def test_accepting_applies_the_version_through_the_import_and_it_then_counts_as_imported(
    demo_correction, tmp_path, capsys, admin_client
):
    demo = _copy_demo(tmp_path)
    cranes = demo / "01-harbour-cranes.txt"
    cranes.write_text(cranes.read_text().replace("No one was hurt.", "Nobody was injured."))
    _import(demo, capsys)
    conflict = ImportConflict.objects.get()

    detail = admin_client.get(f"/api/import-conflicts/{conflict.pk}/").json()
    assert any(line.startswith("+") and "Nobody was injured." in line for line in detail["diff"]["body"])
    response = admin_client.post(f"/api/import-conflicts/{conflict.pk}/accept/")

    assert response.status_code == 200 and response.json()["status"] == "accepted"
    article = Article.objects.get(pk=demo_correction.pk)
    assert "Nobody was injured." in article.body and article.slug == CRANES
    assert "0 updated, 5 unchanged" in _import(demo, capsys)
    # The correction note is the public record of the request and stays.
    assert CorrectionNote.objects.filter(article=article, retracted_at__isnull=True).exists()
    assert admin_client.post(f"/api/import-conflicts/{conflict.pk}/accept/").status_code == 409


def test_only_staff_see_and_decide_conflicts(demo_correction, client, eddie):
    ImportConflict.objects.create(
        article=demo_correction, headline="H", body="B", published_on=demo_correction.published_on, fingerprint="f"
    )
    conflict = ImportConflict.objects.get()

    assert client.get("/api/import-conflicts/").status_code in (401, 403)
    assert client.post(f"/api/import-conflicts/{conflict.pk}/dismiss/").status_code in (401, 403)
    assert ImportConflict.objects.get().status == "open"


def test_a_removed_article_stays_removed_and_the_report_says_so(make_request, lena, tmp_path, capsys):
    _demo()
    article = Article.objects.get(slug=CRANES)
    removal = perform(
        "accept", make_request(status=Status.IN_REVIEW, remedy="remove_article", articles=[article]), lena
    )
    apply_action(removal, actor=lena, change=ArticleChange(outcome="removed_article", confirm_removal=True))
    demo = _copy_demo(tmp_path)
    cranes = demo / "01-harbour-cranes.txt"
    cranes.write_text(cranes.read_text().replace("No one was hurt.", "Nobody was injured."))

    out = _import(demo, capsys)

    assert Article.objects.get(pk=article.pk).status == "removed"
    assert "1 skipped (removed)" in out
    assert f"note: “{CRANES}” was removed (request #{removal.pk}) and stays removed" in out


def test_after_reinstatement_a_different_version_is_still_held(make_request, lena, tmp_path, capsys):
    _demo()
    article = Article.objects.get(slug=CRANES)
    removal = perform(
        "accept", make_request(status=Status.IN_REVIEW, remedy="remove_article", articles=[article]), lena
    )
    apply_action(removal, actor=lena, change=ArticleChange(outcome="removed_article", confirm_removal=True))
    reinstate_request(TakedownRequest.objects.get(pk=removal.pk), actor=lena, note="Counter-notice accepted.")
    demo = _copy_demo(tmp_path)
    cranes = demo / "01-harbour-cranes.txt"
    body_before = Article.objects.get(pk=article.pk).body

    assert "5 unchanged" in _import(demo, capsys)
    cranes.write_text(cranes.read_text().replace("No one was hurt.", "Nobody was injured."))
    assert "1 held" in _import(demo, capsys)
    assert Article.objects.get(pk=article.pk).body == body_before


def test_an_api_write_to_a_corrected_article_is_held_with_a_409(demo_correction, admin_client):
    payload = {
        "headline": demo_correction.headline,
        "published_on": demo_correction.published_on.isoformat(),
        "body": "A rewrite that ignores the correction.",
        "sources": [],
    }

    response = admin_client.put(f"/api/articles/{CRANES}/", payload, content_type="application/json")

    assert response.status_code == 409
    conflict = ImportConflict.objects.get()
    assert response.json()["import_conflict"] == conflict.pk
    assert Article.objects.get(pk=demo_correction.pk).body == CORRECTED


def test_the_admin_lists_conflicts_shows_the_diff_and_accepts(demo_correction, tmp_path, capsys, admin_client):
    demo = _copy_demo(tmp_path)
    cranes = demo / "01-harbour-cranes.txt"
    cranes.write_text(cranes.read_text().replace("No one was hurt.", "Nobody was <b>injured</b>."))
    _import(demo, capsys)
    conflict = ImportConflict.objects.get()

    listing = admin_client.get("/admin/attribution/importconflict/?status__exact=open").content.decode()
    page = admin_client.get(f"/admin/attribution/importconflict/{conflict.pk}/change/").content.decode()
    assert conflict.headline in listing
    assert 'class="diff"' in page and "&lt;b&gt;injured&lt;/b&gt;" in page and 'name="_accept"' in page

    admin_client.post(f"/admin/attribution/importconflict/{conflict.pk}/change/", {"_accept": "1"})

    assert ImportConflict.objects.get().status == "accepted"
    assert "Nobody was <b>injured</b>." in Article.objects.get(pk=demo_correction.pk).body


def test_a_source_given_as_a_link_keeps_its_url_through_a_correction(make_request, eddie):
    from attribution.parsing import ArticleInput
    from attribution.services import save_article

    article, _outcome = save_article(
        ArticleInput(
            headline="Cranes",
            published_on=demo_date(),
            body="Old.",
            sources=("[Harbour Gazette](https://harbourgazette.example/cranes)",),
        )
    )
    takedown = make_request(
        status=Status.ACCEPTED, request_type="factual_correction", remedy="change_passage", articles=[article]
    )
    perform("apply", takedown, eddie, change={"outcome": "text_corrected", "body": "New."})

    citation = Article.objects.get(pk=article.pk).citations.select_related("source_url").get()
    assert citation.text_as_written == "Harbour Gazette"
    assert citation.source_url.url == "https://harbourgazette.example/cranes"


def demo_date():
    import datetime as dt

    return dt.date(2026, 10, 2)
