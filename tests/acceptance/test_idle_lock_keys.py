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


def lock_dialog(window, qtbot):
    """The desk locks itself; the unlock dialog comes up with the keyboard in it."""
    qtbot.waitUntil(lambda: locked(window), timeout=5000)
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and dialog.isAncestorOf(QApplication.focusWidget()))
    return dialog


def test_the_locked_desk_says_who_and_unlocks_with_enter(quick_lock, start, desk, qtbot):
    window = start("tine")
    dialog = lock_dialog(window, qtbot)
    assert "vergrendeld" in dialog.header_label.text() and "Tine Technieker" in dialog.intro_label.text()
    desk.press("Esc")  # Esc does not unlock
    assert locked(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and dialog.isAncestorOf(QApplication.focusWidget()))
    desk.type("tech-pass-1")
    desk.enter()
    assert not locked(window)


def test_another_person_signs_in_at_the_locked_desk(quick_lock, start, desk, qtbot):
    from app.ui.main_window import MainWindow

    window = start("tine")
    dialog = lock_dialog(window, qtbot)
    assert "F2" in dialog.findChild(QWidget, "switchUserButton").text()
    desk.shortcut("F2")  # another person signs in
    assert "Tine Technieker" in dialog.intro_label.text() and not dialog.username_edit.isReadOnly()
    desk.type("mia")
    desk.press("Tab")
    desk.type("mgr-pass-1")
    desk.enter()
    qtbot.waitUntil(lambda: any(isinstance(w, MainWindow) and w.isVisible() and w.user.username == "mia"
                                for w in QApplication.topLevelWidgets()))
    mine = next(w for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible() and w.user.username == "mia")
    qtbot.addWidget(mine)
    assert not window.isVisible()  # Tine's window is gone, not hidden behind
    assert "Mia Manager" in mine.findChild(QWidget, "userStatus").text()
    assert not mine.locked
    qtbot.waitUntil(lambda: mine.isAncestorOf(QApplication.focusWidget()))


def test_the_wrong_person_does_not_unlock_someone_else_s_work(quick_lock, start, desk, qtbot):
    window = start("tine")
    dialog = lock_dialog(window, qtbot)
    assert dialog.username_edit.isReadOnly() and dialog.username_edit.text() == "tine"
    desk.type("mgr-pass-1")  # Mia's password in Tine's name: refused, still locked
    desk.enter()
    assert locked(window)
