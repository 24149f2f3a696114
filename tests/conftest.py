"""Shared fixtures: a fresh database per test, on SQLite and on a real PostgreSQL.

The PostgreSQL server is started by the test run itself (tests/pgserver.py)
and stopped at the end. Tests that take the `db` fixture run on both
databases. In CI (CI=true) a PostgreSQL server that cannot start fails the
run instead of skipping, so the PostgreSQL tests can never silently vanish.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from pgserver import PgUnavailable, start_postgres  # noqa: E402

from app import i18n  # noqa: E402
from app.db import Database, make_engine, migrate, open_database  # noqa: E402
from app.models import Role  # noqa: E402
from app.services import auth  # noqa: E402
from app.services.permissions import SYSTEM  # noqa: E402

TEMPLATE_DB = "depot_template"
_counter = itertools.count()


auth.use_cheap_hashing_for_tests()


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory, monkeypatch):
    """Never read or write the real user's settings or data folder."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("DEPOT_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("DEPOT_CONFIG_DIR", str(base / "config"))
    monkeypatch.delenv("DEPOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("DEPOT_LANG", raising=False)
    previous = i18n.current_language()
    i18n.set_language("en")  # tests compare English messages unless they ask for Dutch
    yield
    i18n.set_language(previous)


@pytest.fixture(scope="session")
def pg_server():
    try:
        server = start_postgres()
    except PgUnavailable as err:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL could not be started in CI: {err}", pytrace=False)
        pytest.skip(f"PostgreSQL not available here: {err}")
    try:
        server.create_database(TEMPLATE_DB)
        engine = make_engine(server.url_for(TEMPLATE_DB))
        migrate(engine)
        engine.dispose()
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server):
    """A new, migrated PostgreSQL database for one test (copied from a migrated template)."""
    name = f"t{os.getpid()}_{next(_counter)}"
    url = pg_server.create_database(name, template=TEMPLATE_DB)
    yield url
    pg_server.drop_database(name)


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'depot.sqlite'}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated, empty SQLite file, made once; each test's database starts as a copy of it."""
    path = tmp_path_factory.mktemp("template") / "depot.sqlite"
    open_database(f"sqlite:///{path}").dispose()  # disposing checkpoints the WAL into the file
    return path


@pytest.fixture
def migrated_sqlite_url(tmp_path, sqlite_template):
    target = tmp_path / "depot.sqlite"
    shutil.copyfile(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db_url(request):
    if request.param == "sqlite":
        return request.getfixturevalue("migrated_sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def database(db_url) -> Database:
    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def session(database):
    with database.session() as s:
        yield s


@pytest.fixture
def admin(session):
    return auth.create_first_admin(session, "admin", "Ada Admin", "admin-pass-1")


@pytest.fixture
def technician(session, admin):
    return auth.add_user(session, admin, "tom", "Tom Technieker", Role.TECHNICIAN, "tech-pass-1")


@pytest.fixture
def manager(session, admin):
    return auth.add_user(session, admin, "mia", "Mia Manager", Role.MANAGER, "mgr-pass-1")


@pytest.fixture
def auditor(session, admin):
    return auth.add_user(session, admin, "otto", "Otto Auditor", Role.AUDITOR, "aud-pass-1")


@pytest.fixture
def system():
    return SYSTEM


@pytest.fixture(scope="session")
def pdf_tools():
    """poppler-utils and zbar-tools, to read issued PDFs back (tests/pdfcheck.py)."""
    from pdfcheck import require_pdf_tools

    require_pdf_tools()
