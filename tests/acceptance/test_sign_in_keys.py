"""Signing in at the desk with the keyboard: Enter signs in, Esc cancels, focus lands on the work."""

from __future__ import annotations

from app.ui.sign_in import SignInDialog


def test_enter_after_the_password_signs_in(start):
    window = start("tine")
    assert window is not None and window.isVisible()
    assert "Tine Technieker" in window.user_label.text()


def test_esc_in_the_sign_in_dialog_cancels(desk, warehouse):
    from app.config import Settings
    from app.ui import app as desk_app

    settings = Settings.load()
    desk_app.prepare_application(settings)
    desk.when_modal(SignInDialog, lambda _dialog: (desk.type("tine"), desk.press("Esc")))
    assert desk_app.open_window(warehouse, settings) is None


def test_a_wrong_password_and_enter_says_so_and_keeps_the_dialog(desk, warehouse):
    from app.config import Settings
    from app.ui import app as desk_app

    seen = {}

    def wrong_then_right(dialog) -> None:
        desk.type("tine")
        desk.press("Tab")
        desk.type("not-my-password")
        desk.enter()
        seen["visible"], seen["error"] = dialog.isVisible(), dialog.error_label.text()
        desk.type("tech-pass-1")  # the password field was cleared and has the focus again
        desk.enter()

    settings = Settings.load()
    desk_app.prepare_application(settings)
    desk.when_modal(SignInDialog, wrong_then_right)
    window = desk_app.open_window(warehouse, settings)
    assert seen["visible"] and seen["error"]
    assert window is not None
    window.close()
