"""uvicorn's HTTP protocol with ``TCP_NODELAY`` set on every connection.

The parser is httptools (C) where it is installed, as it is with the server's dependencies:
h11, in pure Python, cost a push about as much as parsing and validating its 50 mutations.

asyncio sets it on sockets it accepts itself, but uvicorn's worker processes serve a socket
inherited from the supervisor, and there the flag was found missing: every answer written in
two segments then waited for the client's delayed ACK (about 40 ms per request on loopback).
"""

from __future__ import annotations

import contextlib
import socket

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Protocol
except ImportError:  # pragma: no cover - httptools is a dependency of the server extra
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Protocol


class NoDelayProtocol(_Protocol):
    def connection_made(self, transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):  # not every transport is a TCP socket
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
