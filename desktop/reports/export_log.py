"""Every export is logged: a JSON-lines file in the profile's folder (``export-log.jsonl``).

One line per export: when, who, the format and file, the period and hamlets, whether CCCD and
phone numbers were left unmasked, the row counts, and the total row's figures (so the next
meeting's PDF can show the change since this one). A file rather than a table: it needs no
schema migration and survives a database restore.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

LOG_NAME = "export-log.jsonl"


def log_path(profile_dir: Path) -> Path:
    return Path(profile_dir) / LOG_NAME


def append_entry(profile_dir: Path, entry: dict[str, Any]) -> dict[str, Any]:
    entry = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **entry}
    path = log_path(profile_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return entry


def read_entries(profile_dir: Path) -> list[dict[str, Any]]:
    path = log_path(profile_dir)
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by a crash: skip it, keep the rest
    return entries


def previous_figures(profile_dir: Path, scope: list[str] | None) -> dict[str, Any] | None:
    """The newest logged export of the same hamlets that carried figures, or ``None``."""
    for entry in reversed(read_entries(profile_dir)):
        if entry.get("hamlets") == scope and entry.get("figures"):
            return entry
    return None
