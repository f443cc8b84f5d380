"""Drift checks against a real site on 127.0.0.1 whose pages change between the citation and a month later.

Each test cites a page (the citation-time snapshot, through the snapshot
service), lets a month pass, changes what the site serves, and runs the
periodic job the way beat does (``manage.py run_job drift-tick``), so the
tick, the batch task and the service all run.
"""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from attribution.models import SourceURL
from attribution.snapshots import drift
from attribution.snapshots.models import SourceSnapshot
from attribution.snapshots.services import take_snapshot
from tests.snapshots.drift_pages import A_MONTH_LATER, ARABIC, ENGLISH, ENGLISH_REWRITTEN, news_page

pytestmark = pytest.mark.django_db

CITED_AT = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)
A_MONTH_ON = CITED_AT + dt.timedelta(days=31)
HTML = "text/html; charset=utf-8"
TITLE = "Cranes return to the harbour | Harbour Gazette"


@pytest.fixture
def cite(site, working_source):
    """Serve ``page`` at a path, cite it (first snapshot) at CITED_AT, and return the source."""

    def cite_page(page: bytes, path: str = "/drifting") -> SourceURL:
        site.pages[path] = (200, HTML, page)
        source = working_source(path)
        with time_machine.travel(CITED_AT):
            assert take_snapshot(source, reason=SourceSnapshot.Reason.FIRST) is not None
        return source

    return cite_page


@pytest.fixture
def month_later(site, django_capture_on_commit_callbacks):
    """Serve ``page`` instead, a month on, and run the drift job as beat would. Returns the source reloaded."""

    def revisit(source: SourceURL, page: bytes | None, path: str = "/drifting") -> tuple[SourceURL, str]:
        if page is not None:
            site.pages[path] = (200, HTML, page)
        out = io.StringIO()
        with time_machine.travel(A_MONTH_ON), django_capture_on_commit_callbacks(execute=True):
            call_command("run_job", "drift-tick", stdout=out)
        source.refresh_from_db()
        return source, out.getvalue()

    return revisit


def drift_snapshots(source):
    return list(source.snapshots.filter(reason=SourceSnapshot.Reason.DRIFT))


def test_a_page_whose_article_was_rewritten_becomes_changed_and_is_kept(cite, month_later):
    source = cite(news_page(TITLE, ENGLISH))

    source, out = month_later(source, news_page(TITLE, ENGLISH_REWRITTEN, boilerplate=A_MONTH_LATER))

    assert "Result: 1" in out
    assert source.drift == "changed"
    assert 0.2 < source.drift_score < 0.8
    assert source.drift_notice == ""
    assert source.drift_checked_at == source.drift_detected_at
    assert source.drift_checked_at >= A_MONTH_ON
    assert A_MONTH_ON + dt.timedelta(days=30) <= source.next_drift_check_at <= A_MONTH_ON + dt.timedelta(days=34)
    (kept,) = drift_snapshots(source)
    assert "private operator" in kept.text and kept.warc_bytes > 0


def test_a_page_that_only_rotates_its_boilerplate_stays_unflagged(cite, month_later):
    """New date, view count, cookie banner, ad label and "most read" list: the article is the same."""
    source = cite(news_page(TITLE, ENGLISH))

    source, _out = month_later(source, news_page(TITLE, ENGLISH, boilerplate=A_MONTH_LATER))

    assert (source.drift, source.drift_score, source.drift_detected_at) == ("same", 1.0, None)
    assert drift_snapshots(source) == []


@pytest.mark.parametrize(
    "notice, expected",
    [
        (
            '<div class="editors-note"><strong>Correction:</strong> An earlier version of this article '
            "misstated the cost of the refit.</div>",
            "Correction: An earlier version of this article misstated the cost of the refit.",
        ),
        (
            "<p><em>This article has been updated to include comment from the shipping lines.</em></p>",
            "This article has been updated to include comment from the shipping lines.",
        ),
        ("<aside><p>Update: the authority has delayed the work.</p></aside>", "Update: the authority has delayed"),
    ],
)
def test_a_page_that_gains_a_correction_notice_becomes_corrected_with_the_notice(cite, month_later, notice, expected):
    source = cite(news_page(TITLE, ENGLISH))

    source, _out = month_later(source, news_page(TITLE, ENGLISH, boilerplate=A_MONTH_LATER, notice=notice))

    assert source.drift == "corrected"
    assert source.drift_notice.startswith(expected)
    assert source.drift_score > 0.8  # the text itself barely moved: the notice is what counts
    assert source.drift_detected_at is not None
    assert len(drift_snapshots(source)) == 1


