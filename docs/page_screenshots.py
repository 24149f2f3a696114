"""Every page of the window, as a warehouse manager sees it, at the two screen sizes of the
province's desks (1280×800 and 1366×768), in Dutch and in English: docs/pages/<lang>/<size>/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/page_screenshots.py [--devices N]

Each language runs in its own process (Qt's translations are installed once per application),
on a throw-away demo warehouse made by the real `demo` (its history over the last months), with
the production style. The bench is shown with a device on it. The script says, per picture, how
wide the window was: a page wider than its screen is an error (exit code 1).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent
OUT = DOCS / "pages"
SIZES = [(1280, 800), (1366, 768)]
LANGUAGES = ["nl", "en"]


def shoot(language: str, devices: int) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="depot-pages-"))
    os.environ["DEPOT_CONFIG_DIR"] = str(scratch / "config")
    os.environ["DEPOT_DATA_DIR"] = str(scratch / "data")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(DOCS.parent))

    from sqlalchemy import select

    from app.config import Settings, default_database_url
    from app.db import open_database
    from app.models import Asset, AssetStatus
    from app.services import auth, demo
    from app.services.permissions import SYSTEM
    from app.ui import app as desk_app
    from app.ui.main_window import MainWindow

    settings = Settings(language=language, extra={
        "printing": {"label_target": "folder", "folder": str(scratch / "printed")},
        "sound_muted": True, "idle_lock_minutes": 0})
    settings.save()
    app = desk_app.prepare_application(settings)
    database = open_database(default_database_url())
    with database.session() as session:
        auth.create_first_admin(session, "beheer", "Beheerder", demo.DEMO_PASSWORD)
        demo.fill(session, SYSTEM, devices, seed=7)
        demo.workflows(session, SYSTEM, seed=7)
    with database.session() as session:
        manager = auth.authenticate(session, "manager", demo.DEMO_PASSWORD)
        on_bench = session.scalars(select(Asset.tag).where(
            Asset.status == AssetStatus.IN_REFURBISHMENT)).first()

    too_wide = 0
    for width, height in SIZES:
        window = MainWindow(database, manager, settings)
        window.resize(width, height)
        window.show()
        folder = OUT / language / f"{width}x{height}"
        folder.mkdir(parents=True, exist_ok=True)
        for number, key in enumerate(window.page_keys(), start=1):
            window.navigation.setCurrentRow(number - 1)
            page = window.stack.currentWidget()
            if key == "refurbishment" and on_bench:
                page.handle_scan(on_bench)
            deadline = time.monotonic() + 60
            while key == "reports" and page.figures is None and time.monotonic() < deadline:
                app.processEvents()  # the figures are read in the background
                time.sleep(0.05)
            for _ in range(20):  # let the pages' background reads arrive
                app.processEvents()
            window.grab().save(str(folder / f"{number:02d}-{key}.png"))
            wide = window.width() > width
            too_wide += wide
            print(f"{language} {width}x{height} {key}: {window.width()} px"
                  + ("  WIDER THAN THE SCREEN" if wide else ""))
        window.close()
    database.dispose()
    return 1 if too_wide else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=300)
    parser.add_argument("--language", choices=LANGUAGES)
    args = parser.parse_args()
    if args.language:
        return shoot(args.language, args.devices)
    codes = [subprocess.call([sys.executable, __file__, "--language", lang,
                              "--devices", str(args.devices)]) for lang in LANGUAGES]
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
