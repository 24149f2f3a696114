"""A person and a scanner at the desk: key events only, to wherever the keyboard focus is.

Typing and scanning go the way the window system delivers them: key presses with timestamps to
the focused widget, seen first by the application-wide scanner filter (a person types a key
every 150 ms, a scanner every 10 ms and ends with Enter). Shortcuts (Ctrl+…, F-keys) go through
Qt's shortcut map, as a real key press does. Nothing here calls a page's methods or touches a
widget's state: what a test learns, it reads from the screen or the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

# The people of the acceptance warehouse (conftest.warehouse) and their passwords.
PASSWORDS = {"admin": "admin-pass-1", "tine": "tech-pass-1", "mia": "mgr-pass-1"}

PERSON_GAP = 150
SCANNER_GAP = 10
KEYS = {"Enter": Qt.Key.Key_Return, "Tab": Qt.Key.Key_Tab, "Esc": Qt.Key.Key_Escape,
        "Backtab": Qt.Key.Key_Backtab, "Down": Qt.Key.Key_Down, "Up": Qt.Key.Key_Up,
        "Space": Qt.Key.Key_Space}
TEXT = {"Enter": "\r", "Tab": "\t", "Esc": "\x1b", "Space": " "}


class Desk:
    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.now = 1_000_000  # event timestamps, ms

    # -- where keys go ----------------------------------------------------------------

    @staticmethod
    def focus() -> QWidget:
        # An open pop-up (a completer's list, a combo box's list) gets the keys first, as it does
        # with a real keyboard; then the focused widget, else the active (modal) window.
        widget = (QApplication.activePopupWidget() or QApplication.focusWidget()
                  or QApplication.activeModalWidget() or QApplication.activeWindow())
        assert widget is not None, "no window has the keyboard"
        return widget

    def _send(self, key: int, text: str, mods=Qt.KeyboardModifier.NoModifier) -> None:
        self._window_manager()
        target = self.focus()
        press = QKeyEvent(QEvent.Type.KeyPress, key, mods, text)
        press.setTimestamp(self.now)
        QApplication.sendEvent(target, press)
        release = QKeyEvent(QEvent.Type.KeyRelease, key, mods, text)
        release.setTimestamp(self.now + 1)
        if target in (QApplication.focusWidget(), QApplication.activePopupWidget()):
            QApplication.sendEvent(target, release)

    @staticmethod
    def _window_manager() -> None:
        """What a window manager does and Qt's offscreen platform does not: when a pop-up (a
        completer's list) or a dialog closes, the window under it becomes active again."""
        active, focus = QApplication.activeWindow(), QApplication.focusWidget()
        if active is not None and not active.isVisible() and focus is not None:
            focus.window().activateWindow()
            QApplication.processEvents()
        elif active is None:
            shown = [w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QMainWindow) and w.isVisible()]
            if shown:
                shown[-1].activateWindow()
                QApplication.processEvents()

    # -- a person ---------------------------------------------------------------------

    def type(self, text: str) -> None:
        """Type like a person; the last key reaches the field once the scanner filter lets go."""
        for char in text:
            self.now += PERSON_GAP
            key = ord(char.upper()) if char.isalpha() else ord(char)
            self._send(key, char)
        self.settle()

    def press(self, name: str) -> None:
        """Enter, Tab, Esc, … pressed by a person."""
        self.now += PERSON_GAP
        self._send(KEYS[name], TEXT.get(name, ""))
        self.settle()

    def enter(self) -> None:
        self.press("Enter")

    def shortcut(self, sequence: str) -> None:
        """Ctrl+2, F5, Alt+U: through Qt's shortcut map, like a real key press."""
        combo = QKeySequence(sequence)[0]
        self._window_manager()
        QTest.keyClick(self.focus(), combo.key(), combo.keyboardModifiers())
        self.settle()

    # -- a scanner --------------------------------------------------------------------

    def scan(self, code: str) -> None:
        """A scanner burst: the code at scanner speed, then Enter."""
        self.now += 1_000
        for char in code:
            self.now += SCANNER_GAP
            key = ord(char.upper()) if char.isalpha() else ord(char)
            self._send(key, char)
        self.now += SCANNER_GAP
        self._send(Qt.Key.Key_Return, "\r")
        self.settle()

    # -- time -------------------------------------------------------------------------

    def settle(self, ms: int = 120) -> None:
        """Let the event loop run (the scanner filter's silence timer, queued scans, repaints),
        and on a busy machine a little longer: until no scanner holds a typed key back."""
        self.qtbot.wait(ms)
        deadline = time.monotonic() + 3
        while self._keys_held() and time.monotonic() < deadline:
            self.qtbot.wait(20)

    @staticmethod
    def _keys_held() -> bool:
        scanners = [getattr(w, "scanner", None) for w in QApplication.topLevelWidgets()]
        return any(getattr(s, "_held", None) for s in scanners)

    def when_modal(self, kind: type, actions: Callable[[QWidget], None], timeout: float = 10) -> None:
        """Run `actions(dialog)` as soon as a modal dialog of `kind` is up (for exec() dialogs)."""
        deadline = time.monotonic() + timeout

        def look() -> None:
            dialog, focus = QApplication.activeModalWidget(), QApplication.focusWidget()
            if (isinstance(dialog, kind) and dialog.isVisible() and focus is not None
                    and dialog.isAncestorOf(focus)):  # up, and it has the keyboard
                actions(dialog)
            elif time.monotonic() < deadline:
                QTimer.singleShot(20, look)

        QTimer.singleShot(0, look)
