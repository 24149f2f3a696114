"""Shared fixtures: a fresh database per test, on SQLite and on a real PostgreSQL.

The app's clock (app/clock.py) can be moved for the whole run: `--clock-shift 365` (days)
runs the suite a year from now, `--clock-at 2027-12-31T23:30+01:00` at a given moment (the
clock keeps ticking from there). A test that depends on the time pins it with the `pinned_clock`
fixture, which wins over both.

The PostgreSQL server is started by the test run itself (tests/pgserver.py)
and stopped at the end. Tests that take the `db` fixture run on both
databases. In CI (CI=true) a PostgreSQL server that cannot start fails the
run instead of skipping, so the PostgreSQL tests can never silently vanish.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from pgserver import PgUnavailable, start_postgres  # noqa: E402

from app import clock, i18n  # noqa: E402
from app.db import Database, make_engine, migrate, open_database  # noqa: E402
from app.models import Role  # noqa: E402
from app.services import auth  # noqa: E402
from app.services.permissions import SYSTEM  # noqa: E402

TEMPLATE_DB = "depot_template"
_counter = itertools.count()


auth.use_cheap_hashing_for_tests()

# A Thursday morning in Brussels, well away from month ends and clock changes: the moment
# `pinned_clock` starts at unless a test sets another.
PINNED_MOMENT = dt.datetime(2026, 6, 18, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def pytest_addoption(parser):
    group = parser.getgroup("depot clock")
    group.addoption("--clock-shift", type=float, default=None, metavar="DAYS",
                    help="run with the app's clock moved this many days (e.g. 365: a year ahead)")
    group.addoption("--clock-at", default=None, metavar="ISO-MOMENT",
                    help="run with the app's clock starting at this moment (with a UTC offset)")


def pytest_configure(config):
    shift, at = config.getoption("--clock-shift"), config.getoption("--clock-at")
    if shift is not None and at is not None:
        raise pytest.UsageError("--clock-shift and --clock-at: give one of them")
    if at is not None:
        moment = dt.datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise pytest.UsageError("--clock-at needs a UTC offset, e.g. 2027-03-28T02:30+01:00")
        shift = (moment - dt.datetime.now(dt.UTC)).total_seconds() / 86400
    if shift:
        clock.install(clock.ShiftedClock(dt.timedelta(days=shift)))


def pytest_report_header(config):
    return f"app clock: {clock.now().astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC ({type(clock.current()).__name__})"


@pytest.fixture
def pinned_clock():
    """The app's clock standing still at PINNED_MOMENT; `.set(moment)` / `.advance(days=…)` move it."""
    with clock.use(clock.FixedClock(PINNED_MOMENT)) as fixed:
        yield fixed


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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """`demo_template(devices, seed)`: a demo database (eighteen months of history, which take
    seconds to write), made once a session for each size and seed."""
    from app.services import demo

    made: dict[tuple[int, int], Path] = {}

    def make(devices: int, seed: int) -> Path:
        if (devices, seed) not in made:
            path = tmp_path_factory.mktemp("demo") / f"demo-{devices}-{seed}.sqlite"
            database = open_database(f"sqlite:///{path}")
            try:
                with database.session() as s:
                    demo.fill(s, SYSTEM, devices, seed=seed)
            finally:
                database.dispose()  # checkpoints the WAL into the file
            made[(devices, seed)] = path
        return made[(devices, seed)]

    return make


@pytest.fixture
def demo_copy(tmp_path, demo_template):
    """`demo_copy(devices, seed)`: the test's own copy of a demo database, opened."""
    opened: list[Database] = []

    def copy(devices: int, seed: int) -> Database:
        target = tmp_path / f"demo-{devices}-{seed}.sqlite"
        shutil.copyfile(demo_template(devices, seed), target)
        opened.append(open_database(f"sqlite:///{target}"))
        return opened[-1]

    yield copy
    for database in opened:
        database.dispose()


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
