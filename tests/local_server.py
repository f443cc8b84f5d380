"""An aiohttp app served on 127.0.0.1 from a thread of its own: the real server a test talks to.

Subclasses (the feed CMS, the snapshot site, the Save Page Now stand-in) say what they answer in
``build_app``; starting, the free port and stopping are here once.
"""

import asyncio
import threading
from dataclasses import dataclass

from aiohttp import web


@dataclass
class LocalServer:
    host: str = "127.0.0.1"
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def build_app(self) -> web.Application:
        raise NotImplementedError

    def start(self) -> None:
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"{type(self).__name__} did not start")

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._runner = web.AppRunner(self.build_app(), access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.TCPSite(self._runner, self.host, 0).start())
        self.port = self._runner.addresses[0][1]  # the free port the system gave
        ready.set()
        self._loop.run_forever()

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
