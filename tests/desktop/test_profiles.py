"""Profiles and settings under GOCUA_HOME (Qt-free)."""

from __future__ import annotations

import json

import pytest

from desktop import profiles
from desktop.settings import REGISTRY, Settings


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GOCUA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_base_dir_follows_gocua_home(home):
    assert profiles.base_dir() == home
    assert profiles.log_dir() == home / "logs"


def test_create_list_and_remember(home):
    assert profiles.list_profiles() == []
    assert profiles.last_profile() is None
    lan = profiles.create_profile("  Chị Lan  ấp Bình Minh ")
    assert lan.slug == "chi-lan-ap-binh-minh"
    assert lan.name == "Chị Lan ấp Bình Minh"
    assert lan.db_path == home / "profiles" / lan.slug / "gocua.db"
    again = profiles.create_profile("Chị Lan ấp Bình Minh")
    assert again.slug == "chi-lan-ap-binh-minh-2"
    duc = profiles.create_profile("Anh Đức")
    assert [p.name for p in profiles.list_profiles()] == [
        "Anh Đức",
        "Chị Lan ấp Bình Minh",
        "Chị Lan ấp Bình Minh",
    ]
    profiles.remember(duc)
    assert profiles.last_profile() == duc
    saved = json.loads((home / "settings.json").read_text(encoding="utf-8"))
    assert saved["last_profile"] == "anh-duc"
    with pytest.raises(ValueError):
        profiles.create_profile("   ")


def test_settings_types_and_defaults(tmp_path):
    path = tmp_path / "s.json"
    settings = Settings(path)
    assert settings.get("language") == "vi"
    assert settings.get("pending_days") == 14
    settings.set("pending_days", 30)
    settings.set("language", "en")
    with pytest.raises(TypeError):
        settings.set("pending_days", "30")
    with pytest.raises(KeyError):
        settings.get("nope")
    settings.save()
    again = Settings(path)
    assert again.get("pending_days") == 30 and again.get("language") == "en"
    path.write_text('{"pending_days": "x", "language": "fr", "other": 1}', encoding="utf-8")
    broken = Settings(path)
    assert broken.get("pending_days") == 14 and broken.get("language") == "vi"
    path.write_text("not json", encoding="utf-8")
    assert Settings(path).get("search_delay_ms") == REGISTRY["search_delay_ms"].default
