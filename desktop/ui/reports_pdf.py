"""The PDF for the commune meeting, drawn with Qt: QTextDocument (HTML) onto a QPdfWriter, with
QtCharts charts rendered to images. Also the printable follow-up list.

The DejaVu fonts bundled in ``resources/fonts`` are registered with the application, so every
Vietnamese diacritic renders whatever fonts the machine has.

Layout of the meeting report: the national header (CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM /
Độc lập - Tự do - Hạnh phúc) beside the commune's team, place and date; the title and period;
the commune's figures per indicator with the target, the number still to reach and the change
since the previous export; the hamlets x indicators table coloured against the targets; a bar
chart of one indicator across hamlets and a line chart of its progress; the volunteers.
"""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QGraphicsScene

from desktop.reports.exports import Report
from desktop.reports.follow_up import FollowUpRow
from desktop.reports.summary import STATUS_COLOURS_HEX, vi_int, vi_percent, vi_points
from gocua.catalogue import Catalogue
from gocua.dates import date_text, time_text
from gocua.names import indicator_name, indicator_short
from gocua.resources import resource_path

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
FONT_FAMILY = "DejaVu Sans"
STATUS_COLOURS = STATUS_COLOURS_HEX
RESOLUTION = 300  # dots per inch of the PDF's layout
# Pixels a chart is drawn at before it is scaled to half the page: small enough that its
# 8-11 pt labels stay readable once printed.
CHART_SIZE = (900, 520)
_fonts_loaded: str | None = None


def ensure_app() -> QApplication:
    """The running QApplication, or a new one (offscreen when there is no display)."""
    app = QApplication.instance()
    if app is None:
        no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        if sys.platform.startswith("linux") and no_display:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication(sys.argv[:1])
    return app  # type: ignore[return-value]


def load_fonts() -> str:
    """Register the bundled fonts once; returns the family to use."""
    global _fonts_loaded
    if _fonts_loaded is None:
        family = FONT_FAMILY
        for name in FONT_FILES:
            font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if families:
                family = families[0]
        _fonts_loaded = family
    return _fonts_loaded


# -- charts ---------------------------------------------------------------------------------------


def _render(chart: QChart, width: int, height: int) -> QImage:
    """The chart painted on a white image of ``width`` x ``height`` pixels."""
    scene = QGraphicsScene()
    scene.addItem(chart)
    chart.setGeometry(QRectF(0, 0, width, height))
    scene.setSceneRect(QRectF(0, 0, width, height))
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, width, height), QRectF(0, 0, width, height))
    painter.end()
    scene.removeItem(chart)
    return image


def _chart(title: str, family: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setTitleFont(QFont(family, 11, QFont.Weight.Bold))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundBrush(QColor("white"))
    chart.legend().setFont(QFont(family, 9))
    return chart


def bar_chart(report: Report, code: str, family: str | None = None) -> QChart:
    """One indicator across hamlets, with its target as a line."""
    family = family or load_fonts()
    s = report.summary
    indicator = report.catalogue.indicator(code)
    chart = _chart(f"{indicator_name(indicator)} (%)", family)
    bars = QBarSet("Tỷ lệ (%)")
    bars.setColor(QColor("#4F81BD"))
    categories = []
    targets = QLineSeries()
    targets.setName("Chỉ tiêu (%)")
    targets.setPen(QPen(QColor("#C0504D"), 3, Qt.PenStyle.DashLine))
    for index, (hamlet_id, name) in enumerate(s.hamlets):
        cell = s.cell(hamlet_id, code)
        bars.append(cell.percent or 0.0)
        categories.append(name.replace("Ấp ", "").replace("Thôn ", ""))
        if cell.target is not None:
            targets.append(index, cell.target)
    series = QBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    chart.addSeries(series)
    x_axis = QBarCategoryAxis()
    x_axis.append(categories)
    x_axis.setLabelsFont(QFont(family, 8))
    x_axis.setLabelsAngle(-45)
    y_axis = QValueAxis()
    y_axis.setRange(0, 100)
    y_axis.setLabelFormat("%d")
    y_axis.setLabelsFont(QFont(family, 8))
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x_axis)
    series.attachAxis(y_axis)
    if targets.count():
        chart.addSeries(targets)
        targets.attachAxis(x_axis)
        targets.attachAxis(y_axis)
    return chart


