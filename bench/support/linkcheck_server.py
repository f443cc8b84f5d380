"""The benchmark's loopback web server: H hosts (127.0.0.1 … 127.0.0.H), each answering after L ms.

    python bench/support/linkcheck_server.py --hosts 50 --latency-ms 50 --port 18080

A bare asyncio protocol rather than a framework, so the server is not what
the benchmark measures. Paths: /ok/N (an HTML page), /moved/N (301 to /ok/N),
/missing/N (404) and /slow/N (an HTML page after 2 L, or --slow-factor L), where N
is a number; anything else is a 404, as on a site that reports missing pages.
"""

import argparse
import asyncio

PAGE = b"<!doctype html><html><head><title>Story</title></head><body>" + b"<p>text</p>" * 200 + b"</body></html>"


def response(status: bytes, headers: list[bytes], body: bytes, head: bool) -> bytes:
    lines = [b"HTTP/1.1 " + status, b"Content-Length: " + str(len(body)).encode(), *headers]
    return b"\r\n".join(lines) + b"\r\n\r\n" + (b"" if head else body)


class Handler(asyncio.Protocol):
    latency = 0.05
    slow_factor = 2

    def connection_made(self, transport):
        self.transport, self.buffer = transport, b""
        self.loop = asyncio.get_running_loop()

    def data_received(self, data):
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            method, path, _version = head.split(b"\r\n", 1)[0].split(b" ", 2)
            kind, _, number = path.strip(b"/").partition(b"/")
            delay = self.latency * (self.slow_factor if kind == b"slow" else 1)
            self.loop.call_later(delay, self.answer, method == b"HEAD", kind, number)

    def answer(self, head, kind, number):
        if self.transport.is_closing():
            return
        html = b"Content-Type: text/html; charset=utf-8"
        if not number.isdigit():
            data = response(b"404 Not Found", [html], b"<title>Not found</title>", head)
        elif kind in (b"ok", b"slow"):
            data = response(b"200 OK", [html], PAGE, head)
        elif kind == b"moved":
            data = response(b"301 Moved Permanently", [b"Location: /ok/" + number], b"", head)
        else:
            data = response(b"404 Not Found", [html], b"<title>Not found</title>", head)
        self.transport.write(data)


async def serve(hosts: int, port: int) -> None:
    loop = asyncio.get_running_loop()
    servers = [await loop.create_server(Handler, f"127.0.0.{h}", port, backlog=4096) for h in range(1, hosts + 1)]
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--slow-factor", type=float, default=2, help="/slow/ answers after this many L")
    args = parser.parse_args()
    Handler.latency = args.latency_ms / 1000
    Handler.slow_factor = args.slow_factor
    asyncio.run(serve(args.hosts, args.port))
