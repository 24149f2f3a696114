"""Screenshots of the handovers page (Dutch) and a rendered handover certificate, for docs/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/handover_screenshots.py

A throw-away database: a school's request for 10 laptops, ready stock to match, half of the
devices scanned at the desk and a refused scan; the certificate of a completed handover.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MODELS = [("Dell", "Latitude 5420"), ("HP", "EliteBook 840 G8"), ("Lenovo", "ThinkPad T14 Gen 2"),
          ("Lenovo", "ThinkPad X1 Carbon Gen 9"), ("Dell", "Latitude 7490")]


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="depot-handover-shots-"))
    os.environ["DEPOT_CONFIG_DIR"] = str(scratch / "config")
    os.environ["DEPOT_DATA_DIR"] = str(scratch / "data")

    from handover_helpers import ready_device
    from PySide6.QtWidgets import QApplication

    from app.config import Settings
    from app.db import open_database
    from app.i18n import set_language
    from app.models import Category, Grade, PartyType, Role
    from app.services import auth, certificates, handover_requests, handovers, parties
    from app.ui.app import install_qt_translations
    from app.ui.main_window import MainWindow
    from app.ui.style import apply_style

    auth.use_cheap_hashing_for_tests()
    app = QApplication.instance() or QApplication(sys.argv)
    set_language("nl")
    install_qt_translations(app, "nl")
    apply_style(app)
    database = open_database(f"sqlite:///{scratch / 'depot.sqlite'}")
    with database.session() as s:
        admin = auth.create_first_admin(s, "beheer", "Beheerder", "demo-wachtwoord")
        tech = auth.add_user(s, admin, "tine", "Tine Technieker", Role.TECHNICIAN, "demo-wachtwoord")
        boss = auth.add_user(s, admin, "marc", "Marc Vandenbroucke", Role.MANAGER, "demo-wachtwoord")
        handovers.demo_handovers(s, boss, __import__("random").Random(3))
        grades = [Grade.A, Grade.B, Grade.B, Grade.C, Grade.B, Grade.D]
        devices = [ready_device(s, tech, boss, f"5CG1{i:02d}7KQ{i % 10}", manufacturer=m, model=mo,
                                grade=grades[i % len(grades)], ram_gb=16 if i % 3 else 8,
                                storage_gb=512 if i % 2 else 256)
                   for i, (m, mo) in enumerate(MODELS * 3)]
        certificates.issue_sanitisation_certificate(s, tech, [d.id for d in devices[:8]])
        welzijn = parties.create_party(s, boss, PartyType.SERVICE, name="Dienst Welzijn")
        request = handover_requests.create_request(
            s, boss, welzijn.id, [handover_requests.LineSpec(Category.LAPTOP, 2, Grade.B, 16)])
        picks = [(p.line_id, p.asset_id) for p in handover_requests.propose(s, request.id)]
        internal = handover_requests.reserve(s, boss, request.id, picks)
        for item in internal.items:
            handovers.scan_at_desk(s, tech, internal.id, item.asset.tag)
        document = handovers.complete_handover(s, tech, internal.id, labels_removed=True,
                                               language="nl")
        internal_pdf = document.pdf
        users = {u.username: u for u in (tech, boss)}

    settings = Settings(site_name="Centraal ICT-magazijn", extra={
        "printing": {"label_target": "folder", "folder": str(scratch / "printed")},
        "sound_muted": True})

    # the manager: the school's request with its proposals
    # Only this page and the navigation are pictured: other workflows' pages are left as
    # placeholders, so that none of them can change the window's size in these pictures.
    from dataclasses import replace

    from app.ui.pages import PAGES

    pages = tuple(p if p.key in ("handovers", "intake") else replace(p, factory=None) for p in PAGES)
    window = MainWindow(database, users["marc"], settings, pages=pages)
    window.resize(1280, 800)
    window.show()
    window.show_page("handovers")
    page = window.stack.currentWidget()
    page.tabs.setCurrentIndex(0)
    app.processEvents()
    page.request_table.selectRow(0)
    app.processEvents()
    page.proposal_model.setData(page.proposal_model.index(3, 0), 0, 10)  # one proposal dropped
    app.processEvents()
    window.grab().save(str(HERE / "handover-request.png"))
    page.proposal_model.setData(page.proposal_model.index(3, 0), 2, 10)
    page.reserve()
    app.processEvents()

    # the technician at the desk: half scanned, then a device of another handover
    page.tabs.setCurrentWidget(page.desk)
    for row in range(5):
        page.handle_scan(page.desk.model.rows[row * 2][0])
    page.handle_scan(devices[-1].tag)
    app.processEvents()
    window.grab().save(str(HERE / "handover-desk.png"))
    page.tabs.setCurrentWidget(page.recipients)
    page.recipients.table.selectRow(0)
    app.processEvents()
    window.grab().save(str(HERE / "handover-recipients.png"))
    window.close()

    pdf = scratch / "internal.pdf"
    pdf.write_bytes(internal_pdf)
    subprocess.run(["pdftoppm", "-r", "110", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
                    str(HERE.parent / "handover-certificate-internal")], check=True)
    print("screenshots written to", HERE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
