"""The team leader's coverage dashboard (a tab of the main window).

Hamlets x indicators with coverage, the target and the number still to reach, coloured against
the target, and the commune's total row; a bar chart of one indicator across hamlets and a line
chart of its progress (rebuilt from the visit log); a period filter; per volunteer the visits
this week and month, households reached and the last sync; households never visited; and the
exports for the commune meeting.

The figures are :func:`desktop.reports.summary.dashboard_data`'s, computed off the GUI thread:
their parts read at once as tasks of the task manager (desktop.ui.tasks), the newest refresh
winning. Exports run there too (the PDF's two charts are drawn on the GUI thread, about 20 ms,
the rest painted in the worker), with a progress dialog after half a second and "Dừng".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCharts import QBarSeries, QChartView
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QMargins,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QCursor, QFont, QGuiApplication, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.reports.exports import ExportResult, Report, export
from desktop.reports.summary import (
    STATUS_COLOURS_HEX,
    Cell,
    CoverageSummary,
    DashboardData,
    VolunteerActivity,
    dashboard_detail_parts,
    dashboard_from_parts,
    dashboard_parts,
    vi_int,
    vi_percent,
)
from desktop.reports.zalo import zalo_text
from desktop.store import Store
from desktop.ui import labels
from desktop.ui.errors import user_message
from desktop.ui.file_dialogs import save_path
from desktop.ui.models import RowsModel
from desktop.ui.tasks import Task, tasks
from desktop.ui.widgets import FittedTable, rows_view
from gocua.catalogue import Catalogue, default_catalogue
from gocua.dates import time_text
from gocua.validation import ValidationFailed, parse_period

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
CELL_ROLE = Qt.ItemDataRole.UserRole + 10
DEFAULT_INDICATOR = "eid_adults"
PERCENT, TARGET, TO_REACH, COUNTS = "percent", "target", "to_reach", "counts"
MODES = (PERCENT, TARGET, TO_REACH, COUNTS)


def period_choices(today: dt.date) -> list[str]:
    """This year and its quarters so far, then last year."""
    year = today.year
    quarter = (today.month - 1) // 3 + 1
    return [str(year)] + [f"{year}-Q{q}" for q in range(quarter, 0, -1)] + [str(year - 1)]


def two_lines(text: str) -> str:
    """A heading broken at the space nearest its middle ("Tài khoản\nTT (15+)"), so thirteen
    indicators fit a laptop's width without eliding one; a single word stays whole."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    middle = len(text) / 2
    cut = min(spaces, key=lambda i: abs(i - middle))
    return text[:cut] + "\n" + text[cut + 1 :]


class CoverageTableModel(QAbstractTableModel):
    """Rows: the hamlets, then the total; columns: the hamlet's name, then each indicator."""

    def __init__(self, catalogue: Catalogue, parent=None):
        super().__init__(parent)
        self.catalogue = catalogue
        self.summary: CoverageSummary | None = None
        self.unvisited: dict[str, int] = {}
        self.mode = PERCENT

    def set_mode(self, mode: str) -> None:
        """What the cells show: one of :data:`MODES` (percent, target, still to reach, counts)."""
        self.beginResetModel()
        self.mode = mode
        self.endResetModel()

    def cell_text(self, cell: Cell) -> str:
        if self.mode == TARGET:
            return "" if cell.target is None else vi_percent(cell.target)
        if self.mode == TO_REACH:
            return "" if cell.target is None else vi_int(cell.to_reach)
        if self.mode == COUNTS:
            return f"{vi_int(cell.covered)}/{vi_int(cell.eligible)}"
        return vi_percent(cell.percent)

    def set_summary(self, summary: CoverageSummary, unvisited: dict[str, int] | None = None):
        self.beginResetModel()
        self.summary = summary
        self.unvisited = unvisited or {}
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid() or self.summary is None:
            return 0
        return len(self.summary.hamlets) + 1

    def columnCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid() or self.summary is None:
            return 0
        return len(self.summary.indicators) + 1

    def is_total(self, row: int) -> bool:
        return self.summary is not None and row == len(self.summary.hamlets)

    def cell(self, row: int, column: int) -> Cell | None:
        s = self.summary
        if s is None or column == 0:
            return None
        code = s.indicators[column - 1].code
        if self.is_total(row):
            return s.totals[code]
        return s.cell(s.hamlets[row][0], code)

    def row_label(self, row: int) -> str:
        assert self.summary is not None
        if self.is_total(row):
            return self.summary.total_label
        return self.summary.hamlets[row][1]

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.summary is None:
            return None
        if section == 0:
            return self.tr("Ấp/thôn") if role == Qt.ItemDataRole.DisplayRole else None
        indicator = self.summary.indicators[section - 1]
        if role == Qt.ItemDataRole.DisplayRole:  # two lines: the columns stay narrow
            return two_lines(labels.indicator_short(self.catalogue, indicator.code))
        if role == Qt.ItemDataRole.ToolTipRole:
            return labels.indicator_name(indicator)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.summary is None:
            return None
        row, column = index.row(), index.column()
        total = self.is_total(row)
        if role == Qt.ItemDataRole.FontRole and total:
            font = QFont()
            font.setBold(True)
            return font
        if column == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.row_label(row)
            if role == Qt.ItemDataRole.ToolTipRole and not total:
                hamlet = self.summary.hamlets[row][0]
                count = self.unvisited.get(hamlet, 0)
                return self.tr("%n hộ chưa được thăm", "", count)
            return None
        cell = self.cell(row, column)
        assert cell is not None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(cell)
        if role == CELL_ROLE:
            return cell
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = STATUS_COLOURS_HEX.get(cell.status)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [
                self.tr("Đã đạt %1 / đủ điều kiện %2")
                .replace("%1", vi_int(cell.covered))
                .replace("%2", vi_int(cell.eligible))
            ]
            if cell.target is not None:
                lines.append(
                    self.tr("Chỉ tiêu %1%, còn phải đạt %2 người/hộ")
                    .replace("%1", vi_percent(cell.target))
                    .replace("%2", vi_int(cell.to_reach))
                )
            else:
                lines.append(self.tr("Chưa đặt chỉ tiêu"))
            return "\n".join(lines)
        return None


