"""Drift and correction alerts: is a working source still saying what we cited?

Every DRIFT_CHECK_DAYS a working HTML source with a citation-time snapshot is
read again, its main text extracted the way the snapshot's was, and compared
with it (compare.py): ``same``, ``changed`` below DRIFT_CHANGED_BELOW
similarity, or ``corrected`` when a correction, retraction or update notice
appears that the cited page did not have (notices.py), or the title changed
substantially. A changed or corrected page is kept as a new snapshot (reason
``drift``), which is what the admin's side-by-side view shows as "now".

The database is the queue: ``next_drift_check_at`` says when a source is due,
and a claim moves it to the end of a lease with a conditional UPDATE per row,
so two ticks cannot claim the same source and a crashed worker's sources fall
due again when the lease ends. The lease's end is the batch's token: a result
is written only while ``next_drift_check_at`` still holds it. Nothing here
reads or writes a link-check field (status, next_check_at, lease_token...)
beyond reading ``status`` to pick working sources.
"""

import datetime as dt
import logging
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from attribution.models import SourceURL
from attribution.snapshots import compare, notices
from attribution.snapshots.capture import FetchError, Page, fetch_page
from attribution.snapshots.extract import HTML_TYPES, Extracted, extract
from attribution.snapshots.models import SourceSnapshot
from attribution.snapshots.services import first_snapshot, store_snapshot

logger = logging.getLogger(__name__)

Drift = SourceURL.Drift
# Only a move up this ladder is news for the digest: same → changed → corrected.
RANK = {Drift.UNCHECKED: 0, Drift.SAME: 0, Drift.CHANGED: 1, Drift.CORRECTED: 2}
# Sources that answer: an "ok" page, or one that moved permanently (its new address is read).
WORKING = (SourceURL.Status.OK, SourceURL.Status.REDIRECTED)
# Next checks spread over this share of the interval, so a big import's sources do not all fall due at once.
JITTER = 0.1


@dataclass(frozen=True)
class Verdict:
    drift: str
    score: float  # similarity of the main text to the cited one, 0..1 (compare.similarity)
    kept: float  # share of the cited text still on the page, 0..1
    title_score: float
    notice: str  # the new notice as it reads, or the title change; "" for same or changed


@dataclass(frozen=True)
class DriftBatch:
    lease_until: dt.datetime
    source_ids: list[int]


def judge(cited: SourceSnapshot, extracted: Extracted, found: list[notices.Notice]) -> Verdict:
    """Compare the page now with the cited snapshot, given the notices new since then. Pure: no I/O."""
    similar = compare.similarity(cited.text, extracted.text, width=settings.DRIFT_SHINGLE_WORDS)
    title_score = compare.title_similarity(cited.title, extracted.title)
    if found:
        drift, notice = Drift.CORRECTED, found[0].text
    elif title_score < settings.DRIFT_TITLE_CHANGED_BELOW:
        drift = Drift.CORRECTED
        notice = f"Title: “{cited.title}” → “{extracted.title}”"[: notices.NOTICE_MAX_CHARS]
    elif similar.score < settings.DRIFT_CHANGED_BELOW:
        drift, notice = Drift.CHANGED, ""
    else:
        drift, notice = Drift.SAME, ""
    return Verdict(drift, similar.score, similar.kept, title_score, notice)


def due_sources(*, now=None):
    """Working sources whose HTML citation-time snapshot is due a comparison, oldest due first.

    Due: ``next_drift_check_at`` has passed, or it was never set and the first
    snapshot is DRIFT_CHECK_DAYS old. Editors' "ignore" overrides are left alone.
    """
    now = now or timezone.now()
    first_html = SourceSnapshot.objects.filter(
        source_url=OuterRef("pk"), reason=SourceSnapshot.Reason.FIRST, content_type__in=HTML_TYPES
    )
    ripe = first_html.filter(taken_at__lte=now - dt.timedelta(days=settings.DRIFT_CHECK_DAYS))
    due = Q(next_drift_check_at__lte=now, has_first=True) | Q(next_drift_check_at__isnull=True, ripe=True)
    sources = SourceURL.objects.filter(status__in=WORKING).exclude(override=SourceURL.Override.IGNORE)
    sources = sources.annotate(has_first=Exists(first_html), ripe=Exists(ripe)).filter(due)
    return sources.order_by(F("next_drift_check_at").asc(nulls_first=True), "pk")


