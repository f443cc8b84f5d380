"""An estimate, not a client: the CPU a bare asyncio HTTP/1.1 client spends on the bench mix, against aiohttp's.

    .venv/bin/python bench/support/bare_http_estimate.py --port 18080   # with bench/support/linkcheck_server.py

Both walk the same 10,000 URLs as the checker (one queue per host, C workers per host, a 301 followed
once, bodies read whole) with nothing else: no guard, no verdicts, no timeouts. The bare one keeps one
connection per worker and parses only what the bench server sends (Content-Length bodies), so it is a
lower bound on what a purpose-built client for link checks could cost, to weigh against aiohttp's
per-request overhead (bench/README.md, "Side by side with lychee").
"""

import argparse
import asyncio
import resource
import sys
import time
from collections import defaultdict, deque
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from linkcheck import bench_urls  # bench/linkcheck.py


class _Connection(asyncio.Protocol):
    def __init__(self):
        self.buffer, self.waiter, self.head, self.need = bytearray(), None, None, None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        if self.need is None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = bytes(self.buffer[:end]).split(b"\r\n")
            del self.buffer[: end + 4]
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(b":") for line in lines[1:])}
            self.head = (int(lines[0].split(b" ", 2)[1]), headers)
            self.need = int(headers.get(b"content-length", b"0"))
        if len(self.buffer) >= self.need:
            del self.buffer[: self.need]
            self.need = None
            self.waiter.set_result(self.head)

    def get(self, host: bytes, path: bytes) -> asyncio.Future:
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(b"GET " + path + b" HTTP/1.1\r\nHost: " + host + b"\r\nUser-Agent: estimate\r\n\r\n")
        return self.waiter


async def bare(urls: list[str], concurrency: int) -> None:
    queues = defaultdict(deque)
    for url in urls:
        queues[urlsplit(url).netloc].append(url)
    loop = asyncio.get_running_loop()

    async def work(netloc: str, queue: deque) -> None:
        host, port = netloc.split(":")
        _transport, connection = await loop.create_connection(_Connection, host, int(port))
        while queue:
            status, headers = await connection.get(netloc.encode(), urlsplit(queue.popleft()).path.encode())
            if status == 301:
                await connection.get(netloc.encode(), headers[b"location"])
        connection.transport.close()

    await asyncio.gather(*(work(n, q) for n, q in queues.items() for _ in range(min(concurrency, len(q)))))


async def with_aiohttp(urls: list[str], concurrency: int) -> None:
    import aiohttp

    queues = defaultdict(deque)
    for url in urls:
        queues[urlsplit(url).netloc].append(url)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as session:

        async def work(queue: deque) -> None:
            while queue:
                async with session.get(queue.popleft(), allow_redirects=False) as response:
                    await response.read()
                    if response.status == 301:
                        async with session.get(
                            response.url.join(aiohttp.client.URL(response.headers["Location"]))
                        ) as r:
                            await r.read()

        await asyncio.gather(*(work(q) for q in queues.values() for _ in range(min(concurrency, len(q)))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--urls", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--port", type=int, default=18080)
    args = parser.parse_args()
    urls = bench_urls(args.urls, args.hosts, args.port)
    for label, client in (("bare asyncio protocol", bare), ("aiohttp session", with_aiohttp)):
        before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        asyncio.run(client(urls, args.concurrency))
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        load = Path("/proc/loadavg").read_text().split()[0]
        print(f"{label:<22} {time.perf_counter() - started:6.2f} s wall  {cpu:5.2f} s CPU  (load {load})", flush=True)


if __name__ == "__main__":
    main()
