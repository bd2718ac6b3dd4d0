"""A simulated network link: a TCP proxy on loopback with latency, bandwidth, loss and cuts.

Shared by the tests (tests/desktop/sync/test_links.py) and the benchmarks (bench/bench_links.py)::

    with Link.to(server.base_url, PROFILES["3G"]) as link:
        SyncClient(link.url, token).pull(...)
        link.requests, link.bytes_up, link.bytes_down

Why a proxy and not ``tc netem`` in a network namespace: it needs no root, runs the same on a
developer's laptop and in CI, counts bytes and HTTP requests where they are sent, and can cut a
connection at an exact byte. What it models (and what it does not):

- **Latency**: every segment arrives ``rtt / 2`` after it leaves, each way. A new connection
  pays one round trip before its first byte leaves (the TCP handshake; no TLS is modelled).
- **Bandwidth**, each way, shared by every connection through the link (a phone's 3G, an
  office line shared by twenty laptops): segments of at most ``mss`` bytes, plus 40 bytes of
  TCP/IP headers each, leave one after another at the link's rate (one FIFO queue per way:
  a page in flight delays another connection's answer behind it, as a real bottleneck does).
- **Slow start**: a connection sends at most ``cwnd`` bytes per round trip, starting at ten
  segments and doubling each round trip (ACK-clocked: the next flight leaves when the first
  segment of the last one is acknowledged), and starts again after an idle longer than the
  retransmission timeout (Linux's ``tcp_slow_start_after_idle``). No congestion avoidance.
- **Loss**: TCP does not lose data, it delays it. Each segment is "lost" with probability
  ``loss`` and then arrives one retransmission timeout later (``rtt + 200 ms``: Linux's RTO,
  srtt plus its 200 ms floor on the variance term); being in order, everything behind it on
  that connection waits too (head-of-line blocking). The window is not halved after a loss,
  so a lossy link is modelled a little faster than it is.
- **Cuts**: :meth:`Link.cut_after` resets the connection that carries the N-th byte from now
  (that byte is not delivered), :meth:`Link.cut_now` resets every open connection.

It counts TCP payload bytes each way (headers of HTTP included, TCP/IP headers not),
connections, and HTTP/1.1 requests (method, path, body, bytes each way, times, and whether the
answer was delivered whole: :attr:`Link.requests`). Times are from the proxy's clock
(``time.monotonic``) when a request's first byte reached the proxy and its answer's last byte
was delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import random
import socket
import struct
import threading
import time
from dataclasses import dataclass, field, replace

MSS = 1460
HEADERS = 40  # TCP/IP headers of each segment: on the wire, not counted as payload
INITIAL_WINDOW = 10 * MSS


@dataclass(frozen=True)
class Profile:
    name: str
    rtt: float  # seconds, a round trip
    down_bps: float  # bits per second, server -> device
    up_bps: float  # device -> server
    loss: float = 0.0  # fraction of segments delayed by a retransmission

    @property
    def rto(self) -> float:
        return self.rtt + 0.2

    def scaled(self, **changes) -> Profile:
        return replace(self, **changes)


PROFILES = {
    "3G": Profile("3G", 0.300, 1_000_000, 384_000, 0.01),
    "2G": Profile("2G", 0.700, 100_000, 50_000, 0.02),
    # A commune office's line shared by its laptops: 10 Mbit/s each way for all of them.
    "office": Profile("office", 0.030, 10_000_000, 10_000_000, 0.0),
}


@dataclass
class Request:
    connection: int
    method: str
    path: str
    started: float
    up_bytes: int = 0  # request head and body as sent
    down_bytes: int = 0  # answer bytes delivered to the device
    body: bytes = b""  # the request body, gunzipped
    status: int | None = None
    answer_length: int | None = None  # head + body, when the answer says its length
    finished: float | None = None  # when its answer's last byte was delivered
    first_on_connection: bool = False  # it paid for the connection's handshake
    gzipped: bool = False

    @property
    def complete(self) -> bool:
        return self.answer_length is not None and self.down_bytes >= self.answer_length

    @property
    def seconds(self) -> float | None:
        return None if self.finished is None else self.finished - self.started


class _Way:
    """One direction of the link: its rate and the time its queue is free again."""

    def __init__(self, bps: float):
        self.bps = bps
        self.free_at = 0.0
        self.cut_after: int | None = None  # bytes still to deliver before a reset


@dataclass
class _Flow:
    """One direction of one connection: in-order delivery and its slow start."""

    last_arrival: float = 0.0
    last_sent: float = -1e9
    cwnd: int = INITIAL_WINDOW
    flight_bytes: int = 0
    flight_start: float = 0.0
    next_flight: float = 0.0  # when the first segment of the current flight is acknowledged
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)


class Link:
    def __init__(self, target: tuple[str, int], profile: Profile, *, seed: int = 0):
        self.target = target
        self.profile = profile
        self.rng = random.Random(seed)
        self.up = _Way(profile.up_bps)
        self.down = _Way(profile.down_bps)
        self.bytes_up = 0
        self.bytes_down = 0
        self.connections = 0
        self.requests: list[Request] = []
        self.retransmits = 0
        self.cuts = 0
        self._lock = threading.Lock()
        self._open: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.AbstractServer | None = None
        self.port = 0

    @classmethod
    def to(cls, base_url: str, profile: Profile | str, **kwargs) -> Link:
        host, port = base_url.removeprefix("http://").rstrip("/").rsplit(":", 1)
        if isinstance(profile, str):
            profile = PROFILES[profile]
        return cls((host, int(port)), profile, **kwargs)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- control --------------------------------------------------------------------------

    def start(self) -> Link:
        self._thread.start()
        self._server = self._call(
            asyncio.start_server(self._serve, "127.0.0.1", 0, reuse_address=True)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        if self._server is not None:
            server = self._server

            async def close_server() -> None:
                # asyncio is not thread-safe: the listening socket is closed on its own loop.
                server.close()

            with contextlib.suppress(Exception):
                self._call(close_server())
            self._close_all(polite=True)
            self._server = None

        async def finish() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        with contextlib.suppress(Exception):
            self._call(finish())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        with contextlib.suppress(RuntimeError):
            self._loop.close()

    def __enter__(self) -> Link:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=30)

    def reset_counters(self) -> None:
        with self._lock:
            self.bytes_up = self.bytes_down = self.connections = self.retransmits = 0
            self.requests = []

    def cut_after(self, *, down: int | None = None, up: int | None = None) -> None:
        """Reset the connection that carries the N-th byte from now, down or up (once)."""
        with self._lock:
            self.down.cut_after = down
            self.up.cut_after = up

    def cut_now(self) -> None:
        """Reset every open connection now."""
        self._close_all(polite=False)

    def close_all(self) -> None:
        """Close every connection politely: what a server's keep-alive timeout does."""
        self._close_all(polite=True)

    def _close_all(self, polite: bool) -> None:
        async def close() -> None:
            for pair in list(self._open):
                if polite:
                    self._open.discard(pair)
                    for w in pair:
                        w.close()
                else:
                    self._abort(pair)

        with contextlib.suppress(Exception):
            self._call(close())

    def set_profile(self, profile: Profile) -> None:
        self.profile = profile
        self.up.bps, self.down.bps = profile.up_bps, profile.down_bps

    def round_trips(self, requests: list[Request] | None = None) -> int:
        """Requests plus the handshakes of the connections they opened."""
        requests = self.requests if requests is None else requests
        return len(requests) + sum(r.first_on_connection for r in requests)

    # -- the proxy ------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        _nodelay(writer)
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        _nodelay(up_writer)
        with self._lock:
            self.connections += 1
            number = self.connections
        pair = (writer, up_writer)
        self._open.add(pair)
        up_flow, down_flow = _Flow(), _Flow()
        now = self._loop.time()
        # The handshake: the device's first byte leaves one round trip after connect().
        up_flow.flight_start = now + self.profile.rtt
        parser = _Requests(self, number)
        tasks = [
            asyncio.ensure_future(self._pump(reader, up_flow, self.up, parser.sent)),
            asyncio.ensure_future(self._deliver(up_flow, up_writer, self.up, pair, None)),
            asyncio.ensure_future(self._pump(up_reader, down_flow, self.down, None)),
            asyncio.ensure_future(self._deliver(down_flow, writer, self.down, pair, parser)),
        ]
        try:
            await asyncio.gather(*tasks)
        except Exception:
            pass
        finally:
            for task in tasks:
                task.cancel()
            self._open.discard(pair)
            for w in pair:
                with contextlib.suppress(Exception):
                    w.close()

    async def _pump(self, reader, flow: _Flow, way: _Way, observe) -> None:
        """Read what one side sends and schedule each segment's arrival on the other."""
        while True:
            data = await reader.read(65536)
            if not data:
                await flow.queue.put((self._loop.time(), None))
                return
            if observe is not None:
                observe(data, time.monotonic())
            for start in range(0, len(data), MSS):
                segment = data[start : start + MSS]
                await flow.queue.put((self._schedule(flow, way, len(segment)), segment))

    def _schedule(self, flow: _Flow, way: _Way, size: int) -> float:
        p = self.profile
        now = self._loop.time()
        if now - flow.last_sent > p.rto and now > flow.next_flight:
            flow.cwnd, flow.flight_bytes = INITIAL_WINDOW, 0  # slow start again after idle
        leave = max(now, flow.flight_start)
        if flow.flight_bytes + size > flow.cwnd:
            # The window is full: the next flight leaves when this one's first ACK returns.
            leave = max(leave, flow.next_flight)
            flow.flight_start, flow.flight_bytes = leave, 0
            flow.cwnd *= 2
        start = max(leave, way.free_at)
        way.free_at = start + (size + HEADERS) * 8 / way.bps
        arrive = way.free_at + p.rtt / 2
        if flow.flight_bytes == 0:
            flow.next_flight = arrive + p.rtt / 2
        flow.flight_bytes += size
        flow.last_sent = start
        if p.loss and self.rng.random() < p.loss:
            arrive += p.rto
            self.retransmits += 1
        arrive = max(arrive, flow.last_arrival)
        flow.last_arrival = arrive
        return arrive

    async def _deliver(self, flow: _Flow, writer, way: _Way, pair, parser) -> None:
        while True:
            at, segment = await flow.queue.get()
            delay = at - self._loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if segment is None:
                with contextlib.suppress(Exception):
                    writer.write_eof()
                return
            cut = False
            with self._lock:
                budget = way.cut_after
                if budget is not None:
                    if budget < len(segment):
                        way.cut_after, segment, cut = None, segment[:budget], True
                    else:
                        way.cut_after = budget - len(segment)
                if way is self.down:
                    self.bytes_down += len(segment)
                else:
                    self.bytes_up += len(segment)
            if segment:
                if parser is not None:  # counted before the device can read it
                    parser.delivered(segment, time.monotonic())
                writer.write(segment)
            await writer.drain()
            if cut:
                self._abort(pair)
                return

    def _abort(self, pair) -> None:
        """A reset, not a polite close: what a dying link looks like to both ends."""
        self.cuts += pair in self._open
        self._open.discard(pair)
        for w in pair:
            sock = w.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            w.transport.abort()


