"""The leader's conflicts panel against the REAL server: two profiles edit one person's name
offline, the leader sees the conflict with both values and who wrote them, settles it with a
typed value, and both laptops converge."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

from desktop.services import Services
from desktop.store import Store
from desktop.store.schema import SYNCED_TABLES
from desktop.sync.credentials import TokenStore
from desktop.sync.session import SyncSession
from desktop.ui import sync_controller as sc
from desktop.ui.conflicts_panel import ConflictsModel, ConflictsPanel, parse_typed
from desktop.ui.sync_panel import install_sync
from tests.desktop.ui_sync.conftest import DEMO_PASSWORD, screenshot, type_text

PERSONS = SYNCED_TABLES["persons"]
HOUSEHOLDS = SYNCED_TABLES["households"]


def _profile(tmp_path: Path, name: str, url: str, user: str) -> tuple[Store, SyncSession]:
    store = Store.open(tmp_path / name / "gocua.db")
    session = SyncSession(store, TokenStore())
    session.sign_in(url, user, DEMO_PASSWORD)
    session.sync(sleep=lambda _s: None)
    return store, session


def _name(store: Store, person_id: str) -> str:
    with store.read() as conn:
        return conn.execute(select(PERSONS.c.full_name).where(PERSONS.c.id == person_id)).scalar()


def test_leader_resolves_a_conflict_of_two_profiles(qtbot, window, tmp_path, demo_server):
    url = demo_server.base_url
    volunteer, v_session = _profile(tmp_path, "an", url, "tnv.an")
    leader, l_session = _profile(tmp_path, "ha", url, "totruong")
    try:
        with volunteer.read() as conn:
            person = (
                conn.execute(
                    select(PERSONS.c.id)
                    .join(HOUSEHOLDS, HOUSEHOLDS.c.id == PERSONS.c.household_id)
                    .where(HOUSEHOLDS.c.hamlet_id == "X9001-01")
                    .order_by(PERSONS.c.id)
                )
                .scalars()
                .first()
            )
        Services(volunteer).update_person(person, full_name="Nguyễn Thị Hoà")
        Services(leader).update_person(person, full_name="Nguyễn Thị Hòa")  # later: wins
        v_session.sync(sleep=lambda _s: None)
        report = l_session.sync(sleep=lambda _s: None)
        assert report.conflicts == 1

        controller = install_sync(window, leader, l_session, watch_network=False, attempts=1)
        qtbot.waitUntil(
            lambda: controller.state == sc.UP_TO_DATE and not controller.running, timeout=20_000
        )
        assert controller.role == "leader"
        assert controller.menu.act_conflicts.isVisible()
        panel = controller.menu.open_conflicts()
        assert isinstance(panel, ConflictsPanel)
        qtbot.waitUntil(lambda: not panel.busy and panel.model.rowCount() == 1, timeout=10_000)
        model = panel.model
        row = [model.index(0, c).data() for c in range(model.columnCount())]
        assert row[0] == "Người" and row[1] == "Nguyễn Thị Hòa" and row[2] == "Họ và tên"
        assert (row[3], row[5]) == ("Nguyễn Thị Hòa", "Nguyễn Thị Hoà")
        assert row[4] == "Trần Thị Thu Hà" and row[6] == "Lê Văn An"
        assert "Nguyễn Thị Hoà" in panel.detail.text()
        assert panel.keep_winner.isEnabled() and not panel.restore.isVisible()
        panel.resize(1000, 420)
        screenshot(panel, "conflicts_panel")

        # Enter in the list decides nothing (it used to send "Giữ giá trị đang dùng").
        assert not any(b.isDefault() for b in (panel.keep_winner, panel.keep_loser))
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
        assert not panel.busy and panel.resolved == 0 and model.rowCount() == 1
        type_text(panel.new_value, "Nguyễn Thị Hoa")
        finished = []
        controller.finished.connect(finished.append)
        qtbot.keyClick(panel.new_value, Qt.Key.Key_Return)  # the typed value, once
        qtbot.waitUntil(lambda: panel.resolved == 1 and not panel.busy, timeout=10_000)
        assert model.rowCount() == 0
        assert panel.status.text() == "Đã giải quyết. Còn 0 xung đột."
        qtbot.waitUntil(lambda: bool(finished), timeout=20_000)  # the resolving laptop syncs
        assert _name(leader, person) == "Nguyễn Thị Hoa"
        v_session.sync(sleep=lambda _s: None)
        assert _name(volunteer, person) == "Nguyễn Thị Hoa"  # both converge

        panel.refresh()
        qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
        assert model.rowCount() == 0 and "Không có xung đột" in panel.status.text()
        panel.close()
        controller.stop()
    finally:
        volunteer.close()
        leader.close()


def test_conflicts_model_and_typed_values(qtbot):
    model = ConflictsModel()
    conflicts = [
        {
            "id": "c1",
            "table": "persons",
            "row_id": "p" * 36,
            "field": "has_smartphone",
            "winning_value": True,
            "losing_value": None,
            "winner_name": "Hà",
            "loser_name": "An",
            "created_at": "2026-11-24T01:02:03+00:00",
            "label": "Trần Văn Bé",
        },
        {
            "id": "c2",
            "table": "households",
            "row_id": "h" * 36,
            "field": "_deleted",
            "winning_value": True,
            "losing_value": {"address": "Số 9"},
            "winner_name": "Hà",
            "loser_name": "An",
            "created_at": "2026-11-24T01:02:03+00:00",
            "label": "Số 9",
        },
    ]
    model.set_rows(conflicts)
    assert model.rowCount() == 2 and model.columnCount() == 8
    assert [model.index(0, c).data() for c in (2, 3, 5)] == [
        "Điện thoại thông minh",
        "Có",
        "(trống)",
    ]
    assert [model.index(1, c).data() for c in (0, 2, 3, 5)] == [
        "Hộ",
        "Xóa bản ghi",
        "Đã xóa",
        "Bản ghi đã được sửa",
    ]
    model.remove("c1")
    assert model.rowCount() == 1 and model.row_at(0)["id"] == "c2"
    assert parse_typed("has_smartphone", "không", True) is False
    assert parse_typed("percent", "75,5", 80.0) == 75.5
    assert parse_typed("phone", "  ", "0912345678") is None
    assert parse_typed("note", "", "x") == ""
    try:
        parse_typed("has_smartphone", "có lẽ", True)
    except ValueError as exc:
        assert "có" in str(exc)
    else:
        raise AssertionError("a wrong yes/no must be refused")


def test_field_labels_are_the_protocols():
    from desktop.ui.sync_labels import FIELD_LABELS
    from gocua.protocol import FIELDS, label_vi

    names = {name for fields in FIELDS.values() for name in fields}
    assert set(FIELD_LABELS) == names
    assert all(label_vi(name) == text for name, text in FIELD_LABELS.items())


def test_a_person_deleted_while_edited_is_restored_by_the_leader(
    qtbot, window, tmp_path, demo_server
):
    url = demo_server.base_url
    volunteer, v_session = _profile(tmp_path, "an", url, "tnv.an")
    leader, l_session = _profile(tmp_path, "ha", url, "totruong")
    try:
        with volunteer.read() as conn:
            person = (
                conn.execute(
                    select(PERSONS.c.id)
                    .join(HOUSEHOLDS, HOUSEHOLDS.c.id == PERSONS.c.household_id)
                    .where(HOUSEHOLDS.c.hamlet_id == "X9001-01")
                    .order_by(PERSONS.c.id.desc())
                )
                .scalars()
                .first()
            )
        Services(volunteer).update_person(person, phone="0912345678")
        v_session.sync(sleep=lambda _s: None)
        Services(leader).delete_person(person)  # without having seen the edit
        assert l_session.sync(sleep=lambda _s: None).conflicts == 1
        assert _name(leader, person) is None  # gone from the leader's laptop

        controller = install_sync(window, leader, l_session, watch_network=False, attempts=1)
        qtbot.waitUntil(
            lambda: controller.state == sc.UP_TO_DATE and not controller.running, timeout=20_000
        )
        panel = controller.menu.open_conflicts()
        qtbot.waitUntil(lambda: not panel.busy and panel.model.rowCount() == 1, timeout=10_000)
        assert panel.model.index(0, 2).data() == "Xóa bản ghi"
        kept_copy = panel.model.row_at(0)["losing_value"]  # the edited row the server kept
        assert panel.model.index(0, 1).data() == kept_copy["full_name"]
        assert panel.restore.isVisible() and panel.dismiss.isVisible()
        assert not panel.keep_winner.isVisible() and not panel.new_value.isVisible()
        assert "Trần Thị Thu Hà đã xóa bản ghi" in panel.detail.text()
        header = panel.view.horizontalHeader()  # laid out a moment after the rows came
        qtbot.waitUntil(lambda: header.length() == header.viewport().width())
        screenshot(panel, "conflicts_deleted")
        finished = []
        controller.finished.connect(finished.append)
        qtbot.mouseClick(panel.restore, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.resolved == 1 and not panel.busy, timeout=10_000)
        qtbot.waitUntil(lambda: bool(finished), timeout=20_000)
        with leader.read() as conn:
            deleted, phone = conn.execute(
                select(PERSONS.c.deleted, PERSONS.c.phone).where(PERSONS.c.id == person)
            ).one()
        assert not deleted and phone == "0912345678"  # back, with the volunteer's edit
        panel.close()
        controller.stop()
    finally:
        volunteer.close()
        leader.close()
