"""The look of the app: one readable font size and a quiet stylesheet.

The people at the intake desk read the screen from arm's length while
handling hardware, so text is a little larger than Qt's default and the
navigation rows are tall enough to hit with a mouse in a hurry. Colours are
few: one accent for the selected page and red only for refusals.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

BASE_POINT_SIZE = 11
ACCENT = "#1f5f8b"
ERROR = "#a4161a"

STYLESHEET = f"""
QListWidget#navigation {{
    background: #eef2f5;
    border: none;
    border-right: 1px solid #d0d7de;
    font-size: 13pt;
    padding-top: 8px;
    outline: none;
}}
QListWidget#navigation::item {{
    padding: 10px 16px;
    color: #1b1f23;
}}
QListWidget#navigation::item:hover {{
    background: #dde5ec;
}}
QListWidget#navigation::item:selected {{
    background: {ACCENT};
    color: white;
}}
QLabel#pageHeader {{
    font-size: 20pt;
    font-weight: 600;
    color: #1b1f23;
    padding-bottom: 4px;
}}
QLabel#dialogHeader {{
    font-size: 15pt;
    font-weight: 600;
}}
QFrame#placeholderNotice {{
    background: #f6f8fa;
    border: 1px solid #d0d7de;
    border-radius: 6px;
}}
QLabel#placeholderHeadline {{
    font-size: 16pt;
    font-weight: 600;
    color: #57606a;
}}
QLabel#placeholderPurpose {{
    font-size: 14pt;
    color: #1b1f23;
}}
QLabel[role="error"] {{
    color: {ERROR};
    background: #fdecea;
    border: 1px solid #f5c2c0;
    border-radius: 4px;
    padding: 6px 8px;
}}
QStatusBar QLabel {{
    padding: 0 8px;
}}
QToolButton[popupMode="2"] {{
    /* the inventory's filter drop-downs: like the other drop-downs, the arrow beside the text */
    background: white;
    border: 1px solid #b6bec7;
    border-radius: 3px;
    padding: 3px 24px 3px 8px;
}}
QToolButton[popupMode="2"]::menu-indicator {{
    subcontrol-origin: padding;
    subcontrol-position: right center;
    right: 6px;
}}
QLabel#lotTitle {{
    font-size: 15pt;
    font-weight: 600;
    color: #0a3069;
    background: #ddf4ff;
    border-left: 6px solid {ACCENT};
    padding: 8px 12px;
}}
QLabel[role="notice"] {{
    color: #4d2d00;
    background: #fff8c5;
    border: 1px solid #d4a72c;
    border-radius: 4px;
    padding: 6px 8px;
}}
"""


def apply_style(app: QApplication) -> None:
    font = QFont(app.font())
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
