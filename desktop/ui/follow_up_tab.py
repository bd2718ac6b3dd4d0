"""The "Cần quay lại" tab: households to revisit today or overdue, and the items waiting on an
outside agency (police, bank) for longer than a chosen number of days; a row opens its
household. Both lists are read in one task off the GUI thread (a commune has thousands)."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QTableView, QVBoxLayout, QWidget

from desktop.services import Services
from desktop.settings import Settings
from desktop.store import queries
from desktop.ui import labels
from desktop.ui.households_tab import list_view
from desktop.ui.models import ID_ROLE, RowsModel
from desktop.ui.tasks import tasks
from gocua.dates import date_text

log = logging.getLogger(__name__)


class FollowUpTab(QWidget):
    open_household = Signal(str)

    def __init__(self, services: Services, settings: Settings, today: dt.date):
        super().__init__()
        self.store = services.store
        self.settings = settings
        self.today = today
        self.closed = False
        self._task = None
        self.follow_ups = QTableView()
        self.follow_ups.setObjectName("follow_ups")
        self.follow_model = RowsModel(
            [
                (self.tr("Hẹn ngày"), lambda r: date_text(r.follow_up_on)),
                (self.tr("Trễ (ngày)"), lambda r: r.overdue_days or self.tr("hôm nay")),
                (self.tr("Ấp"), lambda r: r.hamlet_name),
                (self.tr("Địa chỉ"), lambda r: r.address),
                (self.tr("Ghi chú lần trước"), lambda r: r.note),
            ],
            self,
        )
        self.follow_model.id_of = lambda r: r.household_id
        self.follow_ups.setModel(self.follow_model)
        list_view(self.follow_ups)
        self.follow_ups.horizontalHeader().setStretchLastSection(True)
        self.follow_ups.activated.connect(lambda i: self.open_household.emit(i.data(ID_ROLE)))
        self.pending = QTableView()
        self.pending.setObjectName("pending")
        catalogue = services.catalogue
        self.pending_model = RowsModel(
            [
                (self.tr("Họ và tên"), lambda r: r.full_name),
                (
                    self.tr("Hạng mục"),
                    lambda r: (
                        labels.item_short(catalogue.item(r.item_code))
                        if catalogue.has_item(r.item_code)
                        else r.item_code
                    ),
                ),
                (self.tr("Chờ từ"), lambda r: date_text(r.since)),
                (self.tr("Số ngày"), lambda r: r.days),
                (
                    self.tr("Lý do"),
                    lambda r: (
                        labels.reason_name(catalogue.reason(r.reason))
                        if r.reason and catalogue.has_reason(r.reason)
                        else ""
                    ),
                ),
                (self.tr("Địa chỉ"), lambda r: r.address),
            ],
            self,
        )
        self.pending_model.id_of = lambda r: r.household_id
        self.pending.setModel(self.pending_model)
        list_view(self.pending)
        self.pending.horizontalHeader().setStretchLastSection(True)
        self.pending.activated.connect(lambda i: self.open_household.emit(i.data(ID_ROLE)))
        self.pending_days = QSpinBox()
        self.pending_days.setRange(0, 365)
        self.pending_days.setValue(settings.get("pending_days"))
        self.pending_days.setSuffix(self.tr(" ngày"))
        layout = QVBoxLayout(self)
        self.follow_title = QLabel()
        layout.addWidget(self.follow_title)
        layout.addWidget(self.follow_ups, 3)
        pending_label = QLabel(self.tr("Hạng mục đang chờ (công an, ngân hàng…) lâu hơn:"))
        pending_label.setBuddy(self.pending_days)
        pending_row = QHBoxLayout()
        pending_row.addWidget(pending_label)
        pending_row.addWidget(self.pending_days)
        pending_row.addStretch(1)
        layout.addLayout(pending_row)
        layout.addWidget(self.pending, 2)

    @property
    def busy(self) -> bool:
        return self._task is not None and self._task.running

    def refresh(self, hamlet_id: str | None) -> None:
        """Both lists of the hamlet (``None``: the commune), read in the background."""
        if self.closed:
            return
        days = self.pending_days.value()
        if days != self.settings.get("pending_days"):
            self.settings.set("pending_days", days)
        self.follow_title.setText(self.tr("Đang tải…"))
        self._task = tasks().run(
            partial(self.store.query, queries.follow_up_lists, self.today, days, hamlet_id),
            done=self._loaded,
            failed=self._failed,
            owner=self,
            key="follow-ups",
        )

    def _loaded(self, result) -> None:
        due, pending = result
        self.follow_model.set_rows(due)
        self.pending_model.set_rows(pending)
        self.follow_ups.resizeColumnsToContents()
        self.pending.resizeColumnsToContents()
        self.follow_title.setText(
            self.tr("Hộ cần quay lại hôm nay hoặc đã trễ hẹn: %n", "", len(due))
        )

    def _failed(self, exc: BaseException) -> None:
        self.follow_title.setText(self.tr("Không đọc được dữ liệu (chi tiết trong nhật ký)"))
        log.error("follow-ups could not be read: %r", exc, exc_info=exc)
