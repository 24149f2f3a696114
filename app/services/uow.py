"""The unit of work: one user action, one transaction, all of it or nothing.

Every service that writes runs inside `unit_of_work`: it checks the actor's
permission, declares who is acting and what they do (the audit hook records
it), takes SQLite's write lock up front, commits once at the end, and rolls
everything back on any error — turning database failures into messages a
technician can act on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..i18n import N_
from . import audit
from .errors import DatabaseReadOnly, DatabaseRefused, DatabaseUnavailable, DomainError
from .permissions import require


class ConcurrentChange(DomainError):
    message = N_("Someone else changed this at the same moment. Reload and try again; nothing was saved.")


class ConflictingWrite(DomainError):
    message = N_("This conflicts with a record that was just saved elsewhere ({detail}). Nothing was saved.")


class TransientConflict(DomainError):
    """A deadlock or serialization failure: the whole action may run again (services/retry.py)."""

    message = N_("Another desk was saving the same records at the same moment. Nothing was saved; "
                 "try again.")


# PostgreSQL: serialization_failure, deadlock_detected. SQLite: busy/locked after the busy timeout.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})
SQLITE_BUSY_TEXTS = ("database is locked", "database table is locked", "database is busy")


@contextmanager
def unit_of_work(session: Session, actor, action: str, permission: str | None = None) -> Iterator[Session]:
    require(actor, permission or action)
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("the session holds changes made outside a unit of work")
        session.commit()  # end a read-only transaction; objects stay loaded
    try:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        session.info[audit.CTX_KEY] = audit.AuditContext(actor.id, actor.display_name or actor.username, action)
        yield session
        session.commit()
    except StaleDataError as err:
        session.rollback()
        raise ConcurrentChange() from err
    except sa_exc.IntegrityError as err:
        session.rollback()
        raise ConflictingWrite(detail=str(err.orig).splitlines()[0][:200]) from err
    except (sa_exc.OperationalError, sa_exc.InterfaceError) as err:
        session.rollback()
        if is_transient(err):
            raise TransientConflict() from err
        if _is_read_only(err):  # said as it is, not as "cannot be reached"
            raise DatabaseReadOnly(database=_database(session), detail=_first(err.orig)) from err
        if err.connection_invalidated or _is_disconnect(err):
            raise DatabaseUnavailable(detail=str(err.orig).splitlines()[0][:200]) from err
        raise
    except sa_exc.DataError as err:  # e.g. PostgreSQL "integer out of range"
        session.rollback()
        raise DatabaseRefused(detail=_first(err.orig)) from err
    except (OverflowError, sa_exc.StatementError) as err:
        session.rollback()
        cause = getattr(err, "orig", None) if isinstance(err, sa_exc.StatementError) else err
        if isinstance(cause, OverflowError):  # sqlite3: "Python int too large to convert"
            raise DatabaseRefused(detail=N_("a number is too large")) from err
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(audit.CTX_KEY, None)


def is_transient(err: BaseException) -> bool:
    """True for a failure that rolled the whole transaction back and may succeed if run again."""
    if not isinstance(err, sa_exc.DBAPIError) or err.connection_invalidated:
        return False
    if getattr(err.orig, "sqlstate", None) in TRANSIENT_SQLSTATES:
        return True
    return any(t in str(err.orig).lower() for t in SQLITE_BUSY_TEXTS)


def unavailable(err: BaseException) -> DatabaseUnavailable | None:
    """The message for a lost connection, also for reads made outside a unit of work."""
    if isinstance(err, sa_exc.DBAPIError) and (err.connection_invalidated or _is_disconnect(err)):
        return DatabaseUnavailable(detail=str(err.orig).splitlines()[0][:200])
    return None


def _first(err: BaseException | None) -> str:
    return str(err).splitlines()[0][:200] if err is not None and str(err) else type(err).__name__


def _database(session: Session) -> str:
    try:
        return session.get_bind().url.render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for the message
        return "?"


def _is_read_only(err: sa_exc.DBAPIError) -> bool:
    text = str(err.orig).lower()
    return "readonly" in text or "read-only" in text or "read only" in text


def _is_disconnect(err: sa_exc.DBAPIError) -> bool:
    text = str(err.orig).lower()
    return any(w in text for w in ("connection", "server closed", "terminating", "unable to open"))
