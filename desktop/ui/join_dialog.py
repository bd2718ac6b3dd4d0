"""Joining a profile made offline to the commune on the server (desktop.sync.join).

The profile's hamlets, as the volunteer typed them, beside the server's: each matched by folded
name where one server hamlet has the same name, and the user changes any match in its combo
box: another server hamlet, "Tạo ấp mới trên máy chủ" (leaders and commune admins), or "Chưa
ghép" (the hamlet's rows stay on this laptop, held, until a later join). "Ghép và đồng bộ"
joins in one transaction (off the GUI thread) and syncs.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.sync.join import JoinPlan, JoinResult
from desktop.sync.session import SyncSession
from desktop.ui.buttons import make_primary
from desktop.ui.errors import user_message
from desktop.ui.tasks import IO, tasks

CREATE = "__create__"  # the combo's data for "create it on the server"
ERROR_STYLE = "color: #b00020;"
NOTICE_STYLE = "color: #8a5300;"


class JoinDialog(QDialog):
    """Emits :attr:`joined` with the :class:`JoinResult` once the join is written."""

    joined = Signal(object)

    def __init__(self, session: SyncSession, plan: JoinPlan, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.plan = plan
        self.busy = False
        self.result_info: JoinResult | None = None
        self.setObjectName("join_dialog")
        self.setWindowTitle(self.tr("Ghép hồ sơ với xã trên máy chủ"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        if plan.first_join:
            text = self.tr(
                "Hồ sơ này được tạo khi chưa có mạng. Trước khi gửi dữ liệu lên máy chủ, hãy "
                "ghép mỗi ấp/thôn bạn đã nhập với ấp/thôn trên máy chủ của %1. Chưa có gì được "
                "gửi đi."
            ).replace("%1", plan.commune_name)
        else:
            text = self.tr(
                "Một số ấp/thôn của hồ sơ chưa được ghép với máy chủ của %1; dữ liệu của chúng "
                "vẫn nằm trên máy này. Ghép ngay bây giờ để gửi lên."
            ).replace("%1", plan.commune_name)
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if plan.first_join:
            communes = QLabel(
                self.tr("Xã của hồ sơ: <b>%1</b> → xã trên máy chủ: <b>%2</b>")
                .replace("%1", _escape(plan.local_commune_name or ""))
                .replace("%2", _escape(plan.commune_name))
            )
            communes.setObjectName("communes")
            layout.addWidget(communes)

        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        for column, title in enumerate(
            (self.tr("Ấp/thôn trên máy này"), self.tr("Số hộ"), self.tr("Ghép với ấp trên máy chủ"))
        ):
            label = QLabel(f"<b>{title}</b>")
            grid.addWidget(label, 0, column)
        self.combos: dict[str, QComboBox] = {}
        for row, hamlet in enumerate(plan.hamlets, start=1):
            name = QLabel(hamlet.name)
            grid.addWidget(name, row, 0)
            grid.addWidget(QLabel(str(hamlet.households)), row, 1, Qt.AlignmentFlag.AlignRight)
            combo = QComboBox()
            combo.setObjectName(f"match_{hamlet.id}")
            for server in plan.server_hamlets:
                combo.addItem(server.name, server.id)
            if plan.can_create:
                combo.addItem(
                    self.tr("Tạo ấp mới trên máy chủ: “%1”").replace("%1", hamlet.name), CREATE
                )
            combo.addItem(self.tr("Chưa ghép (giữ lại trên máy này)"), None)
            if hamlet.match is not None:
                combo.setCurrentIndex(combo.findData(hamlet.match))
            elif plan.can_create:
                combo.setCurrentIndex(combo.findData(CREATE))
            else:
                combo.setCurrentIndex(combo.count() - 1)
            name.setBuddy(combo)
            grid.addWidget(combo, row, 2)
            self.combos[hamlet.id] = combo
        holder = QWidget()
        holder.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setMaximumHeight(60 + 38 * min(len(plan.hamlets), 8))
        layout.addWidget(scroll)
        if not plan.can_create:
            note = QLabel(
                self.tr(
                    "Ấp chưa có trên máy chủ: nhờ tổ trưởng hoặc cán bộ xã thêm ấp đó, rồi ghép "
                    "lại (menu Đồng bộ › Ghép ấp với máy chủ…)."
                )
            )
            note.setWordWrap(True)
            note.setStyleSheet("color: #555555;")
            layout.addWidget(note)

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.later_button = QPushButton(self.tr("Để sau"))
        self.later_button.setObjectName("later")
        self.later_button.clicked.connect(self.reject)
        self.join_button = QPushButton(self.tr("Ghép và đồng bộ"))
        self.join_button.setObjectName("join")
        self.join_button.clicked.connect(self.submit)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.join_button)
        layout.addLayout(buttons)
        make_primary(self, self.join_button)
        first = next(iter(self.combos.values()), None)
        (first or self.join_button).setFocus()

    def choices(self) -> tuple[dict[str, str | None], tuple[str, ...]]:
        """The mapping (local id → server id or None) and the local ids to create."""
        mapping: dict[str, str | None] = {}
        create: list[str] = []
        for local_id, combo in self.combos.items():
            value = combo.currentData()
            if value == CREATE:
                create.append(local_id)
                mapping[local_id] = None
            else:
                mapping[local_id] = value
        return mapping, tuple(create)

    def submit(self) -> None:
        if self.busy:
            return
        mapping, create = self.choices()
        self.busy = True
        for widget in (*self.combos.values(), self.join_button, self.later_button):
            widget.setEnabled(False)
        self.message.setStyleSheet(NOTICE_STYLE)
        self.message.setText(self.tr("Đang ghép…"))
        session, plan = self.session, self.plan
        tasks().run(
            lambda: session.join(plan, mapping, create),
            done=self._joined,
            failed=self._failed,
            owner=self,
            lane=IO,
        )

    def _joined(self, result: JoinResult) -> None:
        self.busy = False
        self.result_info = result
        self.joined.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        for widget in (*self.combos.values(), self.join_button, self.later_button):
            widget.setEnabled(True)
        self.message.setStyleSheet(ERROR_STYLE)
        text = getattr(exc, "message_vi", None) or user_message(exc)
        code = getattr(exc, "code", None)
        if code == "name_taken":
            text = self.tr(
                "Máy chủ đã có một ấp trùng tên. Hãy chọn ấp đó trong danh sách thay vì tạo mới."
            )
        elif code == "forbidden" or type(exc).__name__ == "Forbidden":
            text = self.tr("Tài khoản này không được tạo ấp mới. Hãy chọn một ấp có sẵn.")
        self.message.setText(text)
        self.join_button.setFocus()

    def reject(self) -> None:
        if not self.busy:
            super().reject()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
