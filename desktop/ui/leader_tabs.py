"""The team leader's tabs of the main window: the follow-up list to print
(desktop.ui.follow_up_list), the coverage dashboard (desktop.ui.dashboard) and the targets
(desktop.ui.targets, leaders only). Each is built the first time it is shown, so they cost
nothing at start-up, and reads its own data off the GUI thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desktop.services import Services


class LazyTab(QWidget):
    """A tab page built the first time it is shown. ``mark_stale`` after data changes:
    refreshed now if on screen, else when next shown."""

    def __init__(self, build: Callable[[], QWidget], refresh: Callable[[QWidget], None]):
        super().__init__()
        self._build, self._refresh = build, refresh
        self.content: QWidget | None = None
        self.stale = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.content is None:
            self.content = self._build()  # loads its own data when first shown
            self.layout().addWidget(self.content)
            self.stale = False
        elif self.stale:
            self.stale = False
            self._refresh(self.content)
        super().showEvent(event)

    def mark_stale(self) -> None:
        if self.content is None:
            return
        if self.isVisible():
            self._refresh(self.content)
        else:
            self.stale = True


class LeaderTabs:
    """The three tabs, added to ``tabs``; the targets tab only while the user is a leader."""

    def __init__(self, tabs: QTabWidget, services: Services, today: Callable[[], dt.date]):
        self.tabs = tabs
        self.services = services
        self.today = today
        self.follow_list_tab = LazyTab(self._build_follow_list, lambda w: w.reload())
        self.dashboard_tab = LazyTab(self._build_dashboard, lambda w: w.refresh())
        self.targets_tab = LazyTab(self._build_targets, lambda w: w.model.reload())
        tabs.addTab(
            self.follow_list_tab, QCoreApplication.translate("LeaderTabs", "Danh sách cần hỗ trợ")
        )
        tabs.addTab(self.dashboard_tab, QCoreApplication.translate("LeaderTabs", "Độ phủ"))

    def _build_follow_list(self) -> QWidget:
        from desktop.ui.follow_up_list import FollowUpListWidget

        return FollowUpListWidget(
            self.services.store, catalogue=self.services.catalogue, today=self.today
        )

    def _build_dashboard(self) -> QWidget:
        from desktop.ui.dashboard import CoverageDashboard

        return CoverageDashboard(
            self.services.store,
            self.services,
            catalogue=self.services.catalogue,
            today=self.today,
        )

    def _build_targets(self) -> QWidget:
        from desktop.ui.targets import TargetsEditor

        editor = TargetsEditor(
            self.services.store,
            self.services,
            catalogue=self.services.catalogue,
            today=self.today,
        )
        editor.model.changed.connect(self.dashboard_tab.mark_stale)
        return editor

    def show_targets(self, leader: bool) -> None:
        """Targets are set by leaders only: the tab follows the signed-in user's role."""
        shown = self.tabs.indexOf(self.targets_tab) >= 0
        if leader and not shown:
            self.tabs.addTab(self.targets_tab, QCoreApplication.translate("LeaderTabs", "Chỉ tiêu"))
        elif shown and not leader:
            self.tabs.removeTab(self.tabs.indexOf(self.targets_tab))

    def mark_stale(self, *, targets: bool = True) -> None:
        for tab in (self.follow_list_tab, self.dashboard_tab):
            tab.mark_stale()
        if targets:
            self.targets_tab.mark_stale()