@pytest.mark.parametrize(
    "notice",
    [
        "<p>تصحيح: ورد في نسخة سابقة من هذا المقال خطأ في كلفة الترميم.</p>",
        '<div class="note">ملاحظة المحرر: تم تحديث هذا المقال لإضافة تعليق شركات الشحن.</div>',
    ],
)
def test_an_arabic_page_that_gains_a_correction_notice_becomes_corrected(cite, month_later, notice):
    title = "عودة الرافعات إلى الميناء"
    source = cite(news_page(title, ARABIC, lang="ar"))

    source, _out = month_later(source, news_page(title, ARABIC, lang="ar", boilerplate=A_MONTH_LATER, notice=notice))

    assert source.drift == "corrected"
    assert source.drift_notice in notice


def test_a_notice_that_was_already_there_when_cited_is_not_news(cite, month_later):
    notice = "<p>Correction: An earlier version of this article misspelt the chair's name.</p>"
    source = cite(news_page(TITLE, ENGLISH, notice=notice))

    source, _out = month_later(source, news_page(TITLE, ENGLISH, boilerplate=A_MONTH_LATER, notice=notice))

    assert source.drift == "same"


def test_a_substantially_new_title_makes_the_source_corrected(cite, month_later):
    source = cite(news_page(TITLE, ENGLISH))
    new_title = "Port scraps crane plan after fee dispute | Harbour Gazette"

    source, _out = month_later(source, news_page(new_title, ENGLISH, boilerplate=A_MONTH_LATER))

    assert source.drift == "corrected"
    assert "Port scraps crane plan" in source.drift_notice and "Cranes return" in source.drift_notice


def test_a_new_site_name_in_the_title_is_not_a_new_title(cite, month_later):
    source = cite(news_page(TITLE, ENGLISH))

    source, _out = month_later(source, news_page("Cranes return to the harbour - The Gazette", ENGLISH))

    assert source.drift == "same"


def test_a_page_that_cannot_be_read_now_keeps_its_state_and_is_tried_again_sooner(site, cite, month_later):
    source = cite(news_page(TITLE, ENGLISH))
    site.pages["/drifting"] = (503, "text/html", b"<title>Busy</title>")

    source, _out = month_later(source, None)

    assert (source.drift, source.drift_checked_at) == ("", None)
    assert A_MONTH_ON + dt.timedelta(hours=24) <= source.next_drift_check_at <= A_MONTH_ON + dt.timedelta(hours=27)


def test_a_page_with_no_text_when_cited_is_not_compared_and_waits_a_whole_interval(cite, month_later):
    shell = b"<!doctype html><html><head><title>App</title></head><body><script>render()</script></body></html>"
    source = cite(shell)

    source, _out = month_later(source, news_page(TITLE, ENGLISH))

    assert (source.drift, source.drift_checked_at) == ("", None)
    assert source.next_drift_check_at >= A_MONTH_ON + dt.timedelta(days=30)


def test_nothing_is_due_before_the_interval_nor_without_a_working_html_citation_snapshot(
    site, cite, working_source, settings
):
    cited = cite(news_page(TITLE, ENGLISH))
    never_snapshotted = working_source("/article")
    pdf = working_source("/report.pdf")
    with time_machine.travel(CITED_AT):
        take_snapshot(pdf, reason=SourceSnapshot.Reason.FIRST)
    dead = cite(news_page(TITLE, ENGLISH), path="/gone")
    SourceURL.objects.filter(pk=dead.pk).update(status=SourceURL.Status.DEAD)

    assert list(drift.due_sources(now=CITED_AT + dt.timedelta(days=29))) == []
    due = drift.due_sources(now=A_MONTH_ON)
    assert [s.pk for s in due] == [cited.pk]
    assert never_snapshotted.pk not in [s.pk for s in due]

    settings.DRIFT_CHECK_DAYS = 60
    assert list(drift.due_sources(now=A_MONTH_ON)) == []


def test_two_ticks_racing_claim_each_source_once(cite, settings):
    settings.DRIFT_BATCH_SIZE = 2
    sources = [cite(news_page(TITLE, ENGLISH), path=f"/race-{n}") for n in range(3)]

    first = drift.claim_due_batches(now=A_MONTH_ON)
    second = drift.claim_due_batches(now=A_MONTH_ON)

    assert [len(b.source_ids) for b in first] == [2, 1]
    assert second == []
    assert sorted(pk for b in first for pk in b.source_ids) == sorted(s.pk for s in sources)
    # The lease runs out: a crashed worker's sources fall due again by themselves.
    later = A_MONTH_ON + dt.timedelta(seconds=settings.DRIFT_LEASE_SECONDS + 1)
    assert sum(len(b.source_ids) for b in drift.claim_due_batches(now=later)) == 3


