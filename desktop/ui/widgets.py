"""Small widgets shared by the window and the dialogs: the state grid, a table whose columns
fit their headings, what an empty list says, and inline form errors."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSizePolicy,
    QTableView,
    QWidget,
)

from desktop.ui import labels
from desktop.ui.models import STATE_ROLE, ItemGridModel
from gocua.states import REASON_STATES
from gocua.validation import ValidationFailed

ERROR_STYLE = "color: #b00020;"


def rows_view(view: QTableView) -> None:
    """A table of records: whole rows, one at a time, read-only, no row numbers."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()


class EmptyHint(QLabel):
    """What an empty list says in its middle (what to do first, or that a search found
    nothing), drawn over the list's viewport and hidden as soon as the list has rows."""

    def __init__(self, view: QAbstractItemView, padding: int = 16):
        super().__init__(view.viewport())
        self.setObjectName("empty_hint")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: #606060; padding: {padding}px;")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        view.viewport().installEventFilter(self)
        self.hide()

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.resize(self.parentWidget().size())
        self.show()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self.resize(watched.size())
        return False


class FittedTable(QTableView):
    """A table whose columns are as wide as their heading and cells need (never elided), the
    spare width shared out between them; a horizontal scroll bar when the screen is narrower
    than what they need (every column stays reachable)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verticalScrollBar().rangeChanged.connect(lambda *_: self.fit_columns())

    def setModel(self, model) -> None:  # noqa: N802 - Qt's name
        super().setModel(model)
        model.modelReset.connect(self.fit_columns)
        model.layoutChanged.connect(self.fit_columns)
        model.headerDataChanged.connect(self.fit_columns)

    def needed_widths(self) -> list[int]:
        """Each column's width for its whole heading and its widest cell."""
        header, model = self.horizontalHeader(), self.model()
        if model is None:
            return []
        return [
            max(header.sectionSizeHint(c), self.sizeHintForColumn(c))
            for c in range(model.columnCount())
        ]

    def fit_columns(self) -> None:
        needed = self.needed_widths()
        if not needed:
            return
        spare = max(0, self.viewport().width() - sum(needed))
        share, left = divmod(spare, len(needed))
        header = self.horizontalHeader()
        for column, width in enumerate(needed):
            header.resizeSection(column, width + share + (left if column == 0 else 0))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_columns()


class StateGridView(QTableView):
    """The persons x items grid: a digit key sets the state of the current cell (legend in
    :data:`labels.STATE_KEYS`), Delete takes back a draft change, a click opens the menu."""

    failed = Signal(object)  # ValidationFailed from the service
    reasons: tuple = ()  # the catalogue's reasons, offered in the menu for their states

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.setCornerButtonEnabled(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setMinimumSectionSize(58)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(28)
        self.setAlternatingRowColors(False)
        self.setStyleSheet(
            "QTableView { gridline-color: #ffffff; }"
            "QTableView::item:focus { border: 2px solid #1a56db; }"
            "QTableView::item:selected { border: 2px solid #1a56db; color: #000000; }"
        )

    def grid(self) -> ItemGridModel | None:
        model = self.model()
        return model if isinstance(model, ItemGridModel) else None

    def set_state(self, index, state) -> bool:
        """``state``: a state code, or ``(state, reason code)``."""
        return self._set(index, state)

    def _set(self, index, state) -> bool:
        model = self.grid()
        if model is None or not index.isValid():
            return False
        try:
            return model.setData(index, state, STATE_ROLE)
        except ValidationFailed as failed:
            self.failed.emit(failed)
            return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if text in labels.STATE_KEYS and mods == Qt.KeyboardModifier.NoModifier:
            self.set_state(self.currentIndex(), labels.STATE_KEYS[text])
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            model = self.grid()
            if model is not None and model.is_draft:
                model.revert_cell(self.currentIndex())
                return
        if event.key() == Qt.Key.Key_Space or event.key() == Qt.Key.Key_F2:
            self.show_menu(self.currentIndex())
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            index = self.indexAt(event.position().toPoint())
            if index.isValid():
                self.show_menu(index)

    def state_menu(self, index) -> QMenu | None:
        model = self.grid()
        if model is None or not index.isValid() or not model.eligible(index.row(), index.column()):
            return None
        menu = QMenu(self)
        current = model.effective(index.row(), index.column())
        for key, state in labels.STATE_KEYS.items():
            action = QAction(f"&{key}  {labels.state_name(state)}", menu)
            action.setCheckable(True)
            action.setChecked(state == current)
            action.triggered.connect(lambda _=False, s=state: self.set_state(index, s))
            menu.addAction(action)
            reasons = [r for r in self.reasons if state in r.states]
            if reasons and state in REASON_STATES:
                sub = menu.addMenu("    " + labels.state_name(state) + ": " + self.tr("lý do…"))
                for reason in reasons:
                    act = sub.addAction(labels.reason_name(reason))
                    act.triggered.connect(
                        lambda _=False, s=state, r=reason.code: self.set_state(index, (s, r))
                    )
        return menu

    def show_menu(self, index) -> None:
        menu = self.state_menu(index)
        if menu is None:
            return
        rect = self.visualRect(index)
        menu.exec(self.viewport().mapToGlobal(QPoint(rect.left(), rect.bottom())))
        menu.deleteLater()


class FormErrors:
    """A red message under each field of a QFormLayout, shown from ``FieldError.message_vi``."""

    def __init__(self, form: QFormLayout, general: QLabel):
        self.form = form
        self.general = general
        self.labels: dict[str, QLabel] = {}
        general.setStyleSheet(ERROR_STYLE)
        general.setWordWrap(True)
        general.hide()

    def add(self, field: str, widget: QWidget, label: str) -> QLabel:
        self.form.addRow(label, widget)
        error = QLabel()
        error.setObjectName(f"error_{field}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        error.hide()
        self.form.addRow("", error)
        self.labels[field] = error
        return error

    def clear(self) -> None:
        for label in self.labels.values():
            label.clear()
            label.hide()
        self.general.clear()
        self.general.hide()

    def show(self, failed: ValidationFailed, lang: str = "vi") -> None:
        self.clear()
        general = []
        for error in failed.errors:
            field = error.field.rsplit(".", 1)[-1]
            label = self.labels.get(field)
            if label is None:
                general.append(error.message(lang))
                continue
            text = error.message(lang)
            label.setText(label.text() + ("\n" if label.text() else "") + text)
            label.show()
        if general:
            self.general.setText("\n".join(general))
            self.general.show()

    def text(self, field: str) -> str:
        label = self.labels.get(field)
        return label.text() if label is not None and label.isVisibleTo(label.parentWidget()) else ""
