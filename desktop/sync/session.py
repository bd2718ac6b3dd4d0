"""A profile's connection to its server: sign in, remember the token, run a sync.

The server address and username live in the profile's sync state; the token only in the OS
keyring (or in memory for this process when there is no secure keyring).
"""

from __future__ import annotations

import platform
from dataclasses import dataclass

from desktop.store import Store
from desktop.store.state_keys import CLIENT_ID, SERVER_URL, USERNAME
from desktop.sync import engine as engine_module
from desktop.sync import errors, join
from desktop.sync.backoff import with_backoff
from desktop.sync.client import SyncClient
from desktop.sync.credentials import TokenStore, account_key
from desktop.sync.engine import Progress, SyncEngine, SyncReport


@dataclass
class SignInResult:
    display_name: str
    role: str
    token_saved: bool  # False: kept in memory only, the user signs in again next start


def normalize_server_url(server_url: str) -> str:
    """What the user typed as the address the profile keeps: https:// unless told otherwise,
    no trailing slash."""
    server_url = server_url.strip().rstrip("/")
    if not server_url.startswith(("http://", "https://")):
        server_url = "https://" + server_url
    return server_url


class SyncSession:
    def __init__(
        self, store: Store, tokens: TokenStore | None = None, page_size: int | None = None
    ):
        """``page_size``: a fixed pull page; None (the app's) sizes pages to the link."""
        self.store = store
        self.tokens = tokens or TokenStore()
        self.page_size = page_size
        # The engine's estimate of the time the running sync has left, in seconds (None:
        # unknown). The status bar reads it with each progress signal (desktop.ui.sync_panel).
        self.seconds_left: float | None = None

    @property
    def server_url(self) -> str | None:
        with self.store.read() as conn:
            return SERVER_URL.get(conn)

    @property
    def username(self) -> str | None:
        with self.store.read() as conn:
            return USERNAME.get(conn)

    def _key(self, server_url: str, username: str) -> str:
        return account_key(str(self.store.path.resolve()), server_url, username)

    def token(self) -> str | None:
        server, user = self.server_url, self.username
        return self.tokens.load(self._key(server, user)) if server and user else None

    def is_signed_in(self) -> bool:
        return self.token() is not None

    def sign_in(self, server_url: str, username: str, password: str) -> SignInResult:
        server_url = normalize_server_url(server_url)
        client = SyncClient(server_url)
        try:
            answer = client.login(username.strip(), password, platform.node() or "Gõ Cửa")
        finally:
            client.close()
        with self.store.write() as conn:
            previous = (SERVER_URL.get(conn), USERNAME.get(conn))
            if previous[1] and previous != (server_url, username.strip()):
                # Another account's data lives here: its outbox must not go to this account.
                raise errors.ClientMismatch("profile belongs to another account")
            # An account of another commune: refused before the profile remembers anything.
            join.check_commune(conn, answer["user"], username.strip())
            SERVER_URL.set(conn, server_url)
            USERNAME.set(conn, username.strip())
        saved = self.tokens.save(self._key(server_url, username.strip()), answer["token"])
        user = answer["user"]
        return SignInResult(user.get("display_name") or username, user.get("role", ""), saved)

    def join(
        self, plan: join.JoinPlan, mapping: dict[str, str | None], create: tuple[str, ...] = ()
    ) -> join.JoinResult:
        """Join the profile to the server's commune (desktop.sync.join). ``create``: local
        hamlet ids to create on the server first, under their typed names (leaders and commune
        admins); they map onto the new hamlets."""
        mapping = {**plan.default_mapping(), **mapping}
        created: list[dict] = []
        if create:
            client = self._client()
            try:
                names = {h.id: h.name for h in plan.hamlets}
                for local_id in create:
                    hamlet = client.create_hamlet(names[local_id])
                    created.append({**hamlet, "kind": "hamlet", "parent_id": plan.commune_id})
                    mapping[local_id] = hamlet["id"]
            finally:
                client.close()
        with self.store.write() as conn:
            return join.apply_join(conn, plan, mapping, tuple(created))

    def plan_join(self) -> join.JoinPlan | None:
        """What a join would do now (a ``hello``; nothing pushed); None: nothing local left."""
        client = self._client()
        try:
            with self.store.read() as conn:
                sent = CLIENT_ID.get(conn)
            answer = client.hello(sent)
        finally:
            client.close()
        with self.store.write() as conn:
            join.check_commune(conn, answer["user"], areas=tuple(answer.get("areas", [])))
            if sent is None:
                CLIENT_ID.set(conn, answer["client_id"])  # one device on the server
            return join.plan_join(conn, answer)

    def accept_commune(self, commune_id: str) -> None:
        """The user confirms the account's commune is the profile's (renamed or merged)."""
        with self.store.write() as conn:
            join.accept_commune(conn, commune_id)

    def _client(self) -> SyncClient:
        server, token = self.server_url, self.token()
        if not server or not token:
            raise errors.Unauthorized("not signed in")
        return SyncClient(server, token)

    def sign_out(self) -> None:
        server, user = self.server_url, self.username
        if not server or not user:
            return
        token = self.token()
        self.tokens.forget(self._key(server, user))
        if token:
            client = SyncClient(server, token)
            try:
                client.logout()
            except errors.SyncError:
                pass  # offline: the token expires on its own
            finally:
                client.close()

    def sync(
        self,
        progress: Progress | None = None,
        cancelled=None,
        attempts: int = 3,
        sleep=None,
    ) -> SyncReport:
        server, token = self.server_url, self.token()
        if not server or not token:
            raise errors.Unauthorized("not signed in")
        # A background client: it waits between pages while the app's own requests are under
        # way, on their own connections (desktop.sync.share).
        client = SyncClient(server, token, background=True)
        report = progress or (lambda phase, done, total: None)
        with_estimate = engine_module.takes_estimate(report)

        def relay(phase: str, done: int, total: int | None, seconds_left=None) -> None:
            self.seconds_left = seconds_left
            if with_estimate:
                report(phase, done, total, seconds_left)
            else:
                report(phase, done, total)

        self.seconds_left = None
        engine = SyncEngine(
            self.store, client, page_size=self.page_size, progress=relay, cancelled=cancelled
        )
        try:
            kwargs = {"sleep": sleep} if sleep else {}
            return with_backoff(engine.sync, attempts=attempts, **kwargs)
        except errors.Unauthorized:
            self.tokens.forget(self._key(server, self.username or ""))
            raise
        finally:
            self.seconds_left = None
            client.close()
