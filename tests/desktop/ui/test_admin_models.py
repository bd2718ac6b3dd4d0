"""The administration window's models and texts, without views or a server: hamlets greyed
when retired, users' roles in Vietnamese, audit lines in Vietnam time, a split's households,
and every refusal as a sentence."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from desktop.store.queries import HouseholdRow
from desktop.sync import errors
from desktop.ui.admin_labels import Directory, error_text, vietnam_time
from desktop.ui.admin_models import (
    GREY,
    ITEM_ROLE,
    STAY,
    AuditModel,
    HamletsModel,
    SplitModel,
    UsersModel,
)

HAMLETS = [
    {"id": "H1", "name": "Ấp Bình Minh", "retired": False, "merged_into": None},
    {"id": "H2", "name": "Ấp Tân Lập", "retired": True, "merged_into": "H1"},
    {"id": "H3", "name": "Ấp Cũ", "retired": True, "merged_into": None},
]
for _h, (_n, _v) in zip(HAMLETS, [(12, 2), (0, 0), (0, 0)], strict=True):
    _h.update(households=_n, volunteers=_v)
USERS = [
    {
        "id": "u1",
        "username": "quantri",
        "display_name": "Võ Minh Quân",
        "role": "commune_admin",
        "hamlet_ids": [],
        "active": True,
    },
    {
        "id": "u2",
        "username": "tnv.lan",
        "display_name": "Nguyễn Thị Lan",
        "role": "volunteer",
        "hamlet_ids": ["H1"],
        "active": False,
    },
]
NAMES = Directory.of(HAMLETS, USERS)


def _texts(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_hamlets_model(qapp):
    model = HamletsModel()
    model.set_items(HAMLETS, NAMES)
    assert model.columnCount() == 4 and model.headers[:2] == ["Ấp/thôn", "Số hộ"]
    assert _texts(model, 0) == ["Ấp Bình Minh", "12", "2", "Đang dùng"]
    assert _texts(model, 1)[3] == "Đã gộp vào Ấp Bình Minh"
    assert _texts(model, 2)[3] == "Đã ngừng dùng"
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(1, 2).data(Qt.ItemDataRole.ForegroundRole) == GREY
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole)
    assert model.index(1, 0).data(ITEM_ROLE)["id"] == "H2"
    assert [h["id"] for h in model.live()] == ["H1"] and model.row_of("H3") == 2


def test_users_model(qapp):
    model = UsersModel()
    model.self_id = "u1"
    model.set_items(USERS, NAMES)
    assert _texts(model, 0) == [
        "quantri (bạn)",
        "Võ Minh Quân",
        "Quản trị xã",
        "Cả xã",
        "Đang dùng",
    ]
    assert _texts(model, 1) == [
        "tnv.lan",
        "Nguyễn Thị Lan",
        "Tình nguyện viên",
        "Ấp Bình Minh",
        "Đã khóa",
    ]
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) == GREY


def test_audit_model_in_vietnam_time(qapp):
    entries = [
        {
            "at": "2026-12-06T17:05:00Z",  # 00:05 the next day in Vietnam
            "user_id": "u1",
            "action": "user.update",
            "target": "u2",
            "before": {"role": "leader", "hamlet_ids": [], "active": False},
            "after": {"role": "volunteer", "hamlet_ids": ["H1"], "active": True},
        },
        {
            "at": "2026-12-06T03:00:00Z",
            "user_id": None,
            "action": "hamlet.merge",
            "target": "H2",
            "before": {"name": "Ấp Tân Lập", "households": 3},
            "after": {"retired": True, "merged_into": "H1", "moved": 3, "users": ["u2"]},
        },
        {
            "at": "2026-12-06T03:00:00Z",
            "user_id": "u9",
            "action": "user.deactivate",
            "target": "u2",
            "before": {"active": True},
            "after": {"active": False, "tokens_revoked": 2},
        },
    ]
    model = AuditModel()
    model.set_items(entries, NAMES)
    assert _texts(model, 0) == [
        "07/12/2026 00:05",
        "Võ Minh Quân",
        "Mở khóa tài khoản",
        "Nguyễn Thị Lan (tnv.lan)",
        "Vai trò: Tổ trưởng → Tình nguyện viên; Ấp: (không có) → Ấp Bình Minh; Đã khóa → Đang dùng",
    ]
    assert _texts(model, 1) == [
        "06/12/2026 10:00",
        "Dòng lệnh trên máy chủ",
        "Gộp ấp",
        "Ấp Tân Lập",
        "“Ấp Tân Lập” → “Ấp Bình Minh”, chuyển 3 hộ",
    ]
    assert _texts(model, 2)[1:] == [
        "u9",  # a user of another time, no longer listed: the id, not nothing
        "Khóa tài khoản",
        "Nguyễn Thị Lan (tnv.lan)",
        "Đang dùng → Đã khóa; đăng xuất 2 phiên",
    ]
    assert vietnam_time("2026-01-01T00:00:00+00:00") == "01/01/2026 07:00"
    assert vietnam_time("not a time") == "not a time" and vietnam_time(None) == ""


def test_split_model_assigns_households(qapp):
    rows = [
        HouseholdRow(f"h{i}", f"Số {i}", f"Chủ {i}", i, None, "active", "H1") for i in (1, 2, 3)
    ]
    model = SplitModel(rows)
    model.set_names("Ở lại “Ấp Bình Minh”", ["Ấp Mới A", "Ấp Mới B"])
    assert _texts(model, 0) == ["Ở lại “Ấp Bình Minh”", "Số 1", "Chủ 1", "1"]
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    model.assign([0, 2], 1)
    assert model.setData(model.index(1, 0), 0)
    assert not model.setData(model.index(1, 0), 5)  # no such part
    assert model.households_of(0) == ["h2"] and model.households_of(1) == ["h1", "h3"]
    assert model.index(1, 0).data(Qt.ItemDataRole.EditRole) == 0
    model.set_names("Ở lại “Ấp Bình Minh”", ["Ấp Mới A"])  # part B taken away
    assert model.households_of(STAY) == ["h1", "h3"]


def test_refusals_read_as_sentences(qapp):
    def refused(code, status=409, **payload):
        return errors.Refused(code, "server words", status=status, payload=payload)

    assert error_text(refused("name_taken", hamlet_id="H1"), NAMES).startswith(
        "Xã đã có ấp “Ấp Bình Minh”"
    )
    assert "Hai ấp mới trùng tên" in error_text(refused("name_taken"), NAMES)
    assert error_text(refused("hamlet_not_empty", households=7), NAMES, "Ấp Cũ").startswith(
        "“Ấp Cũ” còn 7 hộ."
    )
    assert "Nguyễn Thị Lan (tnv.lan)" in error_text(
        refused("hamlet_has_volunteers", volunteers=["tnv.lan"]), NAMES, "Ấp Cũ"
    )
    left = error_text(refused("households_left", 422, households=2), NAMES, "Ấp Cũ")
    assert "còn 2 hộ chưa được chuyển" in left and "đồng bộ" in left
    bad_name = refused("invalid_request", 422, details=[{"field": "parts.1.name"}])
    assert error_text(bad_name) == "Tên ấp cần từ 1 đến 200 ký tự."
    assert "đồng bộ" in error_text(
        refused("invalid_request", 422, details=[{"field": "parts.0.households.3"}])
    )
    assert error_text(errors.Forbidden("only admins")).startswith(
        "Tài khoản của bạn không được làm việc này."
    )
    assert error_text(errors.NetworkError("down")) == errors.NetworkError.message_vi
    assert "không mong muốn" in error_text(RuntimeError("boom"))
    assert "(something_new: server words)" in error_text(refused("something_new"))


def test_every_text_of_the_app_has_an_english_entry():
    """self.tr("…") in a class (its context), and translate("Context", "…") and
    QT_TRANSLATE_NOOP("Context", "…"), in every module of desktop/ui: each found in
    resources/i18n/gocua_en.ts with a translation (English is the app's second language)."""
    import ast
    import xml.etree.ElementTree as ET

    from gocua.resources import resource_path

    root = ET.parse(resource_path("i18n", "gocua_en.ts")).getroot()
    english = {
        (c.findtext("name") or "", m.findtext("source")): m.findtext("translation")
        for c in root.iter("context")
        for m in c.iter("message")
    }
    ui = Path(__file__).resolve().parents[3] / "desktop" / "ui"
    wanted: set[tuple[str, str]] = set()
    for module in sorted(ui.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
            for call in [n for n in ast.walk(cls) if isinstance(n, ast.Call)]:
                func = call.func
                literal = bool(call.args) and isinstance(call.args[0], ast.Constant)
                if isinstance(func, ast.Attribute) and func.attr == "tr" and literal:
                    wanted.add((cls.name, call.args[0].value))
        for call in [n for n in ast.walk(tree) if isinstance(n, ast.Call)]:
            func = call.func
            named = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            literal = all(isinstance(a, ast.Constant) for a in call.args)
            if named in ("translate", "QT_TRANSLATE_NOOP") and len(call.args) >= 2 and literal:
                wanted.add((call.args[0].value, call.args[1].value))
    assert len(wanted) > 600
    missing = sorted(key for key in wanted if not english.get(key))
    assert not missing, missing
