"""A news site on 127.0.0.1 for snapshot tests: an article, a PDF, an endless page, a 404, an image, a redirect.

aiohttp.web on its own event loop in a background thread (as tests/linkcheck/server.py).
``pages`` maps a path to (status, content type, body) and can be changed by a test;
the endless page counts the bytes it managed to send, so a test can see the
snapshot stopped reading.
"""

from dataclasses import dataclass, field

from aiohttp import web

from tests.local_server import LocalServer

ARTICLE_BODY = (
    "The harbour authority confirmed on Tuesday that the cranes dismantled in 2019 will return next spring. "
    "Engineers from the port said the new cranes can lift twice the weight of the old ones. "
    "Dock workers welcomed the decision after years of uncertainty about the future of the quay."
)

ARTICLE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cranes return to the harbour | Harbour Gazette</title></head>
<body>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article>
<h1>Cranes return to the harbour</h1>
<p class="byline">By Mira Haddad</p>
<p>{ARTICLE_BODY}</p>
<p>The first crane is expected in March, and the quay will reopen to container ships by the summer,
the authority said in a statement that also thanked residents for their patience during the works.</p>
<p>Local traders hope the return of container traffic will bring back the jobs lost when the old cranes went.</p>
</article></main>
<aside class="most-read"><h2>Most read</h2><ol><li><a href="/a">Storm closes the bridge</a></li>
<li><a href="/b">Council votes on parking fees</a></li></ol></aside>
<footer><p>© 2026 Harbour Gazette. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


def minimal_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page PDF whose text pypdf can read back, written by hand (no PDF writer needed in tests)."""
    text = " ".join(f"({line}) Tj T*" for line in lines)
    stream = f"BT /F1 12 Tf 14 TL 72 720 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({title}) >>".encode(),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF = minimal_pdf("Harbour report 2026", ["Annual report of the harbour authority.", "Cargo volumes rose by a third."])


@dataclass
class SnapshotSite(LocalServer):
    pages: dict = field(default_factory=dict)  # path -> (status, content type, body bytes)
    endless_bytes_sent: int = 0
    requests: list = field(default_factory=list)

    def reset(self) -> None:
        self.pages = {
            "/article": (200, "text/html; charset=utf-8", ARTICLE.encode()),
            "/report.pdf": (200, "application/pdf", PDF),
            "/missing": (404, "text/html", b"<html><title>Not found</title></html>"),
            "/logo.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 2000),
        }
        self.endless_bytes_sent = 0
        self.requests.clear()

    async def _page(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path)
        if request.path == "/moved":
            raise web.HTTPMovedPermanently("/article")
        if request.path == "/endless":
            return await self._endless(request)
        if request.path not in self.pages:
            return web.Response(status=404, text="no such page")
        status, content_type, body = self.pages[request.path]
        return web.Response(status=status, body=body, headers={"Content-Type": content_type})

    async def _endless(self, request: web.Request) -> web.StreamResponse:
        """An HTML page that never ends: the snapshot must stop at SNAPSHOTS_MAX_BYTES."""
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        chunk = b"<p>" + b"more news " * 400 + b"</p>\n"
        await response.write(b"<html><head><title>Endless</title></head><body>")
        try:
            for _ in range(100_000):  # ~400 MB if nobody stops reading
                await response.write(chunk)
                self.endless_bytes_sent += len(chunk)
        except (ConnectionError, RuntimeError):
            pass  # the client hung up, as it should
        return response

    def start(self) -> None:
        self.reset()
        super().start()

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._page)
        return app
