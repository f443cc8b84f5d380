"""A fetched page (``Page``) and its WARC file: warcinfo, request and response records, gzipped per record.

Free of Django and of the network, so the benchmark can write WARCs exactly as snapshots do.
"""

import io
import tempfile
from dataclasses import dataclass, field

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter
from yarl import URL

from attribution.snapshots.extract import document_kind

# Headers that describe the bytes on the wire, not the payload we keep: aiohttp has already
# undone the content and transfer encodings, so keeping them would make the WARC lie about its body.
WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass(frozen=True)
class Page:
    """One response as the snapshot keeps it. ``body`` is at most SNAPSHOTS_MAX_BYTES long."""

    url: str  # as asked for
    final_url: str  # the address that answered, after redirects
    status: int
    reason: str
    content_type: str  # media type only, lower case ("text/html"), "" when the server sent none
    headers: list[tuple[str, str]]  # the response headers, in order
    body: bytes
    truncated: bool = False
    request_headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """ "html", "pdf", or "" for anything a snapshot does not keep."""
        return document_kind(self.content_type, self.body[:1024])


def write_warc(page: Page, *, taken_at) -> tempfile.SpooledTemporaryFile:
    """The page as a gzipped WARC file (warcinfo, request, response records), rewound, for storage.save().

    A truncated body is marked with ``WARC-Truncated: length`` as the WARC 1.1 standard says.
    """
    out = tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024)
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    date = taken_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    info = writer.create_warcinfo_record("citewatch-snapshot.warc.gz", {"software": "Citewatch", "format": "WARC 1.1"})
    writer.write_record(info)
    request = writer.create_warc_record(
        page.final_url,
        "request",
        payload=io.BytesIO(b""),
        warc_headers_dict={"WARC-Date": date},
        http_headers=StatusAndHeaders(_request_line(page.final_url), _text(page.request_headers), is_http_request=True),
    )
    writer.write_record(request)
    headers = [(k, v) for k, v in _text(page.headers) if k.lower() not in WIRE_HEADERS]
    headers.append(("Content-Length", str(len(page.body))))
    warc_headers = {"WARC-Date": date, "WARC-Concurrent-To": request.rec_headers.get_header("WARC-Record-ID")}
    if page.truncated:
        warc_headers["WARC-Truncated"] = "length"
    response = writer.create_warc_record(
        page.final_url,
        "response",
        payload=io.BytesIO(page.body),
        length=len(page.body),
        warc_headers_dict=warc_headers,
        http_headers=StatusAndHeaders(
            _text_value(f"{page.status} {page.reason}".strip()), headers, protocol="HTTP/1.1"
        ),
    )
    writer.write_record(response)
    out.seek(0)
    return out


def _request_line(url: str) -> str:
    parsed = URL(url)
    return f"GET {parsed.raw_path_qs or '/'} HTTP/1.1"


def _text(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(_text_value(name), _text_value(value)) for name, value in headers]


def _text_value(value: str) -> str:
    # aiohttp hands undecodable header bytes over as lone surrogates, which warcio cannot encode: each
    # becomes U+FFFD, so a server's broken header costs one character, not the snapshot.
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