def claim_due_batches(*, now=None) -> list[DriftBatch]:
    """Claim due sources in batches of DRIFT_BATCH_SIZE (at most DRIFT_MAX_BATCHES_PER_TICK). Returns what this caller won.

    Each source is claimed by a conditional UPDATE on the ``next_drift_check_at`` it was read with, so
    a second caller racing for the same rows wins none of them.
    """
    if not settings.DRIFT_ENABLED:
        return []
    now = now or timezone.now()
    size, count = settings.DRIFT_BATCH_SIZE, settings.DRIFT_MAX_BATCHES_PER_TICK
    lease_until = now + dt.timedelta(seconds=settings.DRIFT_LEASE_SECONDS)
    won = []
    for pk, due_at in due_sources(now=now).values_list("pk", "next_drift_check_at")[: size * count]:
        row = SourceURL.objects.filter(pk=pk)
        row = row.filter(next_drift_check_at=due_at) if due_at else row.filter(next_drift_check_at__isnull=True)
        if row.update(next_drift_check_at=lease_until) == 1:
            won.append(pk)
    return [DriftBatch(lease_until, won[i : i + size]) for i in range(0, len(won), size)]


def run_batch(source_ids: list[int], lease_until: dt.datetime) -> int:
    """Check each source of a claimed batch, one after the other (politeness). Returns how many were compared.

    Idempotent: a source whose lease has moved on (expired and claimed again, or already recorded) is skipped.
    A source that fails unexpectedly (storage down...) is logged and left to its lease, which hands it to a
    later tick; the others are still checked.
    """
    compared = 0
    for pk in source_ids:
        try:
            compared += check_source(pk, lease_until=lease_until) is not None
        except Exception:
            logger.exception("drift check of source %s failed; it is tried again when its lease ends", pk)
    return compared


def check_source(source_id: int, *, lease_until: dt.datetime, now=None) -> Verdict | None:
    """Read one claimed source again and record the comparison. Returns the verdict, or None if not compared.

    A page that cannot be fetched, is not HTML or not 2xx, or whose main text comes out empty is not
    judged (liveness is the link checker's business): it is tried again after DRIFT_RETRY_HOURS.
    """
    source = SourceURL.objects.filter(pk=source_id, next_drift_check_at=lease_until).first()
    if source is None:
        return None  # not ours any more
    cited = first_snapshot(source)
    if cited is None or not cited.text:
        # Nothing was extracted when it was cited (a script-only page...): nothing to compare, ask again next time.
        record_drift_unreadable(source, lease_until=lease_until, now=now, retry_hours=24 * settings.DRIFT_CHECK_DAYS)
        return None
    page, extracted = _read(source)
    if page is None or not extracted.text:
        record_drift_unreadable(source, lease_until=lease_until, now=now)
        return None
    verdict = compare_with_cited(cited, extracted, page.body)
    recorded = record_drift_result(source, verdict, page=page, extracted=extracted, lease_until=lease_until, now=now)
    return verdict if recorded else None


def _read(source: SourceURL) -> tuple[Page | None, Extracted | None]:
    try:
        page = fetch_page(source.url)
    except FetchError as error:
        logger.info("drift check of source %s could not fetch it: %s", source.pk, error)
        return None, None
    if not 200 <= page.status < 300 or page.kind != "html":
        return None, None
    return page, extract(page.body, page.content_type, page.final_url)


