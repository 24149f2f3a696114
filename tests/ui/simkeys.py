"""Simulated keyboards for the window tests: a scanner (fast keys, then Enter) and a person.

Key presses are QKeyEvent objects with explicit timestamps (ms), sent to a
receiver the way the platform would deliver them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

SCANNER_GAP = 10
PERSON_GAP = 150
ENTER = Qt.Key.Key_Return
TAB = Qt.Key.Key_Tab
NO_MODS = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def key_event(char: str | None, at: int, *, key: int | None = None,
              mods=NO_MODS) -> QKeyEvent:
    if key is None:
        key = ord(char.upper()) if char.isalpha() else ord(char)
    event = QKeyEvent(QEvent.Type.KeyPress, key, mods, char or "")
    event.setTimestamp(at)
    return event


def terminator_event(key: int, at: int) -> QKeyEvent:
    return key_event({ENTER: "\r", TAB: "\t"}[key], at, key=key)


class Keyboard:
    """Presses keys on a receiver with a running timestamp, like a scanner or a person would."""

    def __init__(self, receiver, start: int = 10_000) -> None:
        self.receiver = receiver
        self.now = start

    def press(self, event: QKeyEvent) -> None:
        QApplication.sendEvent(self.receiver, event)

    def type(self, text: str, gap: int, end: int | None = ENTER) -> None:
        for char in text:
            self.press(key_event(char, self.now))
            self.now += gap
        if end is not None:
            self.press(terminator_event(end, self.now))
            self.now += gap

    def scan(self, code: str, end: int = ENTER, pause_after: int = 50) -> None:
        self.type(code, SCANNER_GAP, end)
        self.now += pause_after

    def pause(self, ms: int) -> None:
        self.now += ms
