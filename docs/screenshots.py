"""Regenerate the screenshots in docs/: main window, sign-in, the intake desk, in Dutch.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots.py

Uses a throw-away database and settings folder with a demo technician, so the
pictures never show anyone's real data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="depot-screenshots-"))
    os.environ["DEPOT_CONFIG_DIR"] = str(scratch / "config")
    os.environ["DEPOT_DATA_DIR"] = str(scratch / "data")

    from PySide6.QtWidgets import QApplication

    from app.config import Settings, default_database_url
    from app.db import open_database
    from app.i18n import set_language
    from app.models import Role
    from app.services import auth
    from app.ui.app import install_qt_translations
    from app.ui.main_window import MainWindow
    from app.ui.sign_in import SignInDialog
    from app.ui.style import apply_style

    app = QApplication.instance() or QApplication(sys.argv)
    set_language("nl")
    install_qt_translations(app, "nl")
    apply_style(app)
    database = open_database(default_database_url())
    with database.session() as session:
        admin = auth.create_first_admin(session, "beheer", "Beheerder", "demo-wachtwoord")
        user = auth.add_user(session, admin, "an", "An Peeters", Role.TECHNICIAN, "demo-wachtwoord")

        from app.services import parties

        for name in ("Dienst Mobiliteit", "Departement Onderwijs", "Dienst Welzijn"):
            parties.create_party(session, admin, "service", name=name)

    settings = Settings(extra={"printing": {"label_target": "folder",
                                            "folder": str(scratch / "printed")},
                               "sound_muted": True})
    window = MainWindow(database, user, settings)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.grab().save(str(DOCS / "main-window.png"))
    shoot_intake(app, window)

    dialog = SignInDialog(database.session, username="an")
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(DOCS / "sign-in.png"))
    database.dispose()
    return 0


def shoot_intake(app, window) -> None:
    """The intake desk empty, in the middle of a lot (form open) and refusing a duplicate."""
    page = window.stack.currentWidget()
    page.delivered_by.setText("Jan De Smet")
    window.grab().save(str(DOCS / "intake-empty.png"))
    page.open_lot()
    devices = [("5CG1071KQX", "HP", "EliteBook 840 G8")] * 1 + [
        ("5CG1071KR2", "HP", "EliteBook 840 G8"), ("PF2RX8KD", "Lenovo", "ThinkPad T14 Gen 2"),
        ("CN0J8T2K", "Dell", "P2419H"), ("CN0J8T3M", "Dell", "P2419H"),
        ("359874110023457", "Fairphone", "Fairphone 4")]
    for serial, make, model in devices:
        page.handle_scan(serial)
        page.device_form.manufacturer.setText(make)
        page.device_form.model.setText(model)
        page.device_form._apply_catalogue()
        page.confirm_device()
    page.handle_scan("PF2RX9LM")
    page.device_form.manufacturer.setText("Lenovo")
    page.device_form.model.setText("ThinkPad T14 Gen 2")
    page.device_form._apply_catalogue()
    app.processEvents()
    window.grab().save(str(DOCS / "intake-mid-lot.png"))
    page.cancel_device()
    page.handle_scan("CN0J8T2K")
    app.processEvents()
    window.grab().save(str(DOCS / "intake-error.png"))


if __name__ == "__main__":
    sys.exit(main())
