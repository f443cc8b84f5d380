"""A real HTTP server on 127.0.0.1 that plays every behaviour the link checker must judge.

It runs aiohttp.web on its own event loop in a background thread, records
every request (method, path, User-Agent) for assertions, and serves HTTPS with
a self-signed certificate on a second port for the bad-TLS case.

A third port plays a different site: one that serves its "Page not found"
page with a 200 for any address it does not have, as many news sites do.
"""

import asyncio
import socket
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

PAGE = "<!doctype html><html><head><title>{title}</title></head><body><p>{title}</p></body></html>"


def html(title: str, status: int = 200, **headers) -> web.Response:
    return web.Response(text=PAGE.format(title=title), status=status, content_type="text/html", headers=headers)


async def _drip(request: web.Request, *, delay: float, chunk: bytes, title: bool) -> web.StreamResponse:
    if request.method == "HEAD":
        return web.Response(content_type="text/html")
    response = web.StreamResponse(headers={"Content-Type": "text/html"})
    await response.prepare(request)
    if title:
        await response.write(b"<html><head>")
    try:
        for _ in range(100_000):
            await response.write(chunk)
            await asyncio.sleep(delay)
    except (ConnectionError, RuntimeError):
        pass  # the checker hung up, as it should
    return response


async def _drip_after(request: web.Request, status: int, start: bytes) -> web.StreamResponse:
    """An answer whose status and first bytes come at once, and whose rest trickles without end."""
    response = web.StreamResponse(status=status, headers={"Content-Type": "text/html"})
    await response.prepare(request)
    if request.method == "HEAD":
        return response
    await response.write(start)
    try:
        for _ in range(100_000):
            await asyncio.sleep(0.2)
            await response.write(b" ")
    except (ConnectionError, RuntimeError):
        pass  # the checker hung up, as it should
    return response


def build_routes(server: "LinkServer") -> web.RouteTableDef:
    routes = web.RouteTableDef()

    @routes.route("*", "/")
    async def home(request):
        return html("Harbour Gazette front page")

    @routes.route("*", "/story")
    async def story(request):
        return html("Cranes return to the harbour")

    @routes.route("*", "/data.csv")
    async def data(request):
        return web.Response(text="a,b\n1,2\n", content_type="text/csv")

    @routes.route("*", "/moved-301")
    async def moved_301(request):
        raise web.HTTPMovedPermanently("/story")

    @routes.route("*", "/moved-308")
    async def moved_308(request):
        raise web.HTTPPermanentRedirect("/story")

    @routes.route("*", "/moved-lowercase")
    async def moved_lowercase(request):
        return web.Response(status=301, headers={"location": "/story"})

    @routes.route("*", "/bad-location")
    async def bad_location(request):
        return web.Response(status=302, headers={"Location": "http://[not-an-address/"})

    @routes.route("*", "/temp-1")
    async def temp_1(request):
        raise web.HTTPFound("/temp-2")

    @routes.route("*", "/temp-2")
    async def temp_2(request):
        raise web.HTTPFound("/story")

    @routes.route("*", "/loop-a")
    async def loop_a(request):
        raise web.HTTPFound("/loop-b")

    @routes.route("*", "/loop-b")
    async def loop_b(request):
        raise web.HTTPFound("/loop-a")

    @routes.route("*", "/missing")
    async def missing(request):
        return html("Not here", status=404)

    @routes.route("*", "/gone")
    async def gone(request):
        return html("Gone", status=410)

    @routes.route("*", "/broken")
    async def broken(request):
        return html("Internal error", status=500)

    @routes.route("*", "/busy")
    async def busy(request):
        return html("Down for maintenance", status=503, **{"Retry-After": str(server.retry_after)})

    @routes.route("*", "/too-many")
    async def too_many(request):
        return html("Slow down", status=429, **{"Retry-After": str(server.retry_after)})

    @routes.route("*", "/no-head")
    async def no_head(request):
        if request.method == "HEAD":
            return web.Response(status=405)
        return html("Story that refuses HEAD")

    @routes.route("*", "/head-404")
    async def head_404(request):
        if request.method == "HEAD":
            return web.Response(status=404)
        return html("Story whose server mishandles HEAD")

    @routes.route("*", "/cloudflare")
    async def cloudflare(request):
        return html("Just a moment...", status=403, **{"cf-mitigated": "challenge", "Server": "cloudflare"})

    @routes.route("*", "/linkedin")
    async def linkedin(request):
        return web.Response(status=999, text="")

    @routes.route("*", "/browsers-only")
    async def browsers_only(request):
        if "Mozilla" in request.headers.get("User-Agent", "") and "text/html" in request.headers.get("Accept", ""):
            return html("Members' story")
        return html("Forbidden", status=403)

    @routes.route("*", "/always-403")
    async def always_403(request):
        return html("Forbidden", status=403)

    @routes.route("*", "/news/2019/old-story")
    async def old_story(request):
        raise web.HTTPMovedPermanently("/")

    @routes.route("*", "/soft-title")
    async def soft_title(request):
        return html("Page not found | Harbour Gazette")

    @routes.route("*", "/slow-drip")
    async def slow_drip(request):
        return await _drip(request, delay=0.2, chunk=b" ", title=True)

    @routes.route("*", "/endless")
    async def endless(request):
        return await _drip(request, delay=0, chunk=b"<p>" + b"x" * 16_000 + b"</p>", title=False)

    @routes.route("*", "/long-story")
    async def long_story(request):
        # A 4 MB page whose title comes first: the checker needs its first bytes only.
        body = PAGE.format(title="A very long read").replace("</body>", "<p>" + "x" * 4_000_000 + "</p></body>")
        return web.Response(text=body, content_type="text/html")

    @routes.route("*", "/title-then-drip")
    async def title_then_drip(request):
        return await _drip_after(request, 200, b"<html><head><title>Cranes return</title></head><body>")

    @routes.route("*", "/missing-then-drip")
    async def missing_then_drip(request):
        return await _drip_after(request, 404, b"<html><head><title>Not here</title></head><body>")

    @routes.route("*", "/huge-headers")
    async def huge_headers(request):
        return html("Cookie monster", **{"X-Padding": "x" * 20_000})

    @routes.route("*", "/slow-story")
    async def slow_story(request):
        await asyncio.sleep(server.slow_seconds)
        return html("A story that takes its time")

    @routes.route("*", "/to-private")
    async def to_private(request):
        raise web.HTTPFound(server.private_target)

    @routes.route("*", "/wayback/available")
    async def wayback(request):
        url = request.query.get("url", "")
        if url in server.archived:
            snapshot = {"available": True, "url": server.archived[url], "timestamp": "20240101000000", "status": "200"}
            return web.json_response({"url": url, "archived_snapshots": {"closest": snapshot}})
        return web.json_response({"url": url, "archived_snapshots": {}})

    @routes.route("*", "/wayback/endless")
    async def wayback_endless(request):
        # An availability API gone wrong: a JSON answer that starts well and never ends.
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        await response.write(b'{"archived_snapshots": {"closest": {"available": true, "url": "https://web.archive.org/')
        try:
            for _ in range(100_000):
                await response.write(b"x" * 16_000)
        except (ConnectionError, RuntimeError):
            pass  # the lookup hung up, as it should
        return response

    return routes


