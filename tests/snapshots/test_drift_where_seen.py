"""Where editors see drift: the side-by-side page, the source page, the start page, the digest and the API."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from attribution.linkcheck.digest import send_digest
from attribution.snapshots.models import SourceSnapshot
from tests.attribution.factories import ArticleFactory, CitationFactory
from tests.linkcheck.factories import OkSourceFactory

pytestmark = pytest.mark.django_db

CITED_TEXT = "The cost was 14 million euros.\nResidents <script>alert('then')</script> were promised quiet."
NOW_TEXT = "The cost was 19 million euros.\nResidents <script>alert('then')</script> were promised quiet."


def drifted_source(drift="changed", *, notice="", score=0.42, url="https://gazette.example/cranes", **fields):
    return OkSourceFactory(
        url_as_cited=url,
        drift=drift,
        drift_score=score,
        drift_notice=notice,
        drift_checked_at=timezone.now(),
        drift_detected_at=timezone.now() if drift in ("changed", "corrected") else None,
        **fields,
    )


def snapshot(source, *, reason, text, title, days_ago):
    return SourceSnapshot.objects.create(
        source_url=source,
        taken_at=timezone.now() - dt.timedelta(days=days_ago),
        reason=reason,
        fetched_url=source.url,
        http_status=200,
        content_type="text/html",
        title=title,
        text=text,
        text_hash=hashlib.sha256(text.encode()).hexdigest(),
    )


@pytest.fixture
def compared(db):
    source = drifted_source("corrected", notice="تصحيح: ورد خطأ في الكلفة.")
    snapshot(source, reason="first", text=CITED_TEXT, title="Cranes <b>return</b>", days_ago=40)
    snapshot(source, reason="drift", text=NOW_TEXT + "\nتصحيح: ورد خطأ في الكلفة.", title="Cranes delayed", days_ago=1)
    return source


def test_editors_see_the_cited_text_and_now_side_by_side_with_changes_marked(client, editor, compared):
    client.force_login(editor)
    response = client.get(reverse("admin:attribution_sourceurl_drift", args=[compared.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>14</del>" in html and "<ins>19</ins>" in html
    assert "<ins>تصحيح: ورد خطأ في الكلفة.</ins>" in html
    assert "&lt;script&gt;alert(&#x27;then&#x27;)&lt;/script&gt;" in html and "<script>alert(" not in html
    assert "Cranes &lt;b&gt;return&lt;/b&gt;" in html or "&lt;b&gt;return&lt;/b&gt;" in html
    assert html.count('dir="auto"') >= 6
    assert "Corrected or updated since cited" in html


def test_the_source_page_shows_the_drift_and_links_to_the_comparison(client, editor, compared):
    client.force_login(editor)
    html = client.get(reverse("admin:attribution_sourceurl_change", args=[compared.pk])).content.decode()
    assert reverse("admin:attribution_sourceurl_drift", args=[compared.pk]) in html
    assert "Corrected or updated since cited (similarity: 42%)" in html and "تصحيح: ورد خطأ في الكلفة." in html


def test_a_source_never_compared_says_so_and_has_no_side_by_side(client, editor):
    source = OkSourceFactory()
    snapshot(source, reason="first", text="Only what was cited.", title="Cited", days_ago=3)
    client.force_login(editor)
    html = client.get(reverse("admin:attribution_sourceurl_drift", args=[source.pk])).content.decode()
    assert "Only the snapshot taken when first cited" in html and "Only what was cited." in html
    assert client.get(reverse("admin:attribution_sourceurl_drift", args=[source.pk + 999])).status_code == 404


def test_only_staff_who_may_view_sources_see_the_comparison(client, outsider, compared, django_user_model):
    url = reverse("admin:attribution_sourceurl_drift", args=[compared.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 302
    staff_without_rights = django_user_model.objects.create_user("sam-staff", "sam@newsroom.example", is_staff=True)
    client.force_login(staff_without_rights)
    assert client.get(url).status_code == 403


def test_the_start_page_counts_links_changed_recently_and_the_list_filters_them(client, editor):
    changed = drifted_source("changed", url="https://gazette.example/a")
    corrected = drifted_source("corrected", url="https://gazette.example/b", notice="Correction: x.")
    drifted_source("same", url="https://gazette.example/c")
    long_ago = drifted_source("changed", url="https://gazette.example/d")
    long_ago.drift_detected_at = timezone.now() - dt.timedelta(days=30)
    long_ago.save()
    client.force_login(editor)

    start = client.get(reverse("admin:index")).content.decode()
    assert '<td class="cw-changed-count">2</td>' in start
    listed = client.get(reverse("admin:attribution_sourceurl_changelist"), {"newly": "changed"})
    assert {row.pk for row in listed.context["cl"].result_list} == {changed.pk, corrected.pk}


def test_the_api_filters_sources_by_drift_and_shows_the_drift_fields(client):
    changed = drifted_source("changed", url="https://gazette.example/a")
    corrected = drifted_source("corrected", url="https://gazette.example/b", notice="Correction: the date.", score=0.97)
    same = drifted_source("same", url="https://gazette.example/c", score=1.0)
    for source in (changed, corrected, same):
        CitationFactory(source_url=source, article=ArticleFactory(), position=1)

    (row,) = client.get("/api/sources/", {"drift": "changed"}).json()["results"]
    assert (row["id"], row["drift"], row["drift_score"]) == (changed.pk, "changed", 0.42)
    assert row["drift_checked_at"] and row["drift_detected_at"]
    (row,) = client.get("/api/sources/", {"drift": "corrected"}).json()["results"]
    assert (row["id"], row["drift_notice"]) == (corrected.pk, "Correction: the date.")
    assert len(client.get("/api/sources/").json()["results"]) == 3


def test_the_api_rejects_an_unknown_drift_value_clearly(client):
    response = client.get("/api/sources/", {"drift": "drifty"})
    assert response.status_code == 400
    assert "drift" in response.json()


def test_the_digest_lists_sources_that_changed_or_were_corrected_since_the_last_one(
    editor, mailoutbox, django_capture_on_commit_callbacks, settings
):
    article = ArticleFactory(headline="Cranes return to the harbour")
    changed = drifted_source("changed", url="https://gazette.example/changed")
    corrected = drifted_source("corrected", url="https://gazette.example/corrected", notice="Update: fees rose.")
    CitationFactory(article=article, position=1, source_url=changed)
    CitationFactory(article=article, position=2, source_url=corrected)
    CitationFactory(source_url=drifted_source("same", url="https://gazette.example/same"))

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest() == 2

    (mail,) = mailoutbox
    assert "died, moved or changed" in mail.subject
    assert "1/ https://gazette.example/changed" in mail.body
    assert "changed since cited (similarity 0.42)" in mail.body
    assert "corrected or updated since cited: Update: fees rose." in mail.body
    assert f"{settings.SITE_URL}/admin/attribution/sourceurl/{changed.pk}/drift/" in mail.body
    assert "gazette.example/same" not in mail.body and "moved to:" not in mail.body

    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digest() == 0
    assert len(mailoutbox) == 1