def compare_with_cited(cited: SourceSnapshot, extracted: Extracted, body: bytes, *, read_cited=None) -> Verdict:
    """Judge the page now (its extracted text and HTML ``body``) against the cited snapshot. No database writes.

    The cited page's HTML (read back from its WARC by ``read_cited``, cited_body by default) is needed
    only when the page now has a notice, to tell whether it is new: most checks never read the WARC.
    """
    found = notices.find_notices(_scope(extracted.text, body))
    if found:
        found = notices.new_notices(_scope(cited.text, (read_cited or cited_body)(cited)), found)
    return judge(cited, extracted, found)


def _scope(text: str, body: bytes) -> str:
    return f"{text}\n{notices.notice_scope(body)}" if body else text


def cited_body(snapshot: SourceSnapshot) -> bytes:
    """The cited page's HTML, read back from its WARC; b"" if the file is gone or unreadable (logged)."""
    if not snapshot.warc:
        return b""
    try:
        with snapshot.warc.open("rb") as warc:
            for record in ArchiveIterator(warc):
                if record.rec_type == "response":
                    return record.content_stream().read(settings.SNAPSHOTS_MAX_BYTES)
    except (OSError, ValueError, ArchiveLoadFailed):
        logger.warning("could not read the WARC of snapshot %s", snapshot.pk, exc_info=True)
    return b""


def next_check(now: dt.datetime, *, hours: float) -> dt.datetime:
    return now + dt.timedelta(hours=hours * (1 + random.uniform(0, JITTER)))


@transaction.atomic
def record_drift_result(
    source: SourceURL, verdict: Verdict, *, page: Page, extracted: Extracted, lease_until, now=None, actor=None
) -> bool:
    """Write a comparison's outcome on the source, and keep the page as a ``drift`` snapshot when it drifted.

    Returns False (and writes nothing) if the batch's lease on the source is gone. ``drift_detected_at``
    moves only when the source moves up (same → changed → corrected): that is what the digest lists.
    A drift snapshot is kept when the source moves up, or stays drifted with a text unlike the newest
    kept. ``actor`` is None for the periodic job; like link checks, drift checks write no history rows.
    """
    now = now or timezone.now()
    fields = {
        "drift": verdict.drift,
        "drift_score": verdict.score,
        "drift_notice": verdict.notice,
        "drift_checked_at": now,
        "next_drift_check_at": next_check(now, hours=24 * settings.DRIFT_CHECK_DAYS),
    }
    moved_up = RANK[verdict.drift] > RANK[source.drift]
    if moved_up:
        fields["drift_detected_at"] = now
    if SourceURL.objects.filter(pk=source.pk, next_drift_check_at=lease_until).update(**fields) != 1:
        return False
    if verdict.drift in (Drift.CHANGED, Drift.CORRECTED):
        newest = source.snapshots.order_by("-taken_at", "-pk").first()
        # The WARC is the evidence: kept when the state moved up even if the main text did not change
        # (extraction may have left out the notice box), else only when the text differs from the last kept.
        if moved_up or newest is None or newest.text_hash != extracted.text_hash:
            store_snapshot(source, page, extracted, reason=SourceSnapshot.Reason.DRIFT, now=now)
    return True


@transaction.atomic
def record_drift_unreadable(source: SourceURL, *, lease_until, now=None, retry_hours=None, actor=None) -> bool:
    """A drift check that could not compare: the drift state stays, the next try is after ``retry_hours``
    (DRIFT_RETRY_HOURS by default). Returns False if the batch's lease on the source is gone."""
    now = now or timezone.now()
    hours = settings.DRIFT_RETRY_HOURS if retry_hours is None else retry_hours
    row = SourceURL.objects.filter(pk=source.pk, next_drift_check_at=lease_until)
    return row.update(next_drift_check_at=next_check(now, hours=hours)) == 1
