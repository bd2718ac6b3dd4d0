"""Profiles on a shared laptop: each volunteer's own database, the last one remembered (Qt-free).

Layout under the base folder (``$GOCUA_HOME``, else ``platformdirs.user_data_dir("GoCua")``)::

    settings.json               desktop.settings (last profile, language, window state)
    profiles/<slug>/profile.json  {"name": "Chị Lan"}
    profiles/<slug>/gocua.db      the profile's store
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desktop.settings import Settings
from gocua.text import fold

APP_NAME = "GoCua"
DB_NAME = "gocua.db"


def base_dir() -> Path:
    if env := os.environ.get("GOCUA_HOME"):
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    if env := os.environ.get("GOCUA_HOME"):
        return Path(env) / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def load_settings() -> Settings:
    return Settings(base_dir() / "settings.json")


@dataclass(frozen=True)
class Profile:
    slug: str
    name: str
    folder: Path

    @property
    def db_path(self) -> Path:
        return self.folder / DB_NAME


def _profiles_dir() -> Path:
    return base_dir() / "profiles"


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
    return slug or "ho-so"


def list_profiles() -> list[Profile]:
    root = _profiles_dir()
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir():
            continue
        name = folder.name
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            name = json.loads((folder / "profile.json").read_text(encoding="utf-8"))["name"]
        out.append(Profile(folder.name, name, folder))
    return sorted(out, key=lambda p: fold(p.name))


def create_profile(name: str) -> Profile:
    """A new, empty profile folder (the store is created when first opened)."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("a profile needs a name")
    root = _profiles_dir()
    root.mkdir(parents=True, exist_ok=True)
    base = slugify(name)
    slug, n = base, 1
    while (root / slug).exists():
        n += 1
        slug = f"{base}-{n}"
    folder = root / slug
    folder.mkdir()
    (folder / "profile.json").write_text(
        json.dumps({"name": name}, ensure_ascii=False), encoding="utf-8"
    )
    return Profile(slug, name, folder)


def get_profile(slug: str) -> Profile | None:
    return next((p for p in list_profiles() if p.slug == slug), None)


def last_profile(settings: Settings | None = None) -> Profile | None:
    settings = settings or load_settings()
    slug = settings.get("last_profile")
    return get_profile(slug) if slug else None


def remember(profile: Profile, settings: Settings | None = None) -> None:
    settings = settings or load_settings()
    settings.set("last_profile", profile.slug)
    settings.save()
