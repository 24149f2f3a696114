"""Regenerate the screenshots in docs/: the main window and the sign-in dialog, in Dutch.

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

    window = MainWindow(database, user, Settings())
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.grab().save(str(DOCS / "main-window.png"))

    dialog = SignInDialog(database.session, username="an")
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(DOCS / "sign-in.png"))
    database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