class _Requests:
    """HTTP/1.1 framing of one connection, enough to count requests and their answers."""

    def __init__(self, link: Link, connection: int):
        self.link = link
        self.connection = connection
        self.up = b""
        self.body_left = 0
        self.current: Request | None = None
        self.open: list[Request] = []  # sent, answer not delivered whole yet
        self.down = b""
        self.answering: Request | None = None
        self.first = True

    def sent(self, data: bytes, now: float) -> None:
        self.up += data
        while self.up:
            if self.body_left:
                take = self.up[: self.body_left]
                self.up = self.up[len(take) :]
                self.body_left -= len(take)
                assert self.current is not None
                self.current.up_bytes += len(take)
                self.current.body += take
                if not self.body_left:
                    self._finish_body(self.current)
                continue
            head_end = self.up.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head, self.up = self.up[: head_end + 4], self.up[head_end + 4 :]
            lines = head.decode("latin-1").split("\r\n")
            try:
                method, target, _ = lines[0].split(" ", 2)
            except ValueError:
                return
            request = Request(self.connection, method, target.split("?")[0], now, len(head))
            request.first_on_connection = self.first
            self.first = False
            length = _header(lines, "content-length")
            request.gzipped = (_header(lines, "content-encoding") or "").lower() == "gzip"
            self.body_left = int(length) if length and length.isdigit() else 0
            self.current = request
            with self.link._lock:
                self.link.requests.append(request)
            self.open.append(request)
            if not self.body_left:
                self._finish_body(request)

    @staticmethod
    def _finish_body(request: Request) -> None:
        if request.gzipped:
            with contextlib.suppress(Exception):
                request.body = gzip.decompress(request.body)

    def delivered(self, data: bytes, now: float) -> None:
        while data:
            if self.answering is None:
                if not self.open:
                    return
                self.answering = self.open[0]
                self.down = b""
            request = self.answering
            if request.answer_length is None:
                self.down += data
                request.down_bytes += len(data)
                data = b""
                head_end = self.down.find(b"\r\n\r\n")
                if head_end < 0:
                    return
                lines = self.down[:head_end].decode("latin-1").split("\r\n")
                with contextlib.suppress(ValueError, IndexError):
                    request.status = int(lines[0].split(" ")[1])
                length = _header(lines, "content-length")
                body = int(length) if length and length.isdigit() else 0
                request.answer_length = head_end + 4 + body
                extra = request.down_bytes - request.answer_length
                if extra > 0:  # the start of the next answer came in the same segment
                    request.down_bytes -= extra
                    data = self.down[len(self.down) - extra :]
            else:
                want = request.answer_length - request.down_bytes
                take = data[:want]
                request.down_bytes += len(take)
                data = data[len(take) :]
            if request.complete:
                request.finished = now
                self.open.pop(0)
                self.answering = None


def _header(lines: list[str], name: str) -> str | None:
    for line in lines[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == name:
            return value.strip()
    return None


def _nodelay(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
