"""Every user setting in one registry, with its type and default (Qt-free).

Settings live in ``settings.json`` in the app's base folder (see :mod:`desktop.profiles`), so
the last profile, the language and the window state survive a restart. Unknown keys in the file
are kept; values of the wrong type fall back to the default.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    doc: str = ""


REGISTRY: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("language", str, "vi", "Interface language: 'vi' or 'en'"),
        Setting("last_profile", str, "", "Folder name of the profile opened last"),
        Setting("pending_days", int, 14, "A pending item is listed after this many days"),
        Setting("search_delay_ms", int, 150, "Pause in typing before a search runs"),
        Setting("search_limit", int, 200, "Most persons a search returns"),
        Setting("window_geometry", str, "", "Main window geometry (base64, Qt's own format)"),
        Setting("window_state", str, "", "Main window toolbars and docks (base64)"),
        Setting("splitter_state", str, "", "Main window splitter sizes (base64)"),
        Setting("inner_splitter_state", str, "", "Household list / page splitter (base64)"),
        Setting("last_hamlet", str, "", "Hamlet selected when the app closed"),
        Setting("sync_interval_min", int, 5, "Minutes between two automatic syncs"),
        Setting("idle_lock_min", int, 15, "Idle minutes before an encrypted profile locks"),
        Setting("last_server_url", str, "", "Server of the last sign-in on this laptop"),
        Setting("last_username", str, "", "Username of the last sign-in on this laptop"),
    )
}
LANGUAGES = ("vi", "en")


class Settings:
    """Typed access to the registry, stored as JSON at ``path``."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._values: dict[str, Any] = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self._values = loaded
        except (OSError, ValueError):
            self._values = {}

    def get(self, key: str) -> Any:
        setting = REGISTRY[key]
        value = self._values.get(key, setting.default)
        if setting.type is int and isinstance(value, bool):
            return setting.default
        if not isinstance(value, setting.type):
            return setting.default
        if key == "language" and value not in LANGUAGES:
            return setting.default
        return value

    def set(self, key: str, value: Any) -> None:
        setting = REGISTRY[key]
        if not isinstance(value, setting.type) or (setting.type is int and isinstance(value, bool)):
            raise TypeError(f"setting {key} must be {setting.type.__name__}")
        self._values[key] = value

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self._values, fh, ensure_ascii=False, indent=1)
        os.replace(tmp, self.path)
