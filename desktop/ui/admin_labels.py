"""What the commune administration window says: role and action names, times in Vietnam time,
audit entries summarised, and every refusal of the server as a plain Vietnamese sentence.

Vietnamese first, through ``QCoreApplication.translate`` in the context "AdminLabels".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication

from desktop.sync import errors
from desktop.sync.admin import COMMUNE_ADMIN, LEADER, VOLUNTEER

# Officials read times as the commune lives them, whatever the laptop's clock zone says.
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def translate(context: str, text: str) -> str:
    """``QCoreApplication.translate``, named so that pyside6-lupdate finds the texts."""
    return QCoreApplication.translate(context, text)


def quoted(name: str) -> str:
    return f"“{name}”"


def role_name(role: str | None) -> str:
    return {
        VOLUNTEER: translate("AdminLabels", "Tình nguyện viên"),
        LEADER: translate("AdminLabels", "Tổ trưởng"),
        COMMUNE_ADMIN: translate("AdminLabels", "Quản trị xã"),
        "province_viewer": translate("AdminLabels", "Cán bộ tỉnh"),
    }.get(role or "", role or "")


def vietnam_time(iso: str | None) -> str:
    """An ISO time of the server (UTC) as ``dd/mm/yyyy HH:MM`` in Vietnam time."""
    if not iso:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


@dataclass
class Directory:
    """Names for the ids the server answers with: hamlets (retired ones too) and users."""

    hamlets: dict[str, dict] = field(default_factory=dict)
    users: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def of(cls, hamlets: Iterable[dict], users: Iterable[dict]) -> Directory:
        return cls({h["id"]: h for h in hamlets}, {u["id"]: u for u in users})

    def hamlet(self, hamlet_id: str | None) -> str:
        found = self.hamlets.get(hamlet_id or "")
        return found["name"] if found else (hamlet_id or "")

    def hamlet_list(self, hamlet_ids: Iterable[str]) -> str:
        names = [self.hamlet(h) for h in hamlet_ids]
        return ", ".join(names) if names else translate("AdminLabels", "(không có)")

    def user(self, user_id: str | None) -> str:
        found = self.users.get(user_id or "")
        return found["display_name"] if found else (user_id or "")

    def by_username(self, username: str) -> str:
        for user in self.users.values():
            if user["username"] == username:
                return f"{user['display_name']} ({username})"
        return username


# -- the audit --------------------------------------------------------------------------------


def action_name(entry: dict) -> str:
    action = entry.get("action", "")
    if action == "user.update" and entry.get("after", {}).get("active") is True:
        return translate("AdminLabels", "Mở khóa tài khoản")
    return {
        "hamlet.create": translate("AdminLabels", "Thêm ấp"),
        "hamlet.rename": translate("AdminLabels", "Đổi tên ấp"),
        "hamlet.merge": translate("AdminLabels", "Gộp ấp"),
        "hamlet.split": translate("AdminLabels", "Tách ấp"),
        "hamlet.retire": translate("AdminLabels", "Ngừng dùng ấp"),
        "user.create": translate("AdminLabels", "Thêm người dùng"),
        "user.update": translate("AdminLabels", "Sửa người dùng"),
        "user.deactivate": translate("AdminLabels", "Khóa tài khoản"),
        "user.reset_password": translate("AdminLabels", "Đặt lại mật khẩu"),
    }.get(action, action)


def who_text(entry: dict, names: Directory) -> str:
    if entry.get("user_id") is None:
        return translate("AdminLabels", "Dòng lệnh trên máy chủ")
    return names.user(entry["user_id"])


def target_text(entry: dict, names: Directory) -> str:
    target = entry.get("target") or ""
    if entry.get("action", "").startswith("hamlet."):
        return names.hamlet(target)
    user = names.users.get(target)
    return f"{user['display_name']} ({user['username']})" if user else target


def _active(value) -> str:
    return translate("AdminLabels", "Đang dùng") if value else translate("AdminLabels", "Đã khóa")


def _signed_out(after: dict) -> str:
    revoked = int(after.get("tokens_revoked") or 0)
    return (
        translate("AdminLabels", "đăng xuất %1 phiên").replace("%1", str(revoked))
        if revoked
        else ""
    )


def change_text(entry: dict, names: Directory) -> str:
    """Before → after, in a line."""
    action = entry.get("action", "")
    before, after = entry.get("before") or {}, entry.get("after") or {}
    if action == "hamlet.create":
        return quoted(after.get("name", ""))
    if action == "hamlet.rename":
        return f"{quoted(before.get('name', ''))} → {quoted(after.get('name', ''))}"
    if action == "hamlet.merge":
        return (
            translate("AdminLabels", "%1 → %2, chuyển %3 hộ")
            .replace("%1", quoted(before.get("name", "")))
            .replace("%2", quoted(names.hamlet(after.get("merged_into"))))
            .replace("%3", str(after.get("moved", 0)))
        )
    if action == "hamlet.split":
        parts = ", ".join(
            translate("AdminLabels", "%1 (%2 hộ)")
            .replace("%1", quoted(part.get("name", "")))
            .replace("%2", str(part.get("households", 0)))
            for part in after.get("parts", [])
        )
        text = f"{quoted(before.get('name', ''))} → {parts}"
        if after.get("retired"):
            text += "; " + translate("AdminLabels", "ngừng dùng ấp cũ")
        return text
    if action == "hamlet.retire":
        return translate("AdminLabels", "%1 ngừng dùng").replace(
            "%1", quoted(before.get("name", ""))
        )
    if action == "user.create":
        text = f"{after.get('username', '')}, {role_name(after.get('role'))}"
        if after.get("hamlet_ids"):
            text += ", " + names.hamlet_list(after["hamlet_ids"])
        return text
    if action == "user.reset_password":
        return "; ".join(
            filter(None, [translate("AdminLabels", "mật khẩu mới"), _signed_out(after)])
        )
    if action in ("user.update", "user.deactivate"):
        said = []
        for key in ("display_name", "role", "hamlet_ids", "active"):
            if key not in after:
                continue
            old, new = before.get(key), after[key]
            if key == "display_name":
                said.append(
                    translate("AdminLabels", "Họ tên: %1 → %2")
                    .replace("%1", str(old))
                    .replace("%2", str(new))
                )
            elif key == "role":
                said.append(
                    translate("AdminLabels", "Vai trò: %1 → %2")
                    .replace("%1", role_name(old))
                    .replace("%2", role_name(new))
                )
            elif key == "hamlet_ids":
                said.append(
                    translate("AdminLabels", "Ấp: %1 → %2")
                    .replace("%1", names.hamlet_list(old or []))
                    .replace("%2", names.hamlet_list(new or []))
                )
            else:
                said.append(f"{_active(old)} → {_active(new)}")
        said.append(_signed_out(after))
        return "; ".join(filter(None, said))
    return ""


# -- what the server refused ------------------------------------------------------------------


def _field(exc: errors.Refused) -> str:
    details = exc.payload.get("details")
    if isinstance(details, list) and details and isinstance(details[0], dict):
        return str(details[0].get("field") or "")
    return ""


def error_text(exc: BaseException, names: Directory | None = None, hamlet: str = "") -> str:
    """Why a request failed, as the official reads it. ``hamlet``: the hamlet acted on."""
    names = names or Directory()
    if isinstance(exc, errors.Forbidden):
        return translate(
            "AdminLabels",
            "Tài khoản của bạn không được làm việc này. Chỉ quản trị xã quản lý người dùng và "
            "gộp, tách, đổi tên ấp; tổ trưởng xem và thêm ấp. Nếu cần, hãy nhờ quản trị xã.",
        )
    if isinstance(exc, errors.Unauthorized):
        return errors.Unauthorized.message_vi
    if not isinstance(exc, errors.Refused):
        message = getattr(exc, "message_vi", None)
        if message:
            return message
        return translate(
            "AdminLabels", "Đã xảy ra lỗi không mong muốn. Chưa có gì bị thay đổi trên máy này."
        )
    code, payload, where = (
        exc.code,
        exc.payload,
        quoted(hamlet) if hamlet else translate("AdminLabels", "Ấp này"),
    )
    if code == "name_taken":
        if payload.get("hamlet_id"):
            return translate(
                "AdminLabels",
                "Xã đã có ấp %1: tên này trùng với nó khi không tính dấu và chữ hoa. "
                "Hãy đặt tên khác.",
            ).replace("%1", quoted(names.hamlet(payload["hamlet_id"])))
        return translate(
            "AdminLabels",
            "Hai ấp mới trùng tên nhau (không tính dấu và chữ hoa). Hãy đặt tên khác nhau.",
        )
    if code == "hamlet_not_empty":
        return (
            translate(
                "AdminLabels",
                "%1 còn %2 hộ. Hãy gộp hoặc tách ấp để chuyển các hộ đi trước khi ngừng dùng.",
            )
            .replace("%1", where)
            .replace("%2", str(payload.get("households", "?")))
        )
    if code == "hamlet_has_volunteers":
        people = [names.by_username(u) for u in payload.get("volunteers", [])]
        return (
            translate(
                "AdminLabels",
                "%1 là ấp duy nhất của %2 tình nguyện viên: %3. Hãy giao cho họ ấp khác "
                "(thẻ Người dùng, nút Sửa) trước khi ngừng dùng.",
            )
            .replace("%1", where)
            .replace("%2", str(len(people)))
            .replace("%3", ", ".join(people))
        )
    if code == "households_left":
        return (
            translate(
                "AdminLabels",
                "Trên máy chủ, %1 còn %2 hộ chưa được chuyển sang ấp mới nào, nên chưa thể "
                "ngừng dùng ấp cũ. Có thể máy này chưa nhận đủ các hộ: hãy đồng bộ rồi thử lại.",
            )
            .replace("%1", where)
            .replace("%2", str(payload.get("households", "?")))
        )
    if code == "hamlet_retired":
        return translate(
            "AdminLabels", "Ấp này đã ngừng dùng (có thể vừa có người gộp hoặc tách nó)."
        )
    if code == "same_hamlet":
        return translate("AdminLabels", "Không thể gộp một ấp vào chính nó.")
    if code == "unknown_area":
        return translate("AdminLabels", "Ấp được chọn không phải là một ấp của xã.")
    if code == "username_taken":
        return translate(
            "AdminLabels",
            "Tên đăng nhập này đã có người dùng (không phân biệt chữ hoa). Hãy chọn tên khác.",
        )
    if code == "cannot_change_self":
        return translate(
            "AdminLabels",
            "Bạn không thể đổi vai trò hay khóa tài khoản của chính mình. "
            "Hãy nhờ một quản trị xã khác.",
        )
    if code == "not_found":
        return translate(
            "AdminLabels",
            "Máy chủ không còn thấy mục này (có thể vừa bị thay đổi). Hãy bấm Làm mới.",
        )
    if code == "id_taken":
        return translate(
            "AdminLabels", "Mã ấp này đã được dùng. Hãy để trống để máy chủ tự đặt mã."
        )
    if code == "invalid_request":
        field_name = _field(exc)
        if field_name == "name" or field_name.endswith(".name"):
            return translate("AdminLabels", "Tên ấp cần từ 1 đến 200 ký tự.")
        if field_name == "username":
            return translate(
                "AdminLabels",
                "Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số và các dấu . _ @ -, "
                "bắt đầu bằng chữ hoặc số, tối đa 100 ký tự.",
            )
        if field_name == "display_name":
            return translate("AdminLabels", "Họ tên cần từ 1 đến 200 ký tự.")
        if field_name == "hamlet_ids":
            return translate(
                "AdminLabels",
                "Tình nguyện viên cần ít nhất một ấp đang dùng; tổ trưởng và quản trị xã "
                "không được giao ấp.",
            )
        if ".households." in field_name:
            return translate(
                "AdminLabels",
                "Một số hộ trong danh sách đã thay đổi trên máy chủ (bị xóa hoặc đã chuyển "
                "ấp). Hãy đồng bộ rồi mở lại.",
            )
    return translate("AdminLabels", "Máy chủ không nhận yêu cầu này (%1).").replace("%1", str(exc))
