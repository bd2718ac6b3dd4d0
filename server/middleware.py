"""Request bodies: the size limit (413) and gzip-encoded bodies, as pure ASGI middleware.

The body is read here in full (at most ``max_bytes``, before and after decompression, so a
small gzip bomb cannot grow past the limit) and replayed to the app.
"""

from __future__ import annotations

import json
import zlib

_BODY_METHODS = {"POST", "PUT", "PATCH"}


async def _send_json(send, status: int, body: dict) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def _too_large(limit: int) -> dict:
    return {"error": "too_large", "message": f"request body over {limit} bytes"}


class RequestBody:
    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            return await _send_json(send, 413, _too_large(self.max_bytes))
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                return await _send_json(send, 413, _too_large(self.max_bytes))
            if not message.get("more_body"):
                break
        encoding = headers.get(b"content-encoding", b"identity").strip().lower()
        if encoding == b"gzip":
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                plain = inflater.decompress(bytes(body), self.max_bytes + 1)
            except zlib.error:
                return await _send_json(
                    send,
                    422,
                    {
                        "error": "invalid_request",
                        "message": "body: not valid gzip",
                        "details": [{"field": "body", "message": "not valid gzip"}],
                    },
                )
            if len(plain) > self.max_bytes or inflater.unconsumed_tail:
                return await _send_json(send, 413, _too_large(self.max_bytes))
            body = bytearray(plain)
            scope = dict(scope)
            scope["headers"] = [
                (k, v)
                for k, v in scope["headers"]
                if k not in (b"content-encoding", b"content-length")
            ] + [(b"content-length", str(len(body)).encode())]
        elif encoding not in (b"identity", b""):
            return await _send_json(
                send,
                415,
                {
                    "error": "unsupported_media_type",
                    "message": "Content-Encoding must be gzip or identity",
                },
            )
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)