def build_soft_404_routes() -> web.RouteTableDef:
    routes = web.RouteTableDef()

    @routes.route("*", "/story")
    async def story(request):
        return html("Cranes return to the harbour")

    @routes.route("*", "/{anything:.*}")
    async def not_found_as_a_page(request):
        return html("Page not found | Harbour Gazette")

    return routes


@dataclass
class Request:
    method: str
    path: str
    user_agent: str
    site: str = "main"
    at: float = 0.0  # time.monotonic() when it arrived
    client_port: int = 0  # the checker's end of the connection: the same port means a reused connection


@dataclass
class LinkServer:
    host: str = "127.0.0.1"
    port: int = 0
    tls_port: int = 0
    soft_404_port: int = 0
    refused_port: int = 0
    retry_after: int = 120
    slow_seconds: float = 1.0
    private_target: str = "http://10.1.2.3/"
    archived: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)
    # Requests tagged ?tag=<name> are counted while being answered: the most at once, by tag. A tag keeps
    # the count clear of earlier tests' requests that are still being answered after their checker left.
    in_flight: dict = field(default_factory=dict)
    most_in_flight: dict = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def soft_404_url(self, path: str) -> str:
        """An address on the site that answers every unknown address with a 200 "Page not found"."""
        return f"http://{self.host}:{self.soft_404_port}{path}"

    def requests_for(self, path: str, site: str = "main") -> list[Request]:
        return [r for r in self.requests if r.path == path and r.site == site]

    def made_up_requests(self, site: str = "main") -> list[Request]:
        """The checker's probes: addresses it invented to see how the site answers a missing page."""
        return [r for r in self.requests if "/citewatch-" in r.path and r.site == site]

    def start(self, cert_dir: Path) -> None:
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(cert_dir, ready), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("test link server did not start")
        self.refused_port = _unused_port()

    def _run(self, cert_dir: Path, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)

        def recorder(site_name: str):
            @web.middleware
            async def record(request, handler):
                user_agent = request.headers.get("User-Agent", "")
                port = (request.transport.get_extra_info("peername") or ("", 0))[1]
                self.requests.append(
                    Request(request.method, request.path, user_agent, site_name, time.monotonic(), port)
                )
                tag = request.query.get("tag", "")
                self.in_flight[tag] = self.in_flight.get(tag, 0) + 1
                self.most_in_flight[tag] = max(self.most_in_flight.get(tag, 0), self.in_flight[tag])
                try:
                    return await handler(request)
                finally:
                    self.in_flight[tag] -= 1

            return record

        app = web.Application(middlewares=[recorder("main")])
        app.add_routes(build_routes(self))
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, self.host, 0)
        self._loop.run_until_complete(site.start())
        self.port = self._runner.addresses[0][1]
        tls = web.TCPSite(self._runner, self.host, 0, ssl_context=_self_signed(cert_dir))
        self._loop.run_until_complete(tls.start())
        self.tls_port = self._runner.addresses[1][1]
        soft_app = web.Application(middlewares=[recorder("soft-404")])
        soft_app.add_routes(build_soft_404_routes())
        self._soft_runner = web.AppRunner(soft_app, access_log=None)
        self._loop.run_until_complete(self._soft_runner.setup())
        self._loop.run_until_complete(web.TCPSite(self._soft_runner, self.host, 0).start())
        self.soft_404_port = self._soft_runner.addresses[0][1]
        ready.set()
        self._loop.run_forever()

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._soft_runner.cleanup(), self._loop).result(10)
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


def _unused_port() -> int:
    """A port nothing listens on: bound once to get a free number, then closed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _self_signed(cert_dir: Path) -> ssl.SSLContext:
    cert, key = cert_dir / "cert.pem", cert_dir / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context