def _compact(chart, family: str) -> None:
    """A chart for the screen, where height is short (the PDF keeps its own look): small title
    and legend, no card margins, upright names, values in the table above and in each bar's
    tooltip."""
    chart.setTitleFont(QFont(family, 9, QFont.Weight.Bold))
    chart.legend().setFont(QFont(family, 8))
    chart.setMargins(QMargins(4, 2, 4, 8))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.setBackgroundRoundness(0)
    for axis in chart.axes(Qt.Orientation.Horizontal):
        # Hamlet names and months upright and whole: slanted, Qt hides the first hamlet (it
        # would reach past the chart's left edge); flat, the months overlap ("02/2603/26").
        axis.setTruncateLabels(False)
        axis.setLabelsAngle(-90)
    names = [c for axis in chart.axes(Qt.Orientation.Horizontal) for c in axis.categories()]
    for series in chart.series():
        if isinstance(series, QBarSeries):
            # Inside a 20 px bar "44,5" overlapped its neighbours: the number is a hover away.
            series.setLabelsVisible(False)
            series.hovered.connect(lambda on, i, bars: _bar_tip(on, names, i, bars.at(i)))


def _bar_tip(on: bool, names: list[str], index: int, value: float) -> None:
    if not on:
        QToolTip.hideText()
    elif 0 <= index < len(names):
        QToolTip.showText(QCursor.pos(), f"{names[index]}: {vi_percent(value)}%")


class ColumnsModel(RowsModel):
    """:class:`RowsModel` with an optional background colour per row."""

    def __init__(
        self,
        columns: list[tuple[str, Callable[[Any], Any]]],
        parent=None,
        background: Callable[[Any], str | None] | None = None,
    ):
        super().__init__(columns, parent)
        self.background = background

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and self.background and index.isValid():
            colour = self.background(self.rows[index.row()])
            return QBrush(QColor(colour)) if colour else None
        return super().data(index, role)


def _t(text: str) -> str:
    return QCoreApplication.translate("CoverageDashboard", text)


def volunteer_model(parent=None) -> ColumnsModel:
    tr = _t
    columns: list[tuple[str, Callable[[VolunteerActivity], Any]]] = [
        (tr("Tình nguyện viên"), lambda v: v.name),
        (tr("Thăm tuần này"), lambda v: v.visits_week),
        (tr("Thăm tháng này"), lambda v: v.visits_month),
        (tr("Hộ đã gặp trong kỳ"), lambda v: vi_int(v.households_reached)),
        (tr("Đồng bộ gần nhất"), lambda v: time_text(v.last_sync) or tr("chưa đồng bộ")),
    ]
    return ColumnsModel(columns, parent, background=lambda v: "#FFC7CE" if v.stale else None)


