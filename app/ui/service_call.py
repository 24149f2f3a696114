"""Run one service call in its own session, for dialogs that wait for the answer.

A sign-in or a first-run set-up is short and the dialog cannot go on without
the answer, so it runs on the GUI thread. A database that cannot be reached
becomes `DatabaseUnavailable`, a message the technician can act on, instead of
an SQLAlchemy traceback; the details go to the log for whoever supports the desk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..services.errors import DatabaseUnavailable, DomainError
from ..services.retry import run_with_retry

T = TypeVar("T")
log = logging.getLogger(__name__)


def call_service(session_factory: Callable[[], Session], action: Callable[[Session], T]) -> T:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return run_with_retry(_Sessions(session_factory), action)  # a deadlock or race: once more
    except SQLAlchemyError as err:
        log.exception("database error during a service call")
        raise database_unavailable(err) from err
    finally:
        QGuiApplication.restoreOverrideCursor()


class _Sessions:
    """A session factory in the shape `run_with_retry` takes (an object with `session()`)."""

    def __init__(self, factory: Callable[[], Session]) -> None:
        self.session = factory


def database_unavailable(err: SQLAlchemyError) -> DatabaseUnavailable:
    detail = str(getattr(err, "orig", None) or err).splitlines()[0][:200]
    return DatabaseUnavailable(detail=detail)


class ScanPageMixin:
    """For pages that answer scans (intake, bench, locations): one service call per session,
    and every outcome on the page's scan bar — green for done, red with the reason for refused."""

    database = None  # set by the page: app.db.Database
    scan_bar = None  # set by the page: app.ui.feedback.ScanBar
    last_message = ""

    def _call(self, action: Callable[[Session], T], code: str = "") -> tuple[bool, T | None]:
        try:
            return True, run_with_retry(self.database, action)  # a deadlock or race: once more
        except DomainError as err:
            self._bad(str(err), code=code)
        except SQLAlchemyError as err:
            log.exception("database error on %s", type(self).__name__)
            self._bad(str(database_unavailable(err)), code=code)
        return False, None

    def _good(self, code: str, text: str) -> None:
        self.last_message = text
        self.scan_bar.show_good(code, text)

    def _bad(self, text: str, code: str = "") -> None:
        self.last_message = text
        self.scan_bar.show_bad(code, text)
