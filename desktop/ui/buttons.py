"""Enter in a dialog presses its primary action, never "Hủy" or "Thoát".

Qt's rules behind the bugs this prevents:

* ``QPushButton.setDefault(True)`` registers the button as its dialog's default only when the
  button already sits in the dialog. A ``QDialogButtonBox()`` made without a parent is a window
  of its own until it is added to the layout, so a default set before that is a flag the dialog
  never hears of.
* A dialog without a registered default adopts the first *autoDefault* push button that gets
  the focus, and keeps it when the focus leaves. Disabling the focused field and the OK button
  during a check hands the focus to "Hủy", which so became the default for good: the next
  Enter cancelled.
* A focused autoDefault button takes Enter itself (Tab out of a form onto "Dùng thử" + Enter).

:func:`make_primary` is called once every button is in the dialog.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QPushButton


def make_primary(dialog: QDialog, primary: QPushButton | None) -> None:
    """``primary`` becomes the only button Enter presses in ``dialog`` (None: Enter presses no
    button); every other push button of the dialog loses autoDefault. Space still presses the
    focused button, whichever it is."""
    for button in dialog.findChildren(QPushButton):
        if button is not primary:
            button.setAutoDefault(False)
            button.setDefault(False)
    if primary is None:
        return
    if primary.window() is not dialog:
        raise ValueError("make_primary: add the button to the dialog first")
    primary.setAutoDefault(True)
    primary.setDefault(False)  # a flag set before the button was in the dialog: set it anew
    primary.setDefault(True)
