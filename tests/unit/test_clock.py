"""One clock for the whole app: nothing reads the wall clock behind its back, and pinning it works."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from app import clock
from app.models import Category
from app.services import assets, audit
from app.timefmt import BRUSSELS

APP = Path(__file__).resolve().parents[2] / "app"

# Calls that read the machine's calendar. Durations (time.monotonic, perf_counter) are fine.
WALL_CLOCK = {
    ("date", "today"), ("datetime", "today"), ("datetime", "now"), ("datetime", "utcnow"),
    ("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime"),
    ("time", "ctime"), ("QDate", "currentDate"), ("QDateTime", "currentDateTime"),
    ("QDateTime", "currentDateTimeUtc"), ("QDateTime", "currentSecsSinceEpoch"),
    ("QDateTime", "currentMSecsSinceEpoch"), ("QTime", "currentTime"),
    ("func", "now"), ("func", "current_timestamp"), ("func", "current_date"),
}


def wall_clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, call) of every wall-clock read in a module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if (name, node.func.attr) in WALL_CLOCK:
                found.append((node.lineno, f"{name}.{node.func.attr}()"))
    return found


def test_the_scan_finds_every_way_of_reading_the_wall_clock():
    source = ("import datetime as dt, time\nfrom datetime import date, datetime\n"
              "a = dt.date.today()\nb = datetime.now(dt.UTC)\nc = time.time()\n"
              "d = QDate.currentDate()\ne = dt.datetime.utcnow()\nf = func.now()\n"
              "g = time.monotonic()\nh = clock.today()\n")
    assert [line for line, _call in wall_clock_reads(source)] == [3, 4, 5, 6, 7, 8]


def test_no_code_but_the_clock_reads_the_wall_clock():
    offenders = [f"{path.relative_to(APP.parent)}:{line}: {call}"
                 for path in sorted(APP.rglob("*.py")) if path != APP / "clock.py"
                 for line, call in wall_clock_reads(path.read_text(encoding="utf-8"))]
    assert offenders == [], "read the time from app.clock instead:\n" + "\n".join(offenders)


def test_today_is_the_day_in_brussels_not_in_utc():
    with clock.use(clock.FixedClock(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC))):
        assert clock.today() == dt.date(2027, 1, 1)
        assert clock.local_now().tzinfo is BRUSSELS


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="naive"):
        clock.FixedClock(dt.datetime(2026, 1, 1))


def test_use_puts_the_previous_clock_back_even_after_an_error():
    before = clock.current()
    with pytest.raises(RuntimeError), clock.use(clock.FixedClock(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))):
        raise RuntimeError
    assert clock.current() is before


def test_a_shifted_clock_lives_that_much_later():
    base = clock.FixedClock(dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC))
    shifted = clock.ShiftedClock(dt.timedelta(days=365), base)
    assert shifted.now() == dt.datetime(2027, 12, 3, 12, tzinfo=dt.UTC)
    base.advance(hours=1)
    assert shifted.now() == dt.datetime(2027, 12, 3, 13, tzinfo=dt.UTC)


def test_records_and_the_audit_trail_carry_the_pinned_time(session, technician, pinned_clock):
    moment = dt.datetime(2027, 3, 28, 1, 15, tzinfo=dt.UTC)  # 03:15 in Brussels, the 23-hour night
    pinned_clock.set(moment)
    device = assets.register_asset(session, technician, category=Category.LAPTOP, manufacturer="HP",
                                   model="EliteBook 840", serial="CLK-1")
    assert device.created_at == device.status_changed_at == moment
    assert {e.occurred_at for e in audit.history(session, "asset", device.id)} == {moment}
