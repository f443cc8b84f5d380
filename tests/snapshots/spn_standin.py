"""A Save Page Now (SPN2) stand-in on 127.0.0.1: POST /save, GET /save/status/<job_id>, as web.archive.org answers.

Each saved address can be given a script: what the next POSTs answer (``"ok"``, ``429``, ``503``,
``"error:<code>"``), how many status polls stay pending, and an error the job ends in.
Every request is recorded (method, path, Authorization, the form's url) for assertions.
"""

import itertools
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from tests.local_server import LocalServer

TIMESTAMP = "20261127091500"


@dataclass
class Call:
    method: str
    path: str
    authorization: str
    url: str = ""


@dataclass
class SavePageNowStandIn(LocalServer):
    calls: list = field(default_factory=list)
    post_answers: dict = field(default_factory=dict)  # url → list of answers for the next POSTs
    pending_polls: dict = field(default_factory=dict)  # url → polls answered "pending" before success
    job_errors: dict = field(default_factory=dict)  # url → status_ext the job ends in
    jobs: dict = field(default_factory=dict)  # job_id → url
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def reset(self) -> None:
        for table in (self.calls, self.post_answers, self.pending_polls, self.job_errors, self.jobs):
            table.clear()

    def saves(self) -> list[str]:
        return [call.url for call in self.calls if call.method == "POST"]

    async def save(self, request: web.Request) -> web.Response:
        form = await request.post()
        url = form.get("url", "")
        self.calls.append(Call("POST", request.path, request.headers.get("Authorization", ""), url))
        script = self.post_answers.get(url) or ["ok"]
        answer = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(answer, int):
            return web.Response(status=answer, text="<html>Too busy</html>", content_type="text/html")
        if answer.startswith("error:"):
            return web.json_response({"status": "error", "status_ext": answer, "message": "Cannot save."})
        job_id = f"spn2-{next(self._ids):04d}"
        self.jobs[job_id] = url
        return web.json_response({"url": url, "job_id": job_id})

    async def status(self, request: web.Request) -> web.Response:
        job_id = request.match_info["job_id"]
        self.calls.append(Call("GET", request.path, request.headers.get("Authorization", "")))
        url = self.jobs.get(job_id)
        if url is None:
            return web.json_response({"status": "error", "status_ext": "error:not-found"}, status=404)
        if self.pending_polls.get(url, 0) > 0:
            self.pending_polls[url] -= 1
            return web.json_response({"status": "pending", "job_id": job_id, "resources": []})
        if url in self.job_errors:
            return web.json_response({"status": "error", "status_ext": self.job_errors[url], "job_id": job_id})
        return web.json_response(
            {"status": "success", "job_id": job_id, "original_url": url, "timestamp": TIMESTAMP, "duration_sec": 6.1}
        )

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/save", self.save)
        app.router.add_get("/save/status/{job_id}", self.status)
        return app


@pytest.fixture(scope="session", name="spn_server")
def spn_server_fixture():
    server = SavePageNowStandIn()
    server.start()
    yield server
    server.stop()


@pytest.fixture(name="spn")
def spn_fixture(spn_server, settings):
    """The stand-in with a clean slate, and settings that switch Save Page Now on and point it there."""
    spn_server.reset()
    settings.SNAPSHOTS_SAVE_PAGE_NOW_ENABLED = True
    settings.SNAPSHOTS_SAVE_PAGE_NOW_URL = spn_server.url("/save")
    settings.SNAPSHOTS_SAVE_PAGE_NOW_ACCESS_KEY = "newsroom-key"
    settings.SNAPSHOTS_SAVE_PAGE_NOW_SECRET_KEY = "newsroom-secret"
    settings.SNAPSHOTS_SAVE_PAGE_NOW_PER_MINUTE = 10
    settings.SNAPSHOTS_SAVE_PAGE_NOW_TIMEOUT = 5.0
    # The stand-in is on 127.0.0.1, which the guard otherwise refuses (one test turns this off again).
    settings.LINKCHECK_ALLOW_PRIVATE_HOSTS = True
    return spn_server
