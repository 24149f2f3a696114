"""Any error as one clear line for a person, the details in the log file.

The command line (`app.cli.main`) and the window (`app.ui.app`'s exception hook) both
end here: a domain refusal is said as it is, a database error is named for what it is
(unreachable, read-only, a value the database refuses, a file that vanished), an OS
error by its reason, and anything else as "unexpected" with the log file to look in.
Exit codes of the command line: 0 done, 1 not done (an error or a refusal, said in one
line), 2 a check found a problem (or the command line itself is wrong), 130 interrupted.
"""

from __future__ import annotations

import logging

from .i18n import _
from .services.errors import DatabaseReadOnly, DatabaseRefused, DatabaseUnavailable, DomainError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHECK_FAILED = 2
EXIT_INTERRUPTED = 130

log = logging.getLogger("app.failures")

_READ_ONLY = ("readonly", "read-only", "read only")
_UNREACHABLE = ("unable to open database", "could not connect", "connection refused", "timeout",
                "timed out", "server closed the connection", "connection is closed",
                "name or service not known", "could not translate host name", "no route to host",
                "terminating connection", "connection reset")


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:200] if text else type(err).__name__


def as_domain_error(err: BaseException, database: str = "") -> DomainError | None:
    """The refusal a person understands for a database or OS error; None when there is none."""
    from sqlalchemy.exc import DBAPIError, StatementError

    from .services.files import reason

    if isinstance(err, DomainError):
        return err
    if isinstance(err, StatementError) and err.orig is not None and not isinstance(err, DBAPIError):
        err = err.orig  # e.g. an OverflowError of sqlite3 wrapped by SQLAlchemy
    if isinstance(err, DBAPIError):
        detail = _first_line(err.orig or err)
        lower = detail.lower()
        if any(k in lower for k in _READ_ONLY):
            return DatabaseReadOnly(database=database or "?", detail=detail)
        if err.connection_invalidated or any(k in lower for k in _UNREACHABLE):
            return DatabaseUnavailable(detail=detail)
        return DatabaseRefused(detail=detail)
    if isinstance(err, OverflowError):
        return DatabaseRefused(detail=_("a number is too large"))
    if isinstance(err, OSError):
        where = f"{err.filename}: " if getattr(err, "filename", None) else ""
        return DomainError(_("{where}{reason}. Nothing was changed.", where=where, reason=_(reason(err))))
    return None


def describe(err: BaseException, database: str = "") -> str:
    """One line for any error; an unexpected one is logged with its traceback first."""
    known = as_domain_error(err, database)
    if known is not None:
        log.warning("refused: %s", known.translated("en"))
        return str(known)
    log.error("unexpected error", exc_info=(type(err), err, err.__traceback__))
    from .logs import log_path

    return _("An unexpected error stopped the action ({error}). The details are in the log file "
             "{path}.", error=_first_line(err), path=log_path())
