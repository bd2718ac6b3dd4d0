"""The small dialogs of the commune administration window: a hamlet's name, a merge, a split,
a user, a confirmation, and the dialog that shows a password once.

Each sends its one request off the GUI thread and stays open until the server answered: a
refusal is shown in it as a Vietnamese sentence, the fields kept, so the official corrects and
tries again. While a request runs the dialog cannot be closed (the change would happen with
nobody told). Enter presses the dialog's primary button only (desktop.ui.buttons).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QCloseEvent, QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.store.queries import HouseholdRow, hamlet_households
from desktop.sync.admin import ROLES, VOLUNTEER
from desktop.ui.admin_labels import quoted, role_name
from desktop.ui.admin_models import STAY, SplitModel
from desktop.ui.buttons import make_primary
from desktop.ui.tasks import IO, tasks
from gocua.text import normalize_name

if TYPE_CHECKING:
    from desktop.ui.admin_window import AdminWindow

ERROR_STYLE = "color: #b00020;"
NOTICE_STYLE = "color: #555555;"
DONE_STYLE = "color: #1b7f3b;"
NAME_MAX = 200
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")


def _wrapped(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    return label


class ServerDialog(QDialog):
    """Fields, a message line, the primary button and "Hủy"; :meth:`send` runs the request."""

    def __init__(self, window: AdminWindow, title: str, ok_text: str, enter_sends: bool = True):
        super().__init__(window)
        self.admin = window
        self.enter_sends = enter_sends
        self.busy = False
        self.inputs: list[QWidget] = []
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(520)
        self.outer = QVBoxLayout(self)
        self.content = QVBoxLayout()
        self.outer.addLayout(self.content, 1)
        self.message = _wrapped(name="message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        # An AcceptRole button is made the default by the button box when it is shown, unless
        # another one is: a dialog where Enter sends nothing gives its button another role.
        role = QDialogButtonBox.ButtonRole.AcceptRole
        if not enter_sends:
            role = QDialogButtonBox.ButtonRole.ActionRole
        self.ok_button = self.buttons.addButton(ok_text, role)
        self.ok_button.setObjectName("ok")
        if not enter_sends:
            self.ok_button.clicked.connect(lambda _=False: self.submit())
        self.cancel_button = self.buttons.addButton(
            self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setObjectName("cancel")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def finish(self) -> None:
        """After the subclass added its content: the message, the buttons, Enter's button."""
        self.outer.addWidget(self.message)
        self.outer.addWidget(self.buttons)
        make_primary(self, self.ok_button if self.enter_sends else None)

    # -- requests -------------------------------------------------------------------------

    def submit(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def send(self, work: Callable[[], Any], on_done: Callable[[Any], None], hamlet: str = ""):
        """``work`` off the GUI thread; ``on_done(answer)`` here; a failure is shown here."""
        if self.busy:
            return None
        self._set_busy(True)
        self.show_notice(self.tr("Đang gửi lên máy chủ…"))
        return tasks().run(
            work,
            done=lambda answer: self._answered(on_done, answer),
            failed=lambda exc: self._failed(exc, hamlet),
            owner=self,
            lane=IO,
        )

    def _answered(self, on_done: Callable[[Any], None], answer: Any) -> None:
        self._set_busy(False)
        self.message.clear()
        on_done(answer)

    def _failed(self, exc: BaseException, hamlet: str) -> None:
        self._set_busy(False)
        self.show_error(self.admin.error_text(exc, hamlet))
        self.admin.request_failed(exc)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.set_inputs_enabled(not busy)
        self.ok_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        if not busy and self.inputs and self.inputs[0].isEnabled():
            self.inputs[0].setFocus()

    def set_inputs_enabled(self, enabled: bool) -> None:
        for widget in self.inputs:
            widget.setEnabled(enabled)

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def show_notice(self, text: str) -> None:
        self.message.setStyleSheet(NOTICE_STYLE)
        self.message.setText(text)

    # -- closing --------------------------------------------------------------------------

    def reject(self) -> None:
        if not self.busy:  # Esc or "Hủy" during a request: the answer must still be shown
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)


