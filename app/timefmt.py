"""Times are stored in UTC and shown in Europe/Brussels, on screen and on paper."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(BRUSSELS)


def format_local(moment: dt.datetime | None, seconds: bool = False) -> str:
    if moment is None:
        return ""
    return local(moment).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")
