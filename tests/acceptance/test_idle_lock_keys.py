"""A shared desk that locked itself is unlocked with the password and Enter; Esc does not unlock."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from app.config import Settings


@pytest.fixture
def quick_lock(warehouse):
    settings = Settings.load()
    settings.extra["idle_lock_minutes"] = 0.01  # 0.6 s without a key
    settings.save()


def locked(window) -> bool:
    cover = window.findChild(QWidget, "lockCover")
    return cover is not None and cover.isVisible()


def test_the_locked_desk_says_who_and_unlocks_with_enter(quick_lock, start, desk, qtbot):
    window = start("tine")
    qtbot.waitUntil(lambda: locked(window), timeout=5000)
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and dialog.isAncestorOf(QApplication.focusWidget()))
    assert "vergrendeld" in dialog.header_label.text() and "Tine Technieker" in dialog.intro_label.text()
    desk.press("Esc")  # Esc does not unlock
    assert locked(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and dialog.isAncestorOf(QApplication.focusWidget()))
    desk.type("tech-pass-1")
    desk.enter()
    assert not locked(window)
