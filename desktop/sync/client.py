"""A thin HTTP client of shared/SYNC.md: JSON (gzip both ways), errors mapped to exceptions.

It holds no state but the base URL, the token and a ``requests.Session`` (connection reuse
matters: a first pull is dozens of pages).
"""

from __future__ import annotations

import gzip
import json
from typing import Any

import requests

from desktop.sync import errors
from gocua import PROTOCOL_VERSION, __version__

API = "/api/v1"
GZIP_MIN_BYTES = 2048


class SyncClient:
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
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
        try:
            response = self.session.request(
                method,
                self.base_url + API + path,
                data=data,
                headers=headers,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise errors.NetworkError(str(exc)) from exc
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

    def pull(self, client_id: str, cursor: str | None, limit: int) -> dict:
        return self._request(
            "POST", "/sync/pull", {"client_id": client_id, "cursor": cursor, "limit": limit}
        )

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
