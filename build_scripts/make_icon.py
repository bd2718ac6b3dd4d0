"""Draws the app icon (a door with a knocker, on the national red) into resources/icons/.

Run once when the design changes: ``python build_scripts/make_icon.py``. The PNG and ICO it
writes are committed, so building the installer needs no drawing step.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#C8102E"))  # red of the flag
    p.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 48 * s, 48 * s)
    p.setBrush(QColor("#FFCD00"))  # star yellow: the door
    p.drawRoundedRect(QRectF(78 * s, 44 * s, 100 * s, 176 * s), 14 * s, 14 * s)
    p.setBrush(QColor("#C8102E"))
    p.drawEllipse(QPointF(154 * s, 134 * s), 10 * s, 10 * s)  # the knocker
    pen = QPen(QColor("#FFFFFF"), 10 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    for r in (26, 44):  # the knock, as sound waves
        p.drawArc(
            QRectF((128 + 60 - r) * s, (134 - r) * s, 2 * r * s, 2 * r * s), -45 * 16, 90 * 16
        )
    p.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(OUT / "gocua.png"))
    draw(256).save(str(OUT / "gocua.ico"))
    draw(64).save(str(OUT / "gocua-64.png"))
    print(f"wrote icons to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