# -- hamlets ----------------------------------------------------------------------------------


class HamletNameDialog(ServerDialog):
    """Add a hamlet (``hamlet`` None) or rename one. Enter in the name field sends it."""

    def __init__(self, window: AdminWindow, hamlet: dict | None = None):
        adding = hamlet is None
        super().__init__(
            window,
            self.tr("Thêm ấp/thôn") if adding else self.tr("Đổi tên ấp/thôn"),
            self.tr("&Thêm ấp") if adding else self.tr("Đổi &tên"),
        )
        self.hamlet = hamlet
        self.setObjectName("hamlet_name_dialog")
        if adding:
            intro = self.tr(
                "Tên ấp/thôn mới của %1. Tên không được trùng với một ấp đang dùng "
                "(không tính dấu và chữ hoa)."
            ).replace("%1", window.commune_name())
        else:
            intro = self.tr(
                "Tên mới cho %1. Các hộ, người phụ trách và báo cáo vẫn theo ấp này, dưới tên mới."
            ).replace("%1", quoted(hamlet["name"]))
        self.content.addWidget(_wrapped(intro, "intro"))
        form = QFormLayout()
        self.name = QLineEdit("" if adding else hamlet["name"])
        self.name.setObjectName("name")
        self.name.setMaxLength(NAME_MAX)
        self.name.setPlaceholderText(self.tr("Ví dụ: Ấp Bình Minh"))
        self.name.selectAll()
        form.addRow(self.tr("&Tên ấp/thôn:"), self.name)
        self.content.addLayout(form)
        self.inputs = [self.name]
        self.finish()
        self.name.setFocus()

    def submit(self) -> None:
        name = normalize_name(self.name.text())
        if not name:
            self.show_error(self.tr("Hãy nhập tên ấp/thôn."))
            self.name.setFocus()
            return
        api = self.admin.api
        if self.hamlet is None:
            self.send(lambda: api.create_hamlet(name), self._added)
            return
        if name == self.hamlet["name"]:
            self.accept()
            return
        hamlet_id, old = self.hamlet["id"], self.hamlet["name"]
        self.send(lambda: api.rename_hamlet(hamlet_id, name), self._renamed, hamlet=old)

    def _added(self, hamlet: dict) -> None:
        self.admin.changed(
            self.tr("Đã thêm %1.").replace("%1", quoted(hamlet["name"])), ("hamlet", hamlet["id"])
        )
        self.accept()

    def _renamed(self, hamlet: dict) -> None:
        self.admin.changed(
            self.tr("Đã đổi tên %1 thành %2.")
            .replace("%1", quoted(self.hamlet["name"]))
            .replace("%2", quoted(hamlet["name"])),
            ("hamlet", hamlet["id"]),
        )
        self.accept()