class CoverageDashboard(QWidget):
    """The dashboard tab. ``refreshed`` fires each time new figures are shown."""

    refreshed = Signal()  # the table and the households never visited are shown
    progress_ready = Signal()  # then the volunteers and the charts (the second step)
    exported = Signal(object)  # desktop.reports.exports.ExportResult
    export_failed = Signal(object)  # the exception (the status line says it)
    zalo_copied = Signal(str)  # the summary put on the clipboard

    def __init__(
        self,
        store: Store,
        services: Any = None,
        parent: QWidget | None = None,
        *,
        catalogue: Catalogue | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ):
        super().__init__(parent)
        self.store = store
        self.services = services
        self.catalogue = catalogue or default_catalogue()
        self._today = today
        self.data: DashboardData | None = None
        self._refreshing: list[Task] = []

        self.period = QComboBox()
        self.period.addItems(period_choices(today()))
        self.period.setToolTip(self.tr("Kỳ: năm hoặc quý (chỉ tiêu và tuổi tính theo kỳ)"))
        self.indicator = QComboBox()
        # Long indicator names are elided, not allowed to widen the whole window's tab.
        self.indicator.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.indicator.setMinimumContentsLength(16)
        for ind in self.catalogue.indicators:
            self.indicator.addItem(labels.indicator_name(ind), ind.code)
        self.indicator.setCurrentIndex(max(0, self.indicator.findData(DEFAULT_INDICATOR)))
        self.mode = QComboBox()
        for mode, label in (
            (PERCENT, self.tr("Tỷ lệ (%)")),
            (TARGET, self.tr("Chỉ tiêu (%)")),
            (TO_REACH, self.tr("Còn phải đạt")),
            (COUNTS, self.tr("Đã đạt / đủ điều kiện")),
        ):
            self.mode.addItem(label, mode)
        self.refresh_button = QPushButton(self.tr("Làm mới"))
        self.unmask = QCheckBox(self.tr("Hiện CCCD/SĐT khi xuất"))
        self.zalo_button = QPushButton(self.tr("Chép tóm tắt gửi Zalo"))
        self.zalo_button.setObjectName("zalo")
        self.zalo_button.setToolTip(
            self.tr(
                "Chép tóm tắt độ phủ so với chỉ tiêu (của ấp đang chọn trong bảng, hoặc cả xã) "
                "để dán vào nhóm Zalo"
            )
        )
        self.zalo_button.clicked.connect(self.copy_zalo_text)
        self.export_buttons = {}
        # Two rows, so the tab fits a 1024-pixel screen beside the hamlet list.
        choose = QHBoxLayout()
        choose.addWidget(QLabel(self.tr("Kỳ:")))
        choose.addWidget(self.period)
        choose.addWidget(QLabel(self.tr("Hiện:")))
        choose.addWidget(self.mode)
        choose.addWidget(QLabel(self.tr("Biểu đồ:")))
        choose.addWidget(self.indicator, 1)
        choose.addWidget(self.refresh_button)
        top = QHBoxLayout()
        top.addWidget(self.zalo_button)
        top.addStretch()
        for fmt, label in (
            ("xlsx", self.tr("Xuất Excel…")),
            ("pdf", self.tr("Xuất PDF…")),
            ("csv", self.tr("Xuất CSV…")),
        ):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, f=fmt: self.export_dialog(f))
            self.export_buttons[fmt] = button
            top.addWidget(button)
        top.addWidget(self.unmask)

        self.model = CoverageTableModel(self.catalogue, self)
        self.table = FittedTable()
        self.table.setObjectName("coverage_table")
        self.table.setModel(self.model)
        rows_view(self.table)
        self.legend = QLabel(
            self.tr(
                "Xanh: đạt chỉ tiêu · vàng: kém dưới 10 điểm · đỏ: chưa đạt. "
                "Di chuột lên ô để xem số đã đạt, chỉ tiêu và số còn phải "
                "đạt."
            )
        )
        self.legend.setWordWrap(True)

        self.bar_view = QChartView()
        self.bar_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.line_view = QChartView()
        self.line_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.bar_view)
        charts.addWidget(self.line_view)

        self.volunteers = volunteer_model(self)
        self.volunteer_table = QTableView()
        self.volunteer_table.setModel(self.volunteers)
        self.volunteer_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.volunteer_table.verticalHeader().hide()
        self.unvisited = ColumnsModel(
            [
                (self.tr("Ấp/thôn"), lambda h: self._hamlet_name(h)),
                (self.tr("Địa chỉ"), lambda h: h.address),
            ],
            self,
        )
        self.unvisited_table = QTableView()
        self.unvisited_table.setModel(self.unvisited)
        self.unvisited_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.unvisited_table.verticalHeader().hide()
        self.status = QLabel()
        lower = QTabWidget()
        lower.addTab(charts, self.tr("Biểu đồ"))
        lower.addTab(self.volunteer_table, self.tr("Tình nguyện viên"))
        lower.addTab(self.unvisited_table, self.tr("Hộ chưa thăm"))
        self.lower_tabs = lower

        split = QSplitter(Qt.Orientation.Vertical)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table)
        upper_layout.addWidget(self.legend)
        split.addWidget(upper)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

        self.period.currentIndexChanged.connect(lambda _: self.refresh())
        self.indicator.currentIndexChanged.connect(lambda _: self._refresh_progress())
        self.refresh_button.clicked.connect(self.refresh)
        self.mode.currentIndexChanged.connect(
            lambda _: self.model.set_mode(self.mode.currentData())
        )

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.data is None and not self.busy:
            self.refresh()

    @property
    def busy(self) -> bool:
        return any(task.running for task in self._refreshing)

    # -- data ---------------------------------------------------------------------------------

    def current_period(self) -> str:
        return self.period.currentText()

    def current_indicator(self) -> str:
        return self.indicator.currentData()

    def refresh(self) -> None:
        """Recompute in the background (the newest request wins), in two steps: the table and
        the households never visited first, then the volunteers and the progress chart."""
        period, today = parse_period(self.current_period()), self._today()
        self.status.setText(self.tr("Đang tính…"))
        parts = dashboard_parts(self.catalogue, period, today, with_volunteers=False)
        self._refreshing = tasks().run_all(
            [partial(self.store.query, part) for part in parts],
            done=lambda results: self._show(dashboard_from_parts(results, today)),
            failed=self._failed,
            owner=self,
            key="table",
        )

    def _refresh_progress(self) -> None:
        if self.data is None:
            return
        period, indicator, today = self.data.summary.period, self.current_indicator(), self._today()
        eligible = self.data.summary.totals[indicator].eligible
        parts = dashboard_detail_parts(self.catalogue, period, today, indicator, eligible)
        tasks().run_all(
            [partial(self.store.query, part) for part in parts],
            done=lambda results: self._show_progress(tuple(results)),
            failed=self._failed,
            owner=self,
            key="details",
        )

    def _hamlet_name(self, household) -> str:
        if self.data is None:
            return household.hamlet_id
        return dict(self.data.summary.hamlets).get(household.hamlet_id, household.hamlet_id)

    def _show(self, data: DashboardData) -> None:
        self.data = data
        self.model.set_summary(data.summary, data.unvisited_by_hamlet)
        self.unvisited.set_rows(data.unvisited)
        self._refresh_progress()
        self._show_status()
        self.refreshed.emit()

    def _show_status(self) -> None:
        data = self.data
        assert data is not None
        text = (
            self.tr("Kỳ %1 · %2 ấp · %3 hộ chưa thăm")
            .replace("%1", data.summary.period.code)
            .replace("%2", str(len(data.summary.hamlets)))
            .replace("%3", vi_int(len(data.unvisited)))
        )
        if data.volunteers:
            stale = sum(v.stale for v in data.volunteers)
            text += self.tr(" · %1 tình nguyện viên chưa đồng bộ trong 7 ngày").replace(
                "%1", str(stale)
            )
        self.status.setText(text)

    def _show_progress(self, details) -> None:
        if self.data is None:
            return
        self.data.volunteers, self.data.progress = details
        self.volunteers.set_rows(self.data.volunteers)
        self._draw_charts(self.data)
        self._show_status()
        self.progress_ready.emit()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Không tính được số liệu: ") + user_message(exc))

    def _draw_charts(self, data: DashboardData) -> None:
        from desktop.ui.reports_pdf import bar_chart, line_chart, load_fonts

        family = load_fonts()
        report = Report(
            data.summary,
            self.catalogue,
            data.today,
            progress=data.progress,
            chart_indicator=self.current_indicator(),
        )
        bar = bar_chart(report, self.current_indicator(), family)
        # On screen the indicator is named by the "Biểu đồ" choice above: a short title leaves
        # the height to the bars (at 700 px the plot was 60 px high under a cut title).
        bar.setTitle(self.tr("Theo ấp (%)"))
        _compact(bar, family)
        self.bar_view.setChart(bar)
        line = line_chart(report, family)
        if line is None:
            from PySide6.QtCharts import QChart

            line = QChart()
            line.setTitle(self.tr("Chỉ tiêu này không ghi trong nhật ký thăm hộ"))
        else:
            line.setTitle(self.tr("Theo tháng, từ nhật ký thăm hộ (%)"))
        _compact(line, family)
        self.line_view.setChart(line)

    # -- the Zalo summary ---------------------------------------------------------------------

    def selected_hamlet(self) -> tuple[str, str] | None:
        """(id, name) of the hamlet row selected in the table; None for the commune."""
        rows = self.table.selectionModel().selectedRows()
        summary = self.data.summary if self.data else None
        if not rows or summary is None or self.model.is_total(rows[0].row()):
            return None
        return summary.hamlets[rows[0].row()]

    def copy_zalo_text(self) -> Task:
        """The short summary of the commune (or of the selected hamlet) against its targets,
        read off the GUI thread and put on the clipboard, ready to paste into the Zalo group."""
        hamlet = self.selected_hamlet()
        return tasks().run(
            partial(
                self.store.query,
                zalo_text,
                self.catalogue,
                self.current_period(),
                self._today(),
                hamlet[0] if hamlet else None,
            ),
            done=lambda text: self._zalo_copied(text, hamlet),
            failed=self._failed,
            owner=self,
            key="zalo",
        )

    def _zalo_copied(self, text: str, hamlet: tuple[str, str] | None) -> None:
        QGuiApplication.clipboard().setText(text)
        where = hamlet[1] if hamlet else self.tr("cả xã")
        self.status.setText(
            self.tr("Đã chép tóm tắt của %1. Mở nhóm Zalo và dán (Ctrl+V).").replace("%1", where)
        )
        self.zalo_copied.emit(text)

    # -- exports ------------------------------------------------------------------------------

    def export_to(self, fmt: str, path: Path | str) -> Task:
        """Write one export of the current period (and log it) off the GUI thread;
        ``exported(ExportResult)`` once written, ``export_failed(exc)`` if not."""
        options = dict(
            period=self.current_period(),
            unmask=self.unmask.isChecked(),
            catalogue=self.catalogue,
            today=self._today(),
            chart_indicator=self.current_indicator(),
        )
        return tasks().run(
            partial(_export, self.store, fmt, path, options),
            with_task=True,
            cancellable=True,
            done=self._exported,
            failed=self._export_failed,
            cancelled=lambda: self.status.setText(self.tr("Đã dừng xuất.")),
            owner=self,
            key="export",
            progress=self.tr("Đang xuất báo cáo…"),
        )

    def _exported(self, result: ExportResult) -> None:
        self.status.setText(self.tr("Đã xuất ") + str(result.path))
        self.exported.emit(result)

    def _export_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationFailed | OSError):
            QMessageBox.warning(self, self.tr("Không xuất được"), str(exc))
        else:
            QMessageBox.warning(self, self.tr("Không xuất được"), user_message(exc))
        self.export_failed.emit(exc)

    def export_dialog(self, fmt: str) -> None:
        filters = {"xlsx": "Excel (*.xlsx)", "pdf": "PDF (*.pdf)", "csv": "CSV (*.csv)"}
        suggested = f"bao-cao-{self.current_period()}.{fmt}"
        path = save_path(self, self.tr("Xuất báo cáo"), suggested, filters[fmt])
        if not path:
            return
        if self.unmask.isChecked():
            answer = QMessageBox.question(
                self,
                self.tr("Dữ liệu cá nhân"),
                self.tr(
                    "Tệp sẽ có số CCCD và số điện thoại đầy đủ (Nghị định 13/2023). "
                    "Chỉ chia sẻ cho người có thẩm quyền. Tiếp tục?"
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.export_to(fmt, path)


def _export(store: Store, fmt: str, path: Path | str, options: dict, task: Task) -> ExportResult:
    """One export in a task: it stops at ``task.check`` and moves the progress dialog; the
    PDF's charts are drawn on the GUI thread (QtCharts may only be used there), the rest of
    the PDF here."""
    pdf_writer = None
    if fmt == "pdf":
        from desktop.ui.reports_pdf import chart_images, write_pdf

        def pdf_writer(report: Report, out: Path) -> dict[str, int]:
            charts = task.on_gui(lambda: chart_images(report))
            task.check()
            return write_pdf(report, out, charts)

    return export(
        store, fmt, path, pdf_writer=pdf_writer, check=task.check, progress=task.report, **options
    )
