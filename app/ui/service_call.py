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

from ..services.errors import DatabaseUnavailable

T = TypeVar("T")
log = logging.getLogger(__name__)


def call_service(session_factory: Callable[[], Session], action: Callable[[Session], T]) -> T:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        with session_factory() as session:
            return action(session)
    except SQLAlchemyError as err:
        log.exception("database error during a service call")
        detail = str(getattr(err, "orig", None) or err).splitlines()[0][:200]
        raise DatabaseUnavailable(detail=detail) from err
    finally:
        QGuiApplication.restoreOverrideCursor()
