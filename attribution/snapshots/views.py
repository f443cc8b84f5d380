"""The staff views of a snapshot: its text, and its WARC as a download.

Reached only through SourceSnapshotAdmin's URLs (attribution/snapshots/admin.py),
which check staff login and the view permission first: snapshots are never public.
"""

from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from attribution.snapshots.models import SourceSnapshot


def snapshot_text(request, snapshot: SourceSnapshot, context: dict) -> TemplateResponse:
    """The extracted title and main text as an editor reads them, with where and when they were taken."""
    context = {**context, "snapshot": snapshot, "title": _("Snapshot text")}
    return TemplateResponse(request, "admin/attribution/sourcesnapshot/text.html", context)


def snapshot_warc(snapshot: SourceSnapshot) -> FileResponse:
    """The WARC file, streamed from storage in chunks (never read whole), always as a download."""
    if not snapshot.warc:
        raise Http404(_("This snapshot has no WARC file."))
    try:
        handle = snapshot.warc.open("rb")
    except FileNotFoundError:
        raise Http404(_("The WARC file is missing from storage.")) from None
    name = f"citewatch-snapshot-{snapshot.source_url_id}-{snapshot.taken_at:%Y%m%dT%H%M%SZ}.warc.gz"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/warc")
    # The page's own bytes are inside: never let a browser sniff or render them as ours.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
