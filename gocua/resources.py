"""Where the shared resources (catalogue, translations, fonts, icons) live.

Looked up in order: ``$GOCUA_RESOURCES``; the PyInstaller bundle (``sys._MEIPASS``); the
source tree (``resources/`` next to the packages); an installed wheel's data files
(``<prefix>/share/gocua/resources``).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    candidates: list[Path] = []
    if env := os.environ.get("GOCUA_RESOURCES"):
        candidates.append(Path(env))
    if bundle := getattr(sys, "_MEIPASS", None):
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(__file__).resolve().parent.parent / "resources")
    candidates.append(Path(sys.prefix) / "share" / "gocua" / "resources")
    for path in candidates:
        if (path / "catalogue.toml").is_file():
            return path
    raise FileNotFoundError(
        "resources/catalogue.toml not found; looked in " + ", ".join(map(str, candidates))
    )


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