def test_a_tick_that_read_the_due_rows_before_another_claimed_them_wins_none(cite, monkeypatch):
    """The race itself: tick A reads the due rows, tick B claims them all, then A's conditional UPDATEs run."""
    cite(news_page(TITLE, ENGLISH), path="/race-a")
    cite(news_page(TITLE, ENGLISH), path="/race-b")
    read_by_a = list(drift.due_sources(now=A_MONTH_ON).values_list("pk", "next_drift_check_at"))
    won_by_b = drift.claim_due_batches(now=A_MONTH_ON)

    class StaleRead:
        def values_list(self, *fields):
            return read_by_a

    monkeypatch.setattr(drift, "due_sources", lambda now: StaleRead())
    assert drift.claim_due_batches(now=A_MONTH_ON) == []
    assert sorted(won_by_b[0].source_ids) == sorted(pk for pk, _due in read_by_a)


def test_a_late_batch_whose_lease_moved_on_writes_nothing(site, cite):
    source = cite(news_page(TITLE, ENGLISH))
    (stale,) = drift.claim_due_batches(now=A_MONTH_ON)
    later = A_MONTH_ON + dt.timedelta(hours=1)
    SourceURL.objects.filter(pk=source.pk).update(next_drift_check_at=later)  # expired and claimed again
    site.pages["/drifting"] = (200, HTML, news_page(TITLE, ENGLISH_REWRITTEN))

    assert drift.run_batch(stale.source_ids, stale.lease_until) == 0

    source.refresh_from_db()
    assert (source.drift, source.next_drift_check_at) == ("", later)


def test_a_source_whose_snapshot_cannot_be_stored_is_left_to_its_lease_and_the_batch_goes_on(site, cite, monkeypatch):
    first = cite(news_page(TITLE, ENGLISH), path="/storage-a")
    second = cite(news_page(TITLE, ENGLISH), path="/storage-b")
    for path in ("/storage-a", "/storage-b"):
        site.pages[path] = (200, HTML, news_page(TITLE, ENGLISH_REWRITTEN))
    (batch,) = drift.claim_due_batches(now=A_MONTH_ON)
    real_store = drift.store_snapshot

    def storage_down_for_the_first(source, *args, **kwargs):
        if source.pk == first.pk:
            raise OSError("storage unreachable")
        return real_store(source, *args, **kwargs)

    monkeypatch.setattr(drift, "store_snapshot", storage_down_for_the_first)

    assert drift.run_batch(batch.source_ids, batch.lease_until) == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.drift, first.next_drift_check_at) == ("", batch.lease_until)  # nothing half-saved
    assert second.drift == "changed" and len(drift_snapshots(second)) == 1


def test_the_drift_job_never_touches_link_check_fields_or_queues(cite, month_later, settings):
    from config.celery import app

    source = cite(news_page(TITLE, ENGLISH))
    link_fields = [f.name for f in SourceURL._meta.fields if not f.name.startswith(("drift", "next_drift"))]
    before = {name: getattr(source, name) for name in link_fields}

    source, _out = month_later(source, news_page(TITLE, ENGLISH_REWRITTEN))

    assert source.drift == "changed"
    assert {name: getattr(source, name) for name in link_fields} == before
    route = app.amqp.router.route({}, "attribution.snapshots.drift_tasks.check_drift_batch")
    assert route["queue"].name == "drift"
    assert settings.CELERY_TASK_ROUTES["attribution.tasks.check_link_batch"] == {"queue": "linkcheck"}


def test_moving_up_from_changed_to_corrected_is_news_again(cite, month_later, site, django_capture_on_commit_callbacks):
    source = cite(news_page(TITLE, ENGLISH))
    source, _out = month_later(source, news_page(TITLE, ENGLISH_REWRITTEN))
    first_detected = source.drift_detected_at
    notice = "<p>Correction: the fee figures in an earlier version were wrong.</p>"
    site.pages["/drifting"] = (200, HTML, news_page(TITLE, ENGLISH_REWRITTEN, notice=notice))

    with time_machine.travel(A_MONTH_ON + dt.timedelta(days=40)), django_capture_on_commit_callbacks(execute=True):
        call_command("run_job", "drift-tick", stdout=io.StringIO())

    source.refresh_from_db()
    assert source.drift == "corrected" and source.drift_detected_at > first_detected
    assert len(drift_snapshots(source)) == 2


def test_the_job_can_be_switched_off(cite, settings):
    cite(news_page(TITLE, ENGLISH))
    settings.DRIFT_ENABLED = False
    assert drift.claim_due_batches(now=A_MONTH_ON) == []
