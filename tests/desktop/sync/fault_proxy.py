"""A fault-injecting HTTP proxy on loopback, between a device and the real server.

Threads and plain sockets. Each request is read whole (headers and ``Content-Length`` body) and
forwarded with ``Connection: close``, so the server's answer ends when it closes its side and
every request is on a connection of its own. Faults are armed per path::

    proxy.arm("drop_answer", "/sync/push")             # the next push
    proxy.arm("cut_answer", "/sync/pull", skip=1)       # the second pull from now

Modes:

- ``drop_request``: close the connection before the request reaches the server;
- ``drop_answer``: forward, let the server answer (it has committed), close without answering;
- ``cut_answer``: forward, send the status line, the headers and half the body, then close;
- ``stall``: read the request and answer nothing until the client gives up;
- ``503``: answer 503 with ``Retry-After`` and a JSON error body itself.

``proxy.log`` lists ``(path, mode)`` for every request seen (``"pass"`` when not faulted).

``proxy.intercept(path, body)`` may answer a request itself (return the raw HTTP answer), and
``proxy.rewrite(path, answer)`` may change the server's raw answer: an older server is
emulated that way (tests/desktop/sync/test_links.py).
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass

MODES = ("drop_request", "drop_answer", "cut_answer", "stall", "503")


@dataclass
class Fault:
    mode: str
    path: str
    skip: int = 0
    times: int = 1


class FaultProxy:
    def __init__(self, target_host: str, target_port: int, retry_after: int = 1):
        self.target = (target_host, target_port)
        self.retry_after = retry_after
        self.faults: list[Fault] = []
        self.log: list[tuple[str, str]] = []
        self.bodies: list[tuple[str, str, bytes]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self.intercept: Callable[[str, bytes], bytes | None] | None = None
        self.rewrite: Callable[[str, bytes], bytes] | None = None

    @classmethod
    def to(cls, base_url: str, **kwargs) -> FaultProxy:
        host, port = base_url.removeprefix("http://").rstrip("/").split(":")
        return cls(host, int(port), **kwargs)

    # -- control --------------------------------------------------------------------------

    def arm(self, mode: str, path: str, *, skip: int = 0, times: int = 1) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        with self._lock:
            self.faults.append(Fault(mode, path, skip, times))

    def armed(self) -> int:
        with self._lock:
            return sum(f.times for f in self.faults)

    def faulted(self) -> list[tuple[str, str]]:
        return [entry for entry in self.log if entry[1] != "pass"]

    def _choose(self, path: str) -> str:
        with self._lock:
            for fault in self.faults:
                if path.endswith(fault.path):
                    if fault.skip:
                        fault.skip -= 1
                        continue
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                    self.log.append((path, fault.mode))
                    return fault.mode
            self.log.append((path, "pass"))
            return "pass"

    def start(self) -> FaultProxy:
        self._accepter.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._accepter.join(timeout=5)
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- the work -------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            client.settimeout(30)
            try:
                request = _read_request(client)
            except (OSError, ValueError):
                return
            if request is None:
                return
            head, body, path = request
            mode = self._choose(path)
            with self._lock:
                self.bodies.append((path, mode, body))
            if mode == "drop_request":
                _abort(client)
                return
            if mode == "stall":
                # Hold the connection until the client hangs up (its timeout) or we stop.
                client.settimeout(0.2)
                while not self._stop.is_set():
                    try:
                        if not client.recv(65536):
                            return
                    except TimeoutError:
                        continue
                    except OSError:
                        return
                return
            if mode == "503":
                payload = json.dumps(
                    {"error": "unavailable", "message": "injected by the test proxy"}
                ).encode()
                client.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\n"
                    b"Content-Type: application/json; charset=utf-8\r\n"
                    + f"Retry-After: {self.retry_after}\r\n".encode()
                    + f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
                    + payload
                )
                return
            own = self.intercept(path, body) if self.intercept is not None else None
            if own is not None:
                with contextlib.suppress(OSError):
                    client.sendall(own)
                return
            try:
                answer = self._forward(head, body)
            except OSError:
                _abort(client)
                return
            if self.rewrite is not None:
                answer = self.rewrite(path, answer)
            if mode == "drop_answer":
                _abort(client)
                return
            if mode == "cut_answer":
                split = answer.find(b"\r\n\r\n") + 4
                cut = split + max(1, (len(answer) - split) // 2)
                with contextlib.suppress(OSError):
                    client.sendall(answer[:cut])
                return  # a plain close: the client reads half a body, then the end
            with contextlib.suppress(OSError):
                client.sendall(answer)

    def _forward(self, head: bytes, body: bytes) -> bytes:
        with socket.create_connection(self.target, timeout=60) as upstream:
            upstream.sendall(head + body)
            chunks = []
            while True:
                chunk = upstream.recv(262144)
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks)


def _read_request(sock: socket.socket) -> tuple[bytes, bytes, str] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    raw_head, _, rest = data.partition(b"\r\n\r\n")
    lines = raw_head.split(b"\r\n")
    method, target, version = lines[0].split(b" ", 2)
    headers = []
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        key = name.strip().lower()
        if key == b"content-length":
            length = int(value.strip())
        if key in (b"connection", b"keep-alive"):
            continue
        headers.append(line)
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ValueError("request body cut short")
        rest += chunk
    head = b"\r\n".join([lines[0], *headers, b"Connection: close"]) + b"\r\n\r\n"
    path = target.decode("latin-1").split("?")[0]
    return head, rest[:length], path


def _abort(sock: socket.socket) -> None:
    """Close at once (a reset rather than a polite end: what a dying link looks like)."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
