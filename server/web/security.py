"""Security headers on every answer of the web view, and its errors as plain pages.

The JSON API under ``/api/`` keeps its own answers and errors; everything else gets:

- ``Content-Security-Policy``: nothing but this server's own style sheet, no script at all
  (the web view has none), no inline style, no frames (``frame-ancestors 'none'``), forms
  only to this server;
- ``X-Frame-Options: DENY`` (older browsers), ``X-Content-Type-Options: nosniff``,
  ``Referrer-Policy: no-referrer``, a ``Permissions-Policy`` that turns off what the pages
  never use, ``Cross-Origin-Opener-Policy: same-origin``;
- ``Cache-Control: no-store`` on pages and downloads (a commune office's computer is
  shared), and ``Strict-Transport-Security`` when the request came over HTTPS.
"""

from __future__ import annotations

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000")
STATIC = "/static/"


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def header_list(path: str, scheme: str) -> list[tuple[bytes, bytes]]:
    headers = list(HEADERS)
    if not path.startswith(STATIC):
        headers.append((b"cache-control", b"no-store"))
    if scheme == "https":
        headers.append(HSTS)
    return headers


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers to every answer outside ``/api/``."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or is_api(scope["path"]):
            return await self.app(scope, receive, send)
        extra = header_list(scope["path"], scope.get("scheme", "http"))

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_headers)
