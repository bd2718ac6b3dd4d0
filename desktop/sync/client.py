"""A thin HTTP client of shared/SYNC.md: JSON (gzip both ways), errors mapped to exceptions.

It holds no state but the base URL, the token, a ``requests.Session`` (connection reuse
matters: a first pull is dozens of pages) and the time and size of its last answer (the
engine sizes its pages by them). A *background* client (the sync's) waits before each request
while one of the app's own is under way (desktop.sync.share).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import time
from dataclasses import dataclass
from typing import Any

import requests

from desktop.sync import errors
from desktop.sync.share import SHARE
from gocua import PROTOCOL_VERSION, __version__
from gocua.protocol import page_changes

API = "/api/v1"
GZIP_MIN_BYTES = 2048


@dataclass(frozen=True)
class Exchange:
    """One request and its answer: seconds from sending to the answer's last byte, and the
    answer's size on the wire (compressed, body only)."""

    seconds: float
    wire_bytes: int


class SyncClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        timeout: float = 30.0,
        *,
        background: bool = False,
    ):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.background = background
        self.last: Exchange | None = None
        self.session = requests.Session()
        # The proxy and CA bundle settings of the environment, read once for this server:
        # requests reads them again on every request (0.6 ms each here, the registry too on
        # Windows). A ~/.netrc is not consulted: our requests carry their own credentials.
        settings = self.session.merge_environment_settings(self.base_url, {}, None, None, None)
        self.session.trust_env = False
        self.session.proxies.update(settings["proxies"])
        self.session.verify = settings["verify"]
        self.session.headers.update(
            {
                "Accept": "application/json",
                "Accept-Encoding": "gzip",
                "User-Agent": f"GoCua/{__version__}",
            }
        )

    def close(self) -> None:
        self.session.close()

    # -- transport --------------------------------------------------------------------------

    def _request(self, method: str, path: str, body: Any = None, auth: bool = True) -> Any:
        headers: dict[str, str] = {}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
            if len(data) >= GZIP_MIN_BYTES:
                data = gzip.compress(data, compresslevel=5)
                headers["Content-Encoding"] = "gzip"
        if auth:
            if not self.token:
                raise errors.Unauthorized("not signed in")
            headers["Authorization"] = f"Bearer {self.token}"
        if self.background:
            SHARE.wait_turn(self.timeout)
        turn = contextlib.nullcontext() if self.background else SHARE.foreground()
        try:
            with turn:
                started = time.monotonic()
                response = self.session.request(
                    method,
                    self.base_url + API + path,
                    data=data,
                    headers=headers,
                    timeout=self.timeout,
                )
                seconds = time.monotonic() - started
        except requests.exceptions.SSLError as exc:
            raise errors.tls_error(exc) from exc
        except requests.RequestException as exc:
            raise errors.NetworkError(str(exc)) from exc
        length = response.headers.get("Content-Length", "")
        size = int(length) if length.isdigit() else len(response.content)
        self.last = Exchange(seconds, size)
        return self._answer(response)

    @staticmethod
    def _answer(response: requests.Response) -> Any:
        try:
            payload = response.json() if response.content else {}
        except ValueError:
            payload = None
        status = response.status_code
        if 200 <= status < 300:
            if payload is None:
                raise errors.ProtocolError(f"HTTP {status}: body is not JSON")
            return payload
        code = payload.get("error") if isinstance(payload, dict) else None
        message = payload.get("message", "") if isinstance(payload, dict) else response.text[:200]
        retry_after = _retry_after(response)
        if status >= 500 or status == 429 and code != "too_many_attempts":
            raise errors.ServerUnavailable(
                f"HTTP {status} {code or ''}".strip(), retry_after=retry_after
            )
        if status == 401:
            if code == "invalid_credentials":
                raise errors.InvalidCredentials(message)
            raise errors.Unauthorized(message)
        if status == 429:
            seconds = payload.get("retry_after") if isinstance(payload, dict) else None
            raise errors.TooManyAttempts(message, retry_after=seconds or retry_after)
        if status == 403:
            raise errors.Forbidden(message)
        if status == 426:
            raise errors.UpgradeRequired(message)
        if status == 409:
            if code == "epoch_mismatch":
                raise errors.EpochMismatch(message, epoch=payload.get("epoch"))
            if code == "mutation_gap":
                raise errors.MutationGap(int(payload["expected"]))
            if code == "reset_required":
                raise errors.ResetRequired(message, reason=payload.get("reason"))
            if code == "client_mismatch":
                raise errors.ClientMismatch(message)
        if code and status in (400, 404, 409, 422):
            # A refusal with its reason (administration: a name taken, a hamlet not empty).
            raise errors.Refused(code, message, status=status, payload=payload)
        raise errors.ProtocolError(f"HTTP {status} {code}: {message}")

    # -- endpoints --------------------------------------------------------------------------

    def login(self, username: str, password: str, device_name: str) -> dict:
        answer = self._request(
            "POST",
            "/auth/login",
            {"username": username, "password": password, "device_name": device_name},
            auth=False,
        )
        self.token = answer["token"]
        return answer

    def logout(self) -> None:
        self._request("POST", "/auth/logout", auth=True)
        self.token = None

    def hello(self, client_id: str | None) -> dict:
        return self._request(
            "POST",
            "/sync/hello",
            {"client_id": client_id, "app_version": __version__, "protocol": PROTOCOL_VERSION},
        )

    def push(self, client_id: str, epoch: str, mutations: list[dict]) -> dict:
        return self._request(
            "POST", "/sync/push", {"client_id": client_id, "epoch": epoch, "mutations": mutations}
        )

    def pull(
        self,
        client_id: str,
        cursor: str | None,
        limit: int,
        *,
        epoch: str | None = None,
        directory: str | None = None,
        columns: bool = False,
        count: bool = False,
    ) -> dict:
        """A page, its ``changes`` as SYNC.md lists them whatever the wire format. The other
        arguments are extensions (docs/protocol.md) for a server whose hello listed them:
        ``epoch`` and ``directory`` make a checked pull (an answer without ``next_cursor``
        then means "keep yours"), ``columns`` asks for a column page, ``count`` for the rows
        ``remaining``. A server that refuses them (422) raises ``ExtensionsRefused``."""
        body: dict[str, Any] = {"client_id": client_id, "cursor": cursor, "limit": limit}
        if epoch is not None or directory is not None:
            body.update(epoch=epoch, directory=directory, protocol=PROTOCOL_VERSION)
        if columns:
            body["format"] = "columns"
        if count:
            body["count"] = True
        try:
            page = self._request("POST", "/sync/pull", body)
        except errors.Refused as refused:
            if refused.status == 422 and len(body) > 3:
                raise errors.ExtensionsRefused(str(refused)) from refused
            raise
        if page.get("format") == "columns":
            page["changes"] = page_changes(page)
            for key in ("format", "tables", "removed"):
                page.pop(key, None)
        if "next_cursor" not in page:
            page["next_cursor"] = cursor
        return page

    def summary(self) -> dict:
        return self._request("GET", "/sync/summary")

    def conflicts(self, status: str = "open") -> list[dict]:
        return self._request("GET", f"/conflicts?status={status}")["conflicts"]

    def resolve_conflict(self, conflict_id: str, body: dict) -> dict:
        return self._request("POST", f"/conflicts/{conflict_id}/resolve", body)

    def create_hamlet(self, name: str, hamlet_id: str | None = None) -> dict:
        """A new hamlet of the user's commune (leaders and commune admins): its area object."""
        body = {"name": name} if hamlet_id is None else {"name": name, "id": hamlet_id}
        return self._request("POST", "/admin/hamlets", body)["hamlet"]

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        """Any endpoint of commune administration (``/admin/...``, docs/protocol.md)."""
        return self._request(method, "/admin" + path, body)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
