"""Screenshots of the disposal page (Dutch) and a rendered EOL certificate, for docs/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/disposal_screenshots.py [en]

A throw-away database with the end-of-life demo (services/disposal_demo.py): a certified
processor, a carrier, four batches picked up over the past year, an open batch being filled
(with one device still lacking a wipe record, so the close shows what stops it), and devices
awaiting disposal. Writes docs/screenshots/disposal-*.png (the page, a refused scan, a closed
batch, the processors dialog) and docs/eol-certificate.png.
"""

from __future__ import annotations

import dataclasses
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(language: str = "nl") -> int:
    scratch = Path(tempfile.mkdtemp(prefix="depot-disposal-shots-"))
    os.environ["DEPOT_CONFIG_DIR"] = str(scratch / "config")
    os.environ["DEPOT_DATA_DIR"] = str(scratch / "data")

    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from app.config import Settings
    from app.db import open_database
    from app.i18n import set_language
    from app.models import Asset, AssetStatus, DisposalItem, DisposalStatus, User
    from app.services import auth, disposal, disposal_views
    from app.services.disposal_demo import fill
    from app.ui.app import install_qt_translations
    from app.ui.main_window import MainWindow
    from app.ui.pages import PAGES
    from app.ui.style import apply_style

    auth.use_cheap_hashing_for_tests()
    app = QApplication.instance() or QApplication(sys.argv)
    set_language(language)
    install_qt_translations(app, language)
    apply_style(app)
    database = open_database(f"sqlite:///{scratch / 'depot.sqlite'}")
    with database.session() as s:
        admin = auth.create_first_admin(s, "beheer", "Beheerder", "demo-wachtwoord")
        fill(s, admin, random.Random(7), closed_batches=4, batch_size=(18, 34), waiting=20)
        manager = s.scalar(select(User).where(User.username == "manager"))
        in_batch = select(DisposalItem.asset_id)
        waiting = list(s.scalars(select(Asset.tag).where(
            Asset.status == AssetStatus.AWAITING_DISPOSAL, Asset.id.not_in(in_batch))
            .order_by(Asset.id)))
        last_closed = next(b for b in disposal.batches(s) if b.status == DisposalStatus.CLOSED)
        number, pdf = disposal_views.certificate_pdf(s, last_closed.id)
        manager_id = manager.id

    settings = Settings(extra={"printing": {"label_target": "folder",
                                            "folder": str(scratch / "printed")},
                               "sound_muted": True})
    with database.session() as s:
        user = s.get(User, manager_id)
    # Only this page is built: another workflow's page, still under construction, must not
    # widen the window beyond 1280 pixels in a picture of this one.
    pages = tuple(spec if spec.key == "disposal" else dataclasses.replace(spec, factory=None)
                  for spec in PAGES)
    window = MainWindow(database, user, settings, pages)
    window.resize(1280, 800)
    window.show()
    window.show_page("disposal")
    app.processEvents()
    page = window.stack.currentWidget()
    for tag in waiting[:5]:  # the first of them lacks a wipe record (disposal_demo: i % 11 == 0)
        page.handle_scan(tag)
        app.processEvents()
    suffix = "" if language == "nl" else f"-{language}"
    window.grab().save(str(HERE / f"disposal-batch{suffix}.png"))
    page.handle_scan(_not_awaiting(database))  # a device that was already disposed of
    app.processEvents()
    window.grab().save(str(HERE / f"disposal-refused{suffix}.png"))

    page.batch_id = last_closed.id
    page.refresh()
    app.processEvents()
    window.grab().save(str(HERE / f"disposal-closed{suffix}.png"))

    page.edit_processors()
    app.processEvents()
    page.dialog.grab().save(str(HERE / f"disposal-processors{suffix}.png"))
    page.dialog.close()

    pdf_path = scratch / "eol.pdf"
    pdf_path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-png", "-singlefile",
                    str(pdf_path), str(ROOT / "docs" / f"eol-certificate{suffix}")], check=True)
    print(number, "→ docs/eol-certificate.png and docs/screenshots/disposal-*.png")
    window.close()
    return 0


def _not_awaiting(database) -> str:
    from sqlalchemy import select

    from app.models import Asset, AssetStatus

    with database.session() as s:
        return s.scalar(select(Asset.tag).where(Asset.status == AssetStatus.DISPOSED).limit(1))


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
