"""A CMS on 127.0.0.1 for feed tests: serves whatever a test puts in ``documents``, and WordPress pages.

aiohttp.web on its own event loop in a background thread (tests/local_server.py). A document
with an ETag answers 304 to a request that sends it back in If-None-Match; every request is recorded
with its query and headers so tests can see the conditional GET and the WordPress paging.
"""

import json
import math
from dataclasses import dataclass, field

from aiohttp import web

from tests.local_server import LocalServer


@dataclass
class Document:
    body: str
    content_type: str = "application/rss+xml"
    etag: str = ""
    status: int = 200
    location: str = ""  # with a 3xx status: where it sends the client


@dataclass
class Seen:
    path: str
    query: dict
    headers: dict


@dataclass
class FeedServer(LocalServer):
    documents: dict = field(default_factory=dict)  # path → Document
    wordpress_posts: list = field(default_factory=list)  # every published post, as the API would list it
    wordpress_per_page_limit: int = 100
    seen: list = field(default_factory=list)

    def requests_for(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def reset(self) -> None:
        self.documents.clear()
        self.wordpress_posts.clear()
        self.seen.clear()

    async def _document(self, request: web.Request) -> web.Response:
        document = self.documents.get(request.path)
        if document is None:
            return web.Response(status=404, text="no such feed")
        if document.etag and request.headers.get("If-None-Match") == document.etag:
            return web.Response(status=304, headers={"ETag": document.etag})
        headers = {"ETag": document.etag} if document.etag else {}
        if document.location:
            headers["Location"] = document.location
        return web.Response(
            text=document.body, status=document.status, content_type=document.content_type, headers=headers
        )

    async def _wordpress(self, request: web.Request) -> web.Response:
        """/wp-json/wp/v2/posts as WordPress answers it: modified_after, orderby=modified, page and per_page."""
        per_page = min(int(request.query.get("per_page", 10)), self.wordpress_per_page_limit)
        page = int(request.query.get("page", 1))
        after = request.query.get("modified_after", "")
        posts = sorted((p for p in self.wordpress_posts if p["modified"] > after), key=lambda p: p["modified"])
        total_pages = max(math.ceil(len(posts) / per_page), 1)
        if page > total_pages:
            return web.json_response({"code": "rest_post_invalid_page_number"}, status=400)
        chunk = posts[(page - 1) * per_page : page * per_page]
        headers = {"X-WP-Total": str(len(posts)), "X-WP-TotalPages": str(total_pages)}
        return web.Response(text=json.dumps(chunk), content_type="application/json", headers=headers)

    def build_app(self) -> web.Application:
        @web.middleware
        async def record(request, handler):
            self.seen.append(Seen(request.path, dict(request.query), dict(request.headers)))
            return await handler(request)

        app = web.Application(middlewares=[record])
        app.router.add_get("/wp-json/wp/v2/posts", self._wordpress)
        app.router.add_get("/{path:.*}", self._document)
        return app
