"""Several desks at once: tags stay unique and the audit chain stays one chain.

On PostgreSQL the desks are threads with their own connections; on SQLite
they are separate processes on one file (the way two app windows would be).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.db import open_database
from app.models import Asset, AuditEvent, Category
from app.services import assets, audit, auth
from app.services.codes import is_valid_tag
from app.services.permissions import SYSTEM

DESKS = 4
PER_DESK = 25


@pytest.mark.pg
def test_concurrent_desks_on_postgresql_get_unique_tags_and_one_unbroken_chain(pg_url):
    database = open_database(pg_url)
    try:
        with database.session() as s:
            desks = [auth.add_user(s, SYSTEM, f"desk{i}", f"Desk {i}", "technician", "desk-pass-1")
                     for i in range(DESKS)]

        def work(desk_no: int) -> list[str]:
            tags = []
            with database.session() as s:
                for n in range(PER_DESK):
                    a = assets.register_asset(s, desks[desk_no], category=Category.LAPTOP,
                                              manufacturer="Dell", model="Latitude 5420",
                                              serial=f"D{desk_no}N{n}")
                    tags.append(a.tag)
            return tags

        with ThreadPoolExecutor(DESKS) as pool:
            tags = [t for chunk in pool.map(work, range(DESKS)) for t in chunk]
        assert len(tags) == len(set(tags)) == DESKS * PER_DESK
        assert all(is_valid_tag(t) for t in tags)
        with database.session() as s:
            report = audit.verify_chain(s)
            assert report.ok, report.message()
            assert s.scalar(select(func.count()).select_from(Asset)) == DESKS * PER_DESK
            seqs = list(s.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)))
            assert seqs == list(range(1, len(seqs) + 1))
    finally:
        database.dispose()


DESK_SCRIPT = textwrap.dedent("""
    import sys
    from app.db import open_database
    from app.models import Category
    from app.services import assets
    from app.services.permissions import SYSTEM
    from app.models import User
    url, desk = sys.argv[1], int(sys.argv[2])
    db = open_database(url)
    with db.session() as s:
        for n in range({per_desk}):
            assets.register_asset(s, SYSTEM, category=Category.MONITOR, manufacturer="HP",
                                  model="E24 G4", serial=f"P{{desk}}N{{n}}")
    print("ok")
""").format(per_desk=PER_DESK)


def test_two_processes_on_one_sqlite_file_never_see_database_is_locked(sqlite_url, tmp_path):
    open_database(sqlite_url).dispose()  # create and migrate once
    script = tmp_path / "desk.py"
    script.write_text(DESK_SCRIPT)
    procs = [subprocess.Popen([sys.executable, str(script), sqlite_url, str(i)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(3)]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
    database = open_database(sqlite_url)
    try:
        with database.session() as s:
            assert s.scalar(select(func.count()).select_from(Asset)) == 3 * PER_DESK
            assert audit.verify_chain(s).ok
    finally:
        database.dispose()
