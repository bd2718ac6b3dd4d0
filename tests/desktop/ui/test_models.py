"""Table models without views: paging, grid states, draft changes."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.services import ItemChange
from desktop.store.queries import HamletRow, HouseholdPage, HouseholdRow, ItemState, PersonRow
from desktop.ui.models import (
    ID_ROLE,
    STATE_ROLE,
    HamletModel,
    HouseholdListModel,
    ItemGridModel,
    RowsModel,
    household_subject,
    person_subjects,
)
from gocua.catalogue import default_catalogue

YEAR = 2026


def _row(hid: str) -> HouseholdRow:
    return HouseholdRow(hid, f"Số {hid}", f"Chủ hộ {hid}", 3, None, "active", "H1")


def test_household_list_reads_only_the_visible_page(qapp):
    asked: list[list[str]] = []

    def loader(ids):
        asked.append(list(ids))
        return {i: _row(i) for i in ids}

    model = HouseholdListModel(loader, ["Địa chỉ", "Chủ hộ", "Người"])
    ids = [f"{n:05d}" for n in range(30_000)]
    model.set_ids(ids)
    assert model.rowCount() == 30_000 and asked == []
    assert model.index(12_345, 0).data() == "Số 12345"
    assert len(asked) == 1 and len(asked[0]) == HouseholdListModel.PAGE
    assert model.index(12_399, 1).data() == "Chủ hộ 12399"
    assert len(asked) == 1  # same page: from the cache
    assert model.index(5, 2).data() == "3" and len(asked) == 2
    assert model.index(7, 0).data(ID_ROLE) == "00007"
    model.invalidate("00007")
    model.index(7, 0).data()
    assert asked[-1] == ["00007"]
    model.set_ids(ids[:2], {"00001": "Nguyễn Văn Đức"})
    assert model.index(1, 1).data() == "Nguyễn Văn Đức"
    assert model.row_of("00001") == 1 and model.row_of("nope") == -1


def test_hamlet_model_has_an_all_row_and_coverage(qapp):
    model = HamletModel(["Ấp", "Số hộ", "VNeID 2"], "Cả xã")
    model.set_hamlets(
        [HamletRow("H1", "Ấp Bình Minh", 1200, 4000), HamletRow("H2", "Ấp Đông Hòa", 30, 90)]
    )
    assert model.rowCount() == 3 and model.columnCount() == 3
    assert model.index(0, 0).data() == "Cả xã"
    assert model.index(0, 1).data() == "1.230"
    assert model.index(1, 2).data() == "…"
    model.set_coverage({"H1": 42.4, "H2": None, "": 41.0})
    assert model.index(1, 2).data() == "42%"
    assert model.index(2, 2).data() == "—"
    model.set_coverage({"H1": 42.4, "": 42.4})  # H2: nobody eligible, so no tally at all
    assert model.index(2, 2).data() == "—"
    assert model.hamlet_id(0) is None and model.hamlet_id(2) == "H2"
    assert model.row_of("H2") == 2


def _page() -> HouseholdPage:
    page = HouseholdPage("HH", "H1", "Ấp Bình Minh", "Số 1", None, "", "active")
    page.persons = [
        PersonRow("P1", "Nguyễn Văn Đức", "1980", "m", None, None, "head", True, "present", ""),
        PersonRow("P2", "Nguyễn Bé", f"{YEAR - 5}", "f", None, None, "child", None, "present", ""),
    ]
    page.states = {("P1", "vneid_l2"): ItemState("guided", None, "2026-01-02")}
    return page


def test_grid_shows_states_and_eligibility(qapp):
    catalogue = default_catalogue()
    items = catalogue.person_items()
    page = _page()
    model = ItemGridModel(page, person_subjects(page, items, YEAR), items)
    col = {item.code: n for n, item in enumerate(items)}
    assert model.rowCount() == 2 and model.columnCount() == len(items)
    assert model.index(0, col["vneid_l2"]).data() == "Đã HD"
    assert model.index(0, col["vneid_l2"]).data(STATE_ROLE) == "guided"
    assert model.index(0, col["bank_account"]).data() == "Chưa làm"
    # A five-year-old has no bank account to open: not editable, shown as a dash.
    assert model.index(1, col["bank_account"]).data() == "—"
    assert not model.flags(model.index(1, col["bank_account"])) & Qt.ItemFlag.ItemIsEditable
    assert model.index(1, col["ehealth_record"]).flags() & Qt.ItemFlag.ItemIsEditable
    assert model.headerData(0, Qt.Orientation.Vertical) == "Nguyễn Văn Đức"
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_grid_live_change_calls_the_service(qapp):
    items = default_catalogue().person_items()
    page = _page()
    calls: list[ItemChange] = []
    model = ItemGridModel(page, person_subjects(page, items, YEAR), items, on_change=calls.append)
    changed = []
    model.dataChanged.connect(lambda a, b: changed.append(a.row()))
    col = [i.code for i in items].index("vneid_l2")
    assert model.setData(model.index(0, col), "pending")
    assert calls == [ItemChange("person", "P1", "vneid_l2", "pending")]
    assert page.state_of("P1", "vneid_l2") == "pending" and changed == [0]
    assert not model.setData(model.index(0, col), "pending")  # no change, no call
    assert not model.setData(model.index(1, [i.code for i in items].index("smartca")), "done")
    assert not model.setData(model.index(0, col), "bogus")
    assert len(calls) == 1


def test_grid_draft_collects_changes_for_the_visit(qapp):
    catalogue = default_catalogue()
    items = catalogue.person_items()
    page = _page()
    model = ItemGridModel(page, person_subjects(page, items, YEAR), items, draft=True)
    codes = [i.code for i in items]
    model.setData(model.index(0, codes.index("vneid_l2")), "done")
    model.setData(model.index(0, codes.index("bank_account")), "pending")
    assert model.index(0, codes.index("vneid_l2")).data() == "→ Xong"
    assert page.state_of("P1", "vneid_l2") == "guided"  # nothing written yet
    model.setData(model.index(0, codes.index("bank_account")), "not_started")  # back: dropped
    assert model.changes() == [ItemChange("person", "P1", "vneid_l2", "done")]
    model.revert_cell(model.index(0, codes.index("vneid_l2")))
    assert model.changes() == []
    household = ItemGridModel(
        page,
        household_subject(page, catalogue.household_items(), "Cả hộ"),
        catalogue.household_items(),
        draft=True,
    )
    household.setData(household.index(0, 0), "done")
    assert household.changes() == [ItemChange("household", "HH", "fibre_internet", "done")]


def test_rows_model(qapp):
    model = RowsModel([("Tên", lambda r: r[0]), ("Tuổi", lambda r: r[1])])
    model.id_of = lambda r: r[0]
    model.set_rows([("An", 3), ("Bình", None)])
    assert model.rowCount() == 2 and model.index(1, 1).data() == ""
    assert model.index(0, 0).data(ID_ROLE) == "An"
    assert model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "Tuổi"


def test_grid_keeps_a_reason_with_the_state(qapp):
    items = default_catalogue().person_items()
    page = _page()
    codes = [i.code for i in items]
    calls: list[ItemChange] = []
    live = ItemGridModel(page, person_subjects(page, items, YEAR), items, on_change=calls.append)
    live.reason_names = {"waiting_police": "Chờ công an phê duyệt"}
    index = live.index(0, codes.index("vneid_l2"))
    assert live.setData(index, ("pending", "waiting_police"))
    assert calls == [ItemChange("person", "P1", "vneid_l2", "pending", "waiting_police")]
    assert "Chờ công an phê duyệt" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert not live.setData(index, ("pending", "waiting_police"))  # same state and reason
    draft = ItemGridModel(page, person_subjects(page, items, YEAR), items, draft=True)
    draft.setData(draft.index(0, codes.index("smartca")), ("declined", "refused"))
    assert draft.changes() == [ItemChange("person", "P1", "smartca", "declined", "refused")]


def test_a_column_that_fails_shows_empty_and_the_window_survives(qtbot, caplog):
    """An exception escaping a model's data() aborts PySide6 6.11: a list shows "" instead."""
    from PySide6.QtWidgets import QTableView

    from desktop.ui.models import RowsModel

    model = RowsModel([("Tên", lambda r: r["name"]), ("Hỏng", lambda r: r["missing"])])
    model.set_rows([{"name": "An"}])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resizeColumnsToContents()  # asks every cell: the one that raises included
    assert model.index(0, 0).data() == "An" and model.index(0, 1).data() == ""
    assert "could not be shown" in caplog.text