def line_chart(report: Report, family: str | None = None) -> QChart | None:
    """The chart indicator's coverage at each month's end, rebuilt from the visit log."""
    family = family or load_fonts()
    progress = report.progress
    if progress is None or not progress.available or not progress.points:
        return None
    indicator = report.catalogue.indicator(progress.indicator_code)
    chart = _chart(f"Tiến độ: {indicator_name(indicator)} (%)", family)
    line = QLineSeries()
    line.setName("Tỷ lệ (%) theo nhật ký thăm hộ")
    line.setPen(QPen(QColor("#4F81BD"), 3))
    line.setPointsVisible(True)
    labels = []
    for index, (day, percent) in enumerate(progress.percents()):
        line.append(index, percent or 0.0)
        labels.append(f"{day.month:02d}/{day.year % 100:02d}")
    chart.addSeries(line)
    x_axis = QBarCategoryAxis()
    x_axis.append(labels)
    x_axis.setLabelsFont(QFont(family, 8))
    y_axis = QValueAxis()
    y_axis.setRange(0, 100)
    y_axis.setLabelFormat("%d")
    y_axis.setLabelsFont(QFont(family, 8))
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    line.attachAxis(x_axis)
    line.attachAxis(y_axis)
    target = report.summary.totals[progress.indicator_code].target
    if target is not None:
        goal = QLineSeries()
        goal.setName("Chỉ tiêu (%)")
        goal.setPen(QPen(QColor("#C0504D"), 3, Qt.PenStyle.DashLine))
        goal.append(0, target)
        goal.append(max(0, len(labels) - 1), target)
        chart.addSeries(goal)
        goal.attachAxis(x_axis)
        goal.attachAxis(y_axis)
    return chart


# -- the document ---------------------------------------------------------------------------------


def _e(value) -> str:
    return html.escape(str(value))