class MergeDialog(ServerDialog):
    """Pick the hamlet that takes the households, then confirm: how many households move,
    and that past reports keep the old name."""

    def __init__(self, window: AdminWindow, hamlet: dict, targets: list[dict]):
        super().__init__(window, self.tr("Gộp ấp/thôn"), self.tr("&Tiếp tục…"))
        self.hamlet = hamlet
        self.confirming = False
        self.setObjectName("merge_dialog")
        self.content.addWidget(
            _wrapped(
                self.tr("Gộp %1 (%2 hộ) vào ấp nào?")
                .replace("%1", quoted(hamlet["name"]))
                .replace("%2", str(hamlet["households"])),
                "intro",
            )
        )
        form = QFormLayout()
        self.target = QComboBox()
        self.target.setObjectName("target")
        self.target.addItem(self.tr("— Chọn ấp nhận các hộ —"), None)
        for target in targets:
            self.target.addItem(target["name"], target["id"])
        form.addRow(self.tr("Gộp &vào:"), self.target)
        self.content.addLayout(form)
        self.confirmation = _wrapped(name="confirmation")
        self.confirmation.setStyleSheet(
            "QLabel { background: #fff6e0; border: 1px solid #e0c070; padding: 8px; }"
        )
        self.confirmation.hide()
        self.content.addWidget(self.confirmation)
        self.back_button = self.buttons.addButton(
            self.tr("&Quay lại"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.back_button.setObjectName("back")
        self.back_button.clicked.connect(self.back)
        self.back_button.hide()
        self.inputs = [self.target]
        self.finish()
        self.target.setFocus()

    def confirmation_text(self, target_name: str) -> str:
        old, new = quoted(self.hamlet["name"]), quoted(target_name)
        return (
            self.tr(
                "Gộp %1 vào %2:\n"
                "• %3 hộ của %1 chuyển sang %2, trên máy chủ và trên mọi máy sau lần đồng bộ "
                "tới.\n"
                "• Người phụ trách %1 sẽ phụ trách %2.\n"
                "• %1 ngừng được dùng. Báo cáo của các kỳ trước vẫn giữ tên %1 "
                "và các hộ của nó.\n"
                "Không thể hoàn tác việc gộp."
            )
            .replace("%1", old)
            .replace("%2", new)
            .replace("%3", str(self.hamlet["households"]))
        )

    def submit(self) -> None:
        target_id = self.target.currentData()
        if not target_id:
            self.show_error(self.tr("Hãy chọn ấp sẽ nhận các hộ."))
            self.target.setFocus()
            return
        if not self.confirming:
            self.confirming = True
            self.target.setEnabled(False)
            self.confirmation.setText(self.confirmation_text(self.target.currentText()))
            self.confirmation.show()
            self.message.clear()
            self.ok_button.setText(self.tr("&Gộp ấp"))
            self.back_button.show()
            self.ok_button.setFocus()
            return
        api, hamlet_id = self.admin.api, self.hamlet["id"]
        self.send(lambda: api.merge_hamlet(hamlet_id, target_id), self._merged, self.hamlet["name"])

    def back(self) -> None:
        if self.busy:
            return
        self.confirming = False
        self.confirmation.hide()
        self.back_button.hide()
        self.message.clear()
        self.ok_button.setText(self.tr("&Tiếp tục…"))
        self.target.setEnabled(True)
        self.target.setFocus()

    def set_inputs_enabled(self, enabled: bool) -> None:
        self.target.setEnabled(enabled and not self.confirming)
        self.back_button.setEnabled(enabled)

    def _merged(self, answer: dict) -> None:
        self.admin.changed(
            self.tr("Đã gộp %1 vào %2: chuyển %3 hộ.")
            .replace("%1", quoted(self.hamlet["name"]))
            .replace("%2", quoted(answer["hamlet"]["name"]))
            .replace("%3", str(answer["moved"])),
            ("hamlet", self.hamlet["id"]),
        )
        self.accept()


class _DestinationDelegate(QStyledItemDelegate):
    """A combo in the "Chuyển sang" column: stay, or one of the new hamlets."""

    def __init__(self, model: SplitModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model

    def createEditor(self, parent: QWidget, _option, _index: QModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.addItem(self.model.stay_text, STAY)
        for number, name in enumerate(self.model.part_names):
            combo.addItem(name, number)
        combo.activated.connect(lambda _i, c=combo: self._chosen(c))
        return combo

    def _chosen(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class SplitDialog(ServerDialog):
    """New hamlets carved out of one: their names, which households go to each (a combo per
    row, or several rows at once), and whether the old hamlet is retired."""

    MAX_PARTS = 10

    def __init__(self, window: AdminWindow, hamlet: dict):
        # A split cannot be undone and has no confirmation step of its own: Enter presses
        # nothing here (in a name it goes on to the list); "Tách ấp" is a click, Space or
        # Alt+T, with the summary above it.
        super().__init__(window, self.tr("Tách ấp/thôn"), self.tr("&Tách ấp"), enter_sends=False)
        self.hamlet = hamlet
        self.loaded = False
        self.setObjectName("split_dialog")
        self.resize(900, 640)
        name = quoted(hamlet["name"])
        self.content.addWidget(
            _wrapped(
                self.tr(
                    "Tách %1 (%2 hộ trên máy chủ): đặt tên cho các ấp mới, rồi chọn hộ nào "
                    "chuyển sang ấp nào. Hộ không được chọn ở lại %1. Người phụ trách %1 sẽ "
                    "phụ trách cả các ấp mới; có thể thu hẹp sau ở thẻ Người dùng."
                )
                .replace("%1", name)
                .replace("%2", str(hamlet["households"])),
                "intro",
            )
        )
        self.parts_grid = QGridLayout()
        self.content.addLayout(self.parts_grid)
        self.part_edits: list[QLineEdit] = []
        self.add_part_button = QPushButton(self.tr("Thêm một ấp &mới"))
        self.add_part_button.setObjectName("add_part")
        self.add_part_button.clicked.connect(lambda: self.add_part(focus=True))

        self.model = SplitModel([], self)
        self.view = QTableView()
        self.view.setObjectName("households")
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(0, _DestinationDelegate(self.model, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.setToolTip(
            self.tr(
                "Chọn nhiều hộ bằng Shift hoặc Ctrl rồi bấm Chuyển; hoặc bấm đúp (hay F2) vào "
                "cột “Chuyển sang” của một hộ."
            )
        )
        self.content.addWidget(self.view, 1)

        assign = QHBoxLayout()
        assign_label = QLabel(self.tr("Chuyển các hộ đang &chọn sang:"))
        self.assign_target = QComboBox()
        self.assign_target.setObjectName("assign_target")
        self.assign_target.setMinimumContentsLength(18)
        assign_label.setBuddy(self.assign_target)
        self.assign_button = QPushButton(self.tr("Chu&yển"))
        self.assign_button.setObjectName("assign")
        self.assign_button.clicked.connect(self.assign_selected)
        assign.addWidget(assign_label)
        assign.addWidget(self.assign_target, 1)
        assign.addWidget(self.assign_button)
        assign.addStretch(1)
        assign.addWidget(self.add_part_button)
        self.content.addLayout(assign)

        self.retire = QCheckBox(
            self.tr("&Ngừng dùng %1 sau khi tách (mọi hộ phải chuyển sang ấp mới)").replace(
                "%1", name
            )
        )
        self.retire.setObjectName("retire")
        self.retire.toggled.connect(lambda _on: self.update_summary())
        self.content.addWidget(self.retire)
        self.summary = _wrapped(name="summary")
        self.content.addWidget(self.summary)
        self.finish()
        self.add_part()
        self.inputs = [
            self.view,
            self.assign_target,
            self.assign_button,
            self.add_part_button,
            self.retire,
        ]
        self.model.dataChanged.connect(lambda *_: self.update_summary())
        self.set_inputs_enabled(False)
        self.ok_button.setEnabled(False)
        self.show_notice(self.tr("Đang đọc danh sách hộ trên máy này…"))
        store = window.controller.store
        tasks().run(
            partial(store.query, hamlet_households, hamlet["id"]),
            done=self._households_loaded,
            failed=self._households_failed,
            owner=self,
        )

    # -- the parts ------------------------------------------------------------------------

    def add_part(self, focus: bool = False) -> QLineEdit:
        number = len(self.part_edits) + 1
        edit = QLineEdit()
        edit.setObjectName(f"part_{number}")
        edit.setMaxLength(NAME_MAX)
        edit.setPlaceholderText(self.tr("Tên ấp mới"))
        edit.textChanged.connect(lambda _text: self.names_changed())
        edit.returnPressed.connect(self.view.setFocus)
        label = QLabel(self.tr("Ấp mới %1:").replace("%1", str(number)))
        label.setBuddy(edit)
        row = len(self.part_edits)
        self.parts_grid.addWidget(label, row // 2, (row % 2) * 2)
        self.parts_grid.addWidget(edit, row // 2, (row % 2) * 2 + 1)
        self.part_edits.append(edit)
        self.add_part_button.setEnabled(len(self.part_edits) < self.MAX_PARTS)
        self.names_changed()
        if focus:
            edit.setFocus()
        return edit

    def set_inputs_enabled(self, enabled: bool) -> None:
        super().set_inputs_enabled(enabled)
        for edit in self.part_edits:
            edit.setEnabled(enabled)
        self.add_part_button.setEnabled(enabled and len(self.part_edits) < self.MAX_PARTS)

    def part_name(self, number: int) -> str:
        typed = normalize_name(self.part_edits[number].text())
        return typed or self.tr("Ấp mới %1").replace("%1", str(number + 1))

    def names_changed(self) -> None:
        names = [self.part_name(n) for n in range(len(self.part_edits))]
        stay = self.tr("Ở lại %1").replace("%1", quoted(self.hamlet["name"]))
        self.model.set_names(stay, names)
        current = self.assign_target.currentIndex()
        self.assign_target.clear()
        self.assign_target.addItem(stay, STAY)
        for number, name in enumerate(names):
            self.assign_target.addItem(name, number)
        self.assign_target.setCurrentIndex(current if current > 0 else min(1, len(names)))
        self.update_summary()

    # -- households -----------------------------------------------------------------------

    def _households_loaded(self, households: list[HouseholdRow]) -> None:
        self.loaded = True
        self.model.set_households(households)
        self.set_inputs_enabled(True)
        self.ok_button.setEnabled(True)
        self.message.clear()
        self.update_summary()
        self.part_edits[0].setFocus()

    def _households_failed(self, exc: BaseException) -> None:
        self.show_error(self.admin.error_text(exc))

    def assign_selected(self) -> None:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        if not rows:
            self.show_error(self.tr("Hãy chọn một hoặc nhiều hộ trong danh sách trước."))
            self.view.setFocus()
            return
        self.message.clear()
        self.model.assign(rows, self.assign_target.currentData())

    def update_summary(self) -> None:
        if not self.loaded:
            self.summary.clear()
            return
        if not self.busy and self.message.styleSheet() == ERROR_STYLE:
            self.message.clear()  # said of what has just been changed
        name = quoted(self.hamlet["name"])
        staying = len(self.model.households_of(STAY))
        moving = self.model.rowCount() - staying
        used = sum(1 for n in range(len(self.part_edits)) if self.model.households_of(n))
        text = (
            self.tr("Sẽ tạo %1 ấp mới và chuyển %2 hộ sang đó; %3 hộ ở lại %4.")
            .replace("%1", str(used))
            .replace("%2", str(moving))
            .replace("%3", str(staying))
            .replace("%4", name)
        )
        if self.retire.isChecked():
            text += " " + self.tr("%1 sẽ ngừng dùng.").replace("%1", name)
            if staying:
                text += " " + self.tr("Hãy chuyển nốt %1 hộ còn lại.").replace("%1", str(staying))
        local, remote = self.model.rowCount(), int(self.hamlet["households"])
        if local < remote:
            text += "\n" + self.tr(
                "Máy này mới có %1 trong %2 hộ của %3 trên máy chủ: hãy đồng bộ để thấy đủ."
            ).replace("%1", str(local)).replace("%2", str(remote)).replace("%3", name)
        self.summary.setText(text)

    def parts(self) -> list[dict] | None:
        """The request's parts, or None after saying what is missing."""
        parts = []
        for number, edit in enumerate(self.part_edits):
            typed = normalize_name(edit.text())
            households = self.model.households_of(number)
            if not typed and not households:
                continue  # an unused line
            if not typed:
                self.show_error(
                    self.tr("Hãy đặt tên cho ấp mới %1.").replace("%1", str(number + 1))
                )
                edit.setFocus()
                return None
            if not households:
                self.show_error(
                    self.tr(
                        "Chưa có hộ nào chuyển sang %1. Hãy chọn hộ cho ấp này, hoặc xóa tên của nó."
                    ).replace("%1", quoted(typed))
                )
                self.view.setFocus()
                return None
            parts.append({"name": typed, "households": households})
        if not parts:
            self.show_error(self.tr("Hãy đặt tên ít nhất một ấp mới và chọn hộ chuyển sang đó."))
            self.part_edits[0].setFocus()
            return None
        return parts

    def submit(self) -> None:
        if not self.loaded or self.busy:
            return
        parts = self.parts()
        if parts is None:
            return
        retire = self.retire.isChecked()
        staying = len(self.model.households_of(STAY))
        if retire and staying:
            self.show_error(
                self.tr(
                    "Còn %1 hộ ở lại %2. Muốn ngừng dùng ấp cũ thì mọi hộ phải chuyển sang ấp mới."
                )
                .replace("%1", str(staying))
                .replace("%2", quoted(self.hamlet["name"]))
            )
            self.view.setFocus()
            return
        api, hamlet_id = self.admin.api, self.hamlet["id"]
        self.send(
            lambda: api.split_hamlet(hamlet_id, parts, retire), self._split, self.hamlet["name"]
        )

    def _split(self, answer: dict) -> None:
        made = answer["hamlets"]
        self.admin.changed(
            self.tr("Đã tách %1: tạo %2, chuyển %3 hộ.")
            .replace("%1", quoted(self.hamlet["name"]))
            .replace("%2", ", ".join(quoted(h["name"]) for h in made))
            .replace("%3", str(answer["moved"])),
            ("hamlet", made[0]["id"] if made else self.hamlet["id"]),
        )
        self.accept()


# -- confirmations ----------------------------------------------------------------------------


class ConfirmDialog(ServerDialog):
    """A sentence that says what will happen, and the button that makes it happen."""

    def __init__(
        self,
        window: AdminWindow,
        title: str,
        text: str,
        ok_text: str,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        hamlet: str = "",
    ):
        super().__init__(window, title, ok_text)
        self.setObjectName("confirm_dialog")
        self.work, self.on_done, self.hamlet = work, on_done, hamlet
        self.text = _wrapped(text, "text")
        self.content.addWidget(self.text)
        self.finish()
        self.ok_button.setFocus()

    def submit(self) -> None:
        self.send(self.work, self._done, self.hamlet)

    def _done(self, answer: Any) -> None:
        self.on_done(answer)
        self.accept()


# -- users ------------------------------------------------------------------------------------


class UserDialog(ServerDialog):
    """Add a user (``user`` None) or change one's name, role and hamlets."""

    def __init__(self, window: AdminWindow, user: dict | None, hamlets: list[dict]):
        adding = user is None
        super().__init__(
            window,
            self.tr("Thêm người dùng") if adding else self.tr("Sửa người dùng"),
            self.tr("&Thêm người dùng") if adding else self.tr("&Lưu"),
        )
        self.user = user
        self.setObjectName("user_dialog")
        self.resize(560, 520)
        form = QFormLayout()
        self.username = QLineEdit("" if adding else user["username"])
        self.username.setObjectName("username")
        self.username.setMaxLength(100)
        self.username.setPlaceholderText(self.tr("Ví dụ: tnv.lan (không dấu, không cách)"))
        self.username.setReadOnly(not adding)
        self.display_name = QLineEdit("" if adding else user["display_name"])
        self.display_name.setObjectName("display_name")
        self.display_name.setMaxLength(NAME_MAX)
        self.display_name.setPlaceholderText(self.tr("Ví dụ: Nguyễn Thị Lan"))
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in ROLES:
            self.role.addItem(role_name(role), role)
        self.role.setCurrentIndex(max(self.role.findData(VOLUNTEER if adding else user["role"]), 0))
        self.hamlets = QListWidget()
        self.hamlets.setObjectName("hamlets")
        self.hamlets.setStyleSheet("QListWidget::item { padding: 3px 2px; }")  # room for "Ấ"
        assigned = set() if adding else set(user["hamlet_ids"])
        for hamlet in hamlets:
            item = QListWidgetItem(hamlet["name"])
            item.setData(Qt.ItemDataRole.UserRole, hamlet["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = hamlet["id"] in assigned
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.hamlets.addItem(item)
        form.addRow(self.tr("Tên đă&ng nhập:"), self.username)
        form.addRow(self.tr("&Họ tên:"), self.display_name)
        form.addRow(self.tr("&Vai trò:"), self.role)
        form.addRow(self.tr("Ấp/thôn &phụ trách:"), self.hamlets)
        self.content.addLayout(form)
        self.role_note = _wrapped(name="role_note")
        self.role_note.setStyleSheet(NOTICE_STYLE)
        self.content.addWidget(self.role_note)
        self.is_self = not adding and user["id"] == window.self_id()
        if self.is_self:
            self.role.setToolTip(self.tr("Bạn không thể đổi vai trò của chính mình."))
        self.role.currentIndexChanged.connect(lambda _i: self.role_changed())
        self.inputs = [self.display_name, self.role, self.hamlets]
        if adding:
            self.inputs.insert(0, self.username)
        self.finish()
        self.role_changed()
        self.inputs[0].setFocus()

    def current_role(self) -> str:
        return self.role.currentData()

    def checked_hamlets(self) -> list[str]:
        return [
            self.hamlets.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.hamlets.count())
            if self.hamlets.item(row).checkState() == Qt.CheckState.Checked
        ]

    def role_changed(self) -> None:
        volunteer = self.current_role() == VOLUNTEER
        self.hamlets.setEnabled(volunteer and not self.busy)
        if volunteer:
            text = self.tr("Tình nguyện viên thấy và ghi các hộ của những ấp được đánh dấu.")
        else:
            text = self.tr("%1 thấy cả xã; không cần chọn ấp.").replace(
                "%1", role_name(self.current_role())
            )
        if self.is_self:
            text += " " + self.tr("Bạn không thể đổi vai trò của chính mình.")
        self.role_note.setText(text)

    def set_inputs_enabled(self, enabled: bool) -> None:
        super().set_inputs_enabled(enabled)
        self.role.setEnabled(enabled and not self.is_self)
        self.hamlets.setEnabled(enabled and self.current_role() == VOLUNTEER)

    def submit(self) -> None:
        username = self.username.text().strip()
        display_name = normalize_name(self.display_name.text())
        role = self.current_role()
        hamlet_ids = self.checked_hamlets() if role == VOLUNTEER else []
        if self.user is None and not USERNAME.match(username):
            self.show_error(
                self.tr(
                    "Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số và các dấu . _ @ -, "
                    "bắt đầu bằng chữ hoặc số (ví dụ: tnv.lan)."
                )
            )
            self.username.setFocus()
            return
        if not display_name:
            self.show_error(self.tr("Hãy nhập họ tên."))
            self.display_name.setFocus()
            return
        if role == VOLUNTEER and not hamlet_ids:
            self.show_error(self.tr("Tình nguyện viên cần ít nhất một ấp/thôn phụ trách."))
            self.hamlets.setFocus()
            return
        api = self.admin.api
        if self.user is None:
            self.send(
                lambda: api.create_user(username, display_name, role, hamlet_ids), self._created
            )
            return
        changes: dict[str, Any] = {}
        if display_name != self.user["display_name"]:
            changes["display_name"] = display_name
        if role != self.user["role"]:
            changes["role"] = role
        if role == VOLUNTEER and sorted(hamlet_ids) != sorted(self.user["hamlet_ids"]):
            changes["hamlet_ids"] = hamlet_ids
        if not changes:
            self.accept()
            return
        user_id = self.user["id"]
        self.send(lambda: api.update_user(user_id, changes), self._updated)

    def _created(self, answer: tuple[dict, str]) -> None:
        user, password = answer
        self.admin.changed(
            self.tr("Đã thêm người dùng %1 (%2).")
            .replace("%1", user["display_name"])
            .replace("%2", user["username"]),
            ("user", user["id"]),
        )
        self.accept()
        self.admin.show_password(user, password, reset=False)

    def _updated(self, user: dict) -> None:
        self.admin.changed(
            self.tr("Đã lưu thay đổi của %1.").replace("%1", user["display_name"]),
            ("user", user["id"]),
        )
        self.accept()


class PasswordDialog(QDialog):
    """A new password, shown this once: copy it, and confirm before the dialog closes (it
    cannot be shown again). The text is cleared from the dialog when it closes; it is never
    logged or saved."""

    def __init__(self, parent: QWidget, user: dict, password: str, reset: bool):
        super().__init__(parent)
        self.setObjectName("password_dialog")
        self.setWindowTitle(self.tr("Mật khẩu của %1").replace("%1", user["username"]))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(540)
        name, username = user["display_name"], user["username"]
        layout = QVBoxLayout(self)
        if reset:
            intro = self.tr(
                "Đã đặt lại mật khẩu của %1. Mật khẩu cũ không dùng được nữa, và %1 đã bị đăng "
                "xuất trên mọi máy."
            )
        else:
            intro = self.tr("Đã tạo tài khoản cho %1.")
        layout.addWidget(_wrapped(intro.replace("%1", name), "intro"))

        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.5)
        font.setWeight(QFont.Weight.Bold)
        form = QFormLayout()
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.username.setReadOnly(True)
        self.username.setFont(font)
        self.username.setFrame(False)
        self.password = QLineEdit(password)
        self.password.setObjectName("password")
        self.password.setReadOnly(True)
        self.password.setFont(font)
        self.password.setMinimumWidth(self.password.fontMetrics().horizontalAdvance(password) + 40)
        self.copy_button = QPushButton(self.tr("&Sao chép"))
        self.copy_button.setObjectName("copy")
        self.copy_button.setToolTip(self.tr("Chép mật khẩu vào bộ nhớ tạm để dán"))
        self.copy_button.clicked.connect(self.copy)
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.copy_button)
        form.addRow(self.tr("Tên đăng nhập:"), self.username)
        form.addRow(self.tr("Mật khẩu:"), row)
        layout.addLayout(form)

        note = _wrapped(
            self.tr(
                "Hãy đưa mật khẩu này tận tay cho %1 (hoặc đọc qua điện thoại), không gửi vào "
                "nhóm chat. Mật khẩu chỉ hiện MỘT lần: Gõ Cửa không lưu nó, và không ai xem lại "
                "được. Nếu bị quên, hãy đặt lại mật khẩu."
            ).replace("%1", name),
            "note",
        )
        note.setStyleSheet("font-weight: bold;")
        layout.addWidget(note)
        self.confirm = QCheckBox(
            self.tr("Tôi đã &chép lại mật khẩu để đưa cho %1").replace("%1", name)
        )
        self.confirm.setObjectName("confirm")
        self.confirm.toggled.connect(self._confirmed)
        layout.addWidget(self.confirm)
        self.hint = _wrapped(name="hint")
        self.hint.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.hint)
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(
            self.tr("Đóng"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button.setObjectName("close")
        self.close_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        make_primary(self, self.close_button)
        self.password.setFocus()
        self.password.selectAll()

    @property
    def confirmed(self) -> bool:
        return self.confirm.isChecked()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.password.text())
        self.confirm.setChecked(True)
        self.hint.setStyleSheet(DONE_STYLE)
        self.hint.setText(self.tr("Đã sao chép. Hãy dán vào nơi an toàn rồi đưa cho người dùng."))

    def _confirmed(self, checked: bool) -> None:
        self.close_button.setEnabled(checked)
        if checked and self.hint.styleSheet() == ERROR_STYLE:
            self.hint.clear()

    def _refuse_close(self) -> None:
        self.hint.setStyleSheet(ERROR_STYLE)
        self.hint.setText(
            self.tr(
                "Mật khẩu sẽ không hiện lại. Hãy chép lại (hoặc bấm Sao chép), đánh dấu ô bên "
                "trên, rồi mới đóng."
            )
        )
        self.confirm.setFocus()

    def reject(self) -> None:
        if not self.confirmed:
            self._refuse_close()
            return
        self._forget()
        super().reject()

    def accept(self) -> None:
        if not self.confirmed:
            self._refuse_close()
            return
        self._forget()
        super().accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirmed:
            event.ignore()
            self._refuse_close()
            return
        self._forget()
        super().closeEvent(event)

    def _forget(self) -> None:
        self.password.clear()
