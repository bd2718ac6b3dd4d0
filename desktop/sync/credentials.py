"""Where the sign-in token lives: the OS keyring, or this process's memory when there is none.

Headless Linux has no secure keyring (``keyring`` falls back to a backend that fails); then the
token is kept in memory for the session only and the caller tells the user they will have to
sign in again. It is never written to a file in clear.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from dataclasses import dataclass

import keyring
from keyring.errors import KeyringError

log = logging.getLogger(__name__)
SERVICE = "GoCua"
_memory: dict[str, str] = {}


def account_key(profile_path: str, server_url: str, username: str) -> str:
    """One entry per profile, server and user (a shared laptop holds several profiles)."""
    digest = hashlib.sha256(f"{profile_path}|{server_url}|{username}".encode()).hexdigest()
    return f"{username}@{digest[:16]}"


def keyring_is_secure() -> bool:
    backend = keyring.get_keyring()
    priority = getattr(backend, "priority", 0)
    name = type(backend).__module__ + "." + type(backend).__name__
    return priority > 0 and "fail" not in name and "null" not in name.lower()


@dataclass
class TokenStore:
    """Saves and loads tokens; ``persistent`` says whether they survive a restart."""

    persistent: bool = True

    def __post_init__(self) -> None:
        self.persistent = self.persistent and keyring_is_secure()

    def save(self, key: str, token: str) -> bool:
        """Returns True when the token went to the keyring, False when only to memory."""
        if self.persistent:
            try:
                keyring.set_password(SERVICE, key, token)
                _memory.pop(key, None)
                return True
            except KeyringError as exc:
                log.warning("keyring refused the token (%s); keeping it in memory", exc)
                self.persistent = False
        _memory[key] = token
        return False

    def load(self, key: str) -> str | None:
        if key in _memory:
            return _memory[key]
        if not self.persistent:
            return None
        try:
            return keyring.get_password(SERVICE, key)
        except KeyringError:
            return None

    def forget(self, key: str) -> None:
        _memory.pop(key, None)
        if self.persistent:
            with contextlib.suppress(KeyringError):
                keyring.delete_password(SERVICE, key)