def commune_short(name: str) -> str:
    for prefix in ("Xã ", "Phường ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def national_header(report: Report) -> str:
    s = report.summary
    commune = s.commune_name or ""
    day = report.today
    return f"""
<table width="100%" cellspacing="0" cellpadding="2">
<tr>
  <td width="40%" align="center">{_e(("UBND " + commune).upper())}<br>
      <b>TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG</b><br>———————</td>
  <td width="60%" align="center"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>
      <b>Độc lập - Tự do - Hạnh phúc</b><br>———————————</td>
</tr>
<tr><td></td><td align="center"><i>{_e(commune_short(commune))}, ngày {day.day:02d} tháng
  {day.month:02d} năm {day.year}</i></td></tr>
</table>"""


def report_html(report: Report, chart_width: int) -> str:
    s = report.summary
    cat: Catalogue = report.catalogue
    parts = [national_header(report)]
    parts.append(
        "<p align='center' style='font-size:14pt'><b>BÁO CÁO KẾT QUẢ CHUYỂN ĐỔI SỐ CỘNG ĐỒNG"
        f"</b><br>Kỳ báo cáo: {_e(s.period.code)} (số liệu đến ngày "
        f"{date_text(report.today)})</p>"
    )
    previous = report.previous
    since = ""
    if previous:
        since = f" (so với lần xuất ngày {_e(date_text(str(previous.get('at', ''))))})"
    parts.append(
        f"<h3>I. Kết quả toàn {'xã' if s.total_label == 'Toàn xã' else 'địa bàn'}"
        f" theo chỉ tiêu</h3>"
    )
    rows = [
        "<tr bgcolor='#DDE7F0'><th width='4%'>STT</th><th width='36%'>Chỉ tiêu</th>"
        "<th>Đủ điều kiện</th>"
        "<th>Đã đạt</th><th>Tỷ lệ (%)</th><th>Chỉ tiêu (%)</th><th>Còn phải đạt</th>"
        f"<th>Thay đổi (điểm %){since}</th></tr>"
    ]
    for number, ind in enumerate(s.indicators, start=1):
        cell = s.totals[ind.code]
        colour = STATUS_COLOURS.get(cell.status)
        bg = f" bgcolor='{colour}'" if colour else ""
        target = vi_percent(cell.target) if cell.target is not None else ""
        to_reach = vi_int(cell.to_reach) if cell.target is not None else ""
        change = vi_points(report.change_since_previous(ind.code)) if previous else ""
        rows.append(
            f"<tr><td align='center'>{number}</td><td>{_e(indicator_name(ind))}</td>"
            f"<td align='right'>{vi_int(cell.eligible)}</td>"
            f"<td align='right'>{vi_int(cell.covered)}</td>"
            f"<td align='right'{bg}><b>{vi_percent(cell.percent)}</b></td>"
            f"<td align='right'>{target}</td><td align='right'>{to_reach}</td>"
            f"<td align='right'>{change}</td></tr>"
        )
    parts.append(_table(rows))
    if not previous:
        parts.append("<p><i>Chưa có lần xuất báo cáo trước để so sánh.</i></p>")

    parts.append("<h3>II. Tỷ lệ (%) theo ấp/thôn</h3>")
    head = "".join(f"<th>{_e(indicator_short(cat, ind.code))}</th>" for ind in s.indicators)
    rows = [f"<tr bgcolor='#DDE7F0'><th>Ấp/thôn</th>{head}</tr>"]
    for hamlet_id, name in s.hamlets:
        cells = []
        for ind in s.indicators:
            cell = s.cell(hamlet_id, ind.code)
            colour = STATUS_COLOURS.get(cell.status)
            bg = f" bgcolor='{colour}'" if colour else ""
            cells.append(f"<td align='right'{bg}>{vi_percent(cell.percent)}</td>")
        rows.append(f"<tr><td>{_e(name)}</td>{''.join(cells)}</tr>")
    totals = "".join(
        f"<td align='right'><b>{vi_percent(s.totals[ind.code].percent)}</b></td>"
        for ind in s.indicators
    )
    rows.append(f"<tr bgcolor='#F2F2F2'><td><b>{_e(s.total_label)}</b></td>{totals}</tr>")
    parts.append(_table(rows, font_pt=7.5))
    parts.append(
        "<p><i>Màu xanh: đạt chỉ tiêu; vàng: kém chỉ tiêu dưới 10 điểm %; đỏ: chưa đạt.</i></p>"
    )

    parts.append("<h3>III. Biểu đồ</h3>")
    images = f"<img src='chart://bar' width='{chart_width}'>"
    if report.progress is not None and report.progress.available:
        images += f"&nbsp;<img src='chart://line' width='{chart_width}'>"
    parts.append(f"<p align='center'>{images}</p>")

    if report.volunteers:
        parts.append("<h3>IV. Hoạt động của tình nguyện viên</h3>")
        rows = [
            "<tr bgcolor='#DDE7F0'><th>Tình nguyện viên</th><th>Lượt thăm tuần này</th>"
            "<th>Lượt thăm tháng này</th><th>Hộ đã gặp trong kỳ</th>"
            "<th>Đồng bộ gần nhất</th></tr>"
        ]
        for v in report.volunteers:
            last = time_text(v.last_sync) or "chưa đồng bộ"
            stale = " bgcolor='#FFC7CE'" if v.stale else ""
            rows.append(
                f"<tr><td>{_e(v.name)}</td><td align='right'>{v.visits_week}</td>"
                f"<td align='right'>{v.visits_month}</td>"
                f"<td align='right'>{vi_int(v.households_reached)}</td>"
                f"<td{stale}>{_e(last)}</td></tr>"
            )
        parts.append(_table(rows))
    parts.append(
        "<br><table width='100%'><tr><td width='50%' align='center'><b>NGƯỜI LẬP BIỂU</b><br>"
        "<i>(Ký, ghi rõ họ tên)</i></td><td width='50%' align='center'><b>TỔ TRƯỞNG</b><br>"
        "<i>(Ký, ghi rõ họ tên)</i></td></tr></table>"
    )
    return "\n".join(parts)


def _table(rows: list[str], font_pt: float = 9) -> str:
    return (
        f"<table width='100%' border='1' cellspacing='0' cellpadding='3' "
        f"style='border-collapse:collapse; font-size:{font_pt}pt'>" + "".join(rows) + "</table>"
    )


def _writer(path: Path, landscape: bool) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setCreator("Gõ Cửa")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    writer.setPageMargins(QMarginsF(15, 12, 15, 12), QPageLayout.Unit.Millimeter)
    return writer


def _print(doc: QTextDocument, writer: QPdfWriter, footer: str, family: str) -> int:
    """Lay the document out on the writer's pages and paint it; returns the page count."""
    # The layout must measure with the writer's resolution before the page size is set, or
    # the text comes out a third of its size.
    doc.documentLayout().setPaintDevice(writer)
    area = writer.pageLayout().paintRectPixels(writer.resolution())
    footer_h = writer.resolution() * 0.25
    page = QSizeF(area.width(), area.height() - footer_h)
    doc.setPageSize(page)
    pages = doc.pageCount()
    painter = QPainter(writer)
    try:
        painter.setFont(QFont(family, 7))
        for index in range(pages):
            if index:
                writer.newPage()
            painter.save()
            painter.translate(0, -index * page.height())
            doc.drawContents(painter, QRectF(0, index * page.height(), page.width(), page.height()))
            painter.restore()
            painter.drawText(
                QRectF(0, page.height(), page.width(), footer_h),
                Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignRight,
                f"{footer} – Trang {index + 1}/{pages}",
            )
    finally:
        painter.end()
    return pages


def chart_images(report: Report) -> dict[str, QImage]:
    """The report's charts as images (``bar``, and ``line`` when the progress is known).

    QtCharts lives in a QGraphicsScene, which Qt allows on the GUI thread only: the app calls
    this there (about 20 ms for both charts) and paints the rest of the PDF off it."""
    ensure_app()
    family = load_fonts()
    code = (
        report.chart_indicator
        if report.chart_indicator in {i.code for i in report.summary.indicators}
        else report.summary.indicators[0].code
    )
    images = {"bar": _render(bar_chart(report, code, family), CHART_SIZE[0], CHART_SIZE[1])}
    line = line_chart(report, family)
    if line is not None:
        images["line"] = _render(line, CHART_SIZE[0], CHART_SIZE[1])
    return images


def write_pdf(
    report: Report, path: Path | str, charts: dict[str, QImage] | None = None
) -> dict[str, int]:
    """The meeting report as a landscape A4 PDF; returns counts for the export log.

    With ``charts`` (:func:`chart_images`, made on the GUI thread) the rest, a QTextDocument
    painted on a QPdfWriter, needs no widget and runs in a worker thread (the same file, byte
    for byte but its id, as painted on the GUI thread: measured for issue 16)."""
    ensure_app()
    family = load_fonts()
    if charts is None:
        charts = chart_images(report)
    path = Path(path)
    writer = _writer(path, landscape=True)
    doc = QTextDocument()
    doc.setDefaultFont(QFont(family, 9))
    doc.documentLayout().setPaintDevice(writer)
    area = writer.pageLayout().paintRectPixels(writer.resolution())
    # <img width> is in CSS pixels (1/96 inch), which the layout scales to the writer's dots.
    chart_width = int(area.width() * 0.48 * 96 / writer.resolution())
    for name, image in charts.items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart://{name}"), image)
    doc.setHtml(report_html(report, chart_width))
    pages = _print(
        doc, writer, f"{report.summary.commune_name} – kỳ {report.summary.period.code}", family
    )
    del writer
    return {"pages": pages, "hamlets": len(report.summary.hamlets)}


# -- the follow-up list -------------------------------------------------------------------------------


def follow_up_html(
    rows: list[FollowUpRow], catalogue: Catalogue, title: str, unmask: bool = False
) -> str:
    out = [f"<p align='center' style='font-size:13pt'><b>{_e(title)}</b></p>"]
    if not unmask:
        out.append("<p><i>Số CCCD và điện thoại đã được che.</i></p>")
    lines = [
        "<tr bgcolor='#DDE7F0'><th>STT</th><th>Địa chỉ</th><th>Họ và tên</th>"
        "<th>Năm sinh</th><th>Điện thoại</th><th>Còn thiếu (lý do)</th>"
        "<th>Lần thăm gần nhất</th><th>Hẹn lại</th><th>Ghi chú</th></tr>"
    ]
    for number, row in enumerate(rows, start=1):
        lines.append(
            f"<tr><td align='center'>{number}</td><td>{_e(row.address)}</td>"
            f"<td>{_e(row.full_name)}</td><td>{row.birth_year or ''}</td>"
            f"<td>{_e(row.phone_shown(unmask))}</td><td>{_e(row.missing_text(catalogue))}</td>"
            f"<td>{_e(row.last_visit_text())}</td><td>{_e(row.follow_up_text())}</td>"
            "<td width='12%'></td></tr>"
        )
    out.append(_table(lines, font_pt=8))
    return "".join(out)


def write_follow_up_pdf(
    rows: list[FollowUpRow],
    catalogue: Catalogue,
    path: Path | str,
    title: str,
    unmask: bool = False,
) -> int:
    """The follow-up list for a walking route, to print and carry; returns the page count.
    No widget or chart: it may run in a worker thread once :func:`load_fonts` has run on the
    GUI thread."""
    ensure_app()
    family = load_fonts()
    writer = _writer(Path(path), landscape=True)
    doc = QTextDocument()
    doc.setDefaultFont(QFont(family, 8))
    doc.documentLayout().setPaintDevice(writer)
    doc.setHtml(follow_up_html(rows, catalogue, title, unmask))
    pages = _print(doc, writer, title, family)
    del writer
    return pages
