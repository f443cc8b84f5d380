"""Taking a snapshot against a real local site: the WARC, the text, the hash, the size bound."""

import datetime as dt
import gzip
import hashlib
import io

import pytest
from warcio.archiveiterator import ArchiveIterator

from attribution.snapshots import services
from attribution.snapshots.capture import FetchError, Page, fetch_page, write_warc
from attribution.snapshots.models import SnapshotAttempt
from attribution.snapshots.services import take_snapshot
from tests.snapshots.server import ARTICLE_BODY

pytestmark = pytest.mark.django_db


def warc_records(snapshot):
    with snapshot.warc.open("rb") as handle:
        return [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read()) for r in ArchiveIterator(handle)]


def test_an_html_page_is_kept_as_a_warc_with_its_main_text_and_hash(site, working_source):
    source = working_source("/article")

    snapshot = take_snapshot(source, reason="first")

    assert snapshot.reason == "first" and snapshot.http_status == 200
    assert snapshot.fetched_url == site.url("/article")
    assert snapshot.content_type == "text/html"
    assert snapshot.title.startswith("Cranes return to the harbour")
    assert ARTICLE_BODY.split(". ")[0] in snapshot.text
    # Boilerplate stays out of the main text.
    assert "cookies" not in snapshot.text and "Most read" not in snapshot.text and "All rights" not in snapshot.text
    assert snapshot.text_hash == hashlib.sha256(snapshot.text.encode()).hexdigest()
    assert snapshot.text_bytes == len(snapshot.text.encode())
    assert not snapshot.truncated and snapshot.body_bytes == len(site.pages["/article"][2])

    records = warc_records(snapshot)
    assert [kind for kind, *_ in records] == ["warcinfo", "request", "response"]
    _kind, headers, http_headers, payload = records[2]
    assert headers.get_header("WARC-Target-URI") == site.url("/article")
    assert http_headers.get_statuscode() == "200"
    assert payload == site.pages["/article"][2]
    assert snapshot.warc_bytes == snapshot.warc.size > 0
    assert snapshot.warc.name.endswith(".warc.gz")


def test_a_redirected_page_is_kept_under_the_address_that_answered(site, working_source):
    snapshot = take_snapshot(working_source("/moved"), reason="first")

    assert snapshot.fetched_url == site.url("/article")
    assert warc_records(snapshot)[2][1].get_header("WARC-Target-URI") == site.url("/article")


def test_a_pdf_is_kept_with_the_text_of_its_pages(site, working_source):
    snapshot = take_snapshot(working_source("/report.pdf"), reason="first")

    assert snapshot.content_type == "application/pdf"
    assert snapshot.title == "Harbour report 2026"
    assert "Cargo volumes rose by a third." in snapshot.text
    assert warc_records(snapshot)[2][3] == site.pages["/report.pdf"][2]


def test_an_oversized_page_keeps_a_bounded_prefix_and_says_it_was_truncated(site, working_source, settings):
    settings.SNAPSHOTS_MAX_BYTES = 64 * 1024

    snapshot = take_snapshot(working_source("/endless"), reason="first")

    assert snapshot.truncated and snapshot.body_bytes == 64 * 1024
    _kind, headers, _http, payload = warc_records(snapshot)[2]
    assert headers.get_header("WARC-Truncated") == "length"
    assert len(payload) == 64 * 1024 and payload.startswith(b"<html><head><title>Endless")
    assert snapshot.title == "Endless"
    # The server was cut off long before its ~400 MB: at most the bound plus what sat in socket buffers.
    assert site.endless_bytes_sent < 64 * 1024 * 100


@pytest.mark.parametrize("path", ["/missing", "/logo.png"])
def test_no_snapshot_for_an_error_or_a_file_that_is_not_a_document(site, working_source, path):
    source = working_source(path)

    assert take_snapshot(source, reason="first") is None
    assert source.snapshots.count() == 0


def test_a_private_address_is_refused_by_the_guard(site, settings):
    settings.LINKCHECK_ALLOW_PRIVATE_HOSTS = False

    with pytest.raises(FetchError, match="not a public address"):
        fetch_page(site.url("/article"))


def test_the_warc_file_is_gzipped_per_record(site, working_source):
    snapshot = take_snapshot(working_source("/article"), reason="first")

    with snapshot.warc.open("rb") as handle:
        assert gzip.decompress(handle.read()).startswith(b"WARC/1.1\r\n")


def test_a_header_that_is_not_utf8_costs_a_character_not_the_snapshot():
    # As aiohttp hands over a Latin-1 byte in a header: a lone surrogate.
    page = Page(
        url="https://harbour.example/a",
        final_url="https://harbour.example/a",
        status=200,
        reason="OK",
        content_type="text/html",
        headers=[("X-Author", b"Ren\xe9e".decode("utf-8", "surrogateescape")), ("X-City", "Montréal")],
        body=b"<html><title>t</title></html>",
    )

    with write_warc(page, taken_at=dt.datetime(2026, 11, 27, tzinfo=dt.UTC)) as warc:
        written = warc.read()
    raw = gzip.decompress(written)
    # warcio writes non-ASCII header text percent-encoded as UTF-8: the bad byte is U+FFFD, the good é is kept.
    assert b"X-Author: Ren%EF%BF%BDe\r\n" in raw
    assert b"X-City: Montr%C3%A9al\r\n" in raw
    payloads = [r.content_stream().read() for r in ArchiveIterator(io.BytesIO(written)) if r.rec_type == "response"]
    assert payloads == [page.body]


def test_an_unexpected_failure_still_counts_as_an_attempt(site, working_source, monkeypatch, settings):
    settings.SNAPSHOTS_MAX_ATTEMPTS = 1
    source = working_source("/article")

    def broken_storage(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services, "write_warc", broken_storage)

    with pytest.raises(OSError):
        services.take_first_snapshot(source.pk)
    attempt = SnapshotAttempt.objects.get(source_url=source)
    assert attempt.outcome == "error: OSError" and attempt.next_attempt_at is None  # given up after the last one
    assert not source.snapshots.exists()
