"""The idle lock of a shared desk: after some minutes without keyboard or mouse, the window locks.

The open page and its data stay as they were underneath a cover; only the
person who is signed in can unlock it, with their password. Scans are ignored
while locked. The time comes from Settings.extra["idle_lock_minutes"]
(default 10; 0 turns the lock off).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from ..i18n import _
from .widgets import name_widget

DEFAULT_IDLE_MINUTES = 10
ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
            QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class IdleWatch(QObject):
    """Emits `idle` after `minutes` without user input anywhere in the application."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.enabled = minutes > 0
        if self.enabled:
            self.timer.setInterval(max(1, int(minutes * 60_000)))
            QApplication.instance().installEventFilter(self)
            self.timer.start()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() in ACTIVITY and self.timer.isActive():
            self.timer.start()  # any activity restarts the count
        return False

    def restart(self) -> None:
        if self.enabled:
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.enabled:
            QApplication.instance().removeEventFilter(self)


class LockCover(QWidget):
    """Covers the window's content while it is locked, so nothing on it can be read or clicked."""

    def __init__(self, parent: QWidget, user_name: str) -> None:
        super().__init__(parent)
        name_widget(self, "lockCover", _("Locked"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockCover { background: #1f2933; } QLabel { color: white; }")
        text = QLabel(_("Locked after a period without activity. {name} signs in again to continue; "
                        "the open work is kept.", name=user_name))
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = text.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        text.setFont(font)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(text)
        layout.addStretch(1)

    def cover(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
