"""A busy day at the desk must not crash the app.

PySide6 6.12.0 on Python 3.11 dropped a reference to None on every call that
returns nothing, and to True on every signal emit, until Python aborted after a
few thousand calls — a scan session's worth. The pinned PySide6 must not.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    scanned = Signal(str)


def test_many_widget_calls_and_signals_keep_none_and_true_alive(qapp):
    label = QLabel()
    emitter = _Emitter()
    received = []
    emitter.scanned.connect(received.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(10_000):
        label.setText(f"CD{i:08d}")
        emitter.scanned.emit("x")
    assert len(received) == 10_000
    # A leak of one reference per call would have lowered these by 10 000.
    assert sys.getrefcount(None) > none_before - 1000
    assert sys.getrefcount(True) > true_before - 1000
