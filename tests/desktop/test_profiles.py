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


# -- one running copy per profile (desktop.profile_lock) ------------------------------------


def test_a_profile_lock_is_taken_once_and_freed_by_release(home):
    from desktop.profile_lock import ProfileInUse, ProfileLock

    lan = profiles.create_profile("Chị Lan")
    first = ProfileLock(lan.db_path, lan.name).acquire()
    assert first.held and first.path == lan.folder / "gocua.db.lock"
    with pytest.raises(ProfileInUse) as refused:
        ProfileLock(lan.db_path, lan.name).acquire()
    assert "đang được mở trong một cửa sổ Gõ Cửa khác" in refused.value.text()
    assert "already open in another window of Gõ Cửa" in refused.value.text()
    assert "Chị Lan" in refused.value.text()
    other = profiles.create_profile("Anh Đức")
    with ProfileLock(other.db_path) as duc:  # another profile: its own lock
        assert duc.held
    first.release()
    assert not first.held
    with ProfileLock(lan.db_path) as again:
        assert again.held
    assert first.path.exists()  # the file stays; only the OS lock on it counts


def test_a_lock_held_by_another_process_is_refused_until_it_exits(home):
    from desktop.profile_lock import ProfileInUse, ProfileLock
    from tests.support.lock_holder import LockHolder

    lan = profiles.create_profile("Chị Lan")
    with LockHolder(lan.db_path) as holder:
        with pytest.raises(ProfileInUse):
            ProfileLock(lan.db_path).acquire()
        holder.release()
    with ProfileLock(lan.db_path) as lock:
        assert lock.held


def test_a_crashed_holder_leaves_no_lock_behind(home):
    from desktop.profile_lock import ProfileInUse, ProfileLock
    from tests.support.lock_holder import LockHolder

    lan = profiles.create_profile("Chị Lan")
    with LockHolder(lan.db_path) as holder:
        with pytest.raises(ProfileInUse):
            ProfileLock(lan.db_path).acquire()
        holder.kill()  # SIGKILL: no clean-up of its own
        assert holder.process.returncode != 0
    assert (lan.folder / "gocua.db.lock").exists()  # left behind, and harmless
    with ProfileLock(lan.db_path) as lock:
        assert lock.held
