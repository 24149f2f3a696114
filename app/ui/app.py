"""Start the window: language, database, first administrator, sign-in, main window.

`python -m app` (no command) calls `run_gui`. Whatever goes wrong while
opening the database is said in a message box a technician can pass on to
whoever supports the desk — never a traceback — and the exit code is 1. A
database file that does not exist yet is created without asking only at the
default place; anywhere else the person is asked first (a mistyped path must
not silently start an empty warehouse). While the window runs, an error no
page caught is logged (app.logs) and said in one message box (`excepthook`).
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from .. import __version__
from ..config import Settings, default_database_url, resolve_database_url, resolve_language
from ..db import Database, check_url, is_new_location, open_database, sqlite_file
from ..i18n import _, current_language, set_language
from ..models import User
from ..paths import APP_NAME, ORG
from ..services.auth import needs_first_admin
from ..services.errors import DomainError
from .first_run import FirstRunDialog
from .main_window import MainWindow
from .sign_in import SignInDialog
from .style import apply_style

log = logging.getLogger(__name__)
QT_LOCALES = {"nl": QLocale(QLocale.Language.Dutch, QLocale.Country.Belgium),
              "en": QLocale(QLocale.Language.English, QLocale.Country.Belgium)}


def install_qt_translations(app: QApplication, language: str) -> QTranslator | None:
    """Qt's own texts (OK, Cancel, Yes, No in standard dialogs) in the app's language."""
    QLocale.setDefault(QT_LOCALES.get(language, QT_LOCALES["nl"]))
    if language != "nl":
        return None
    translator = QTranslator(app)  # parented to the app, so it lives as long as the app
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load("qtbase_nl", folder):
        log.warning("Qt's Dutch translations were not found in %s", folder)
        return None
    app.installTranslator(translator)
    return translator


def _safe_url(url: str | None) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True) if url else "?"
    except ArgumentError:  # unparsable: show only what follows the credentials, if any
        return str(url).rsplit("@", 1)[-1]


def open_database_or_explain(url: str | None) -> tuple[Database | None, str | None]:
    """The open database, or None and the message that says why it could not be opened."""
    url = url or resolve_database_url()
    database = None
    try:
        database = open_database(url)
        with database.session() as session:
            needs_first_admin(session)  # proves the tables are there and readable
        return database, None
    except Exception as err:  # noqa: BLE001 - any failure here is explained, never a traceback
        if database is not None:
            database.dispose()
        from ..failures import as_domain_error

        known = as_domain_error(err, _safe_url(url))
        if isinstance(known, DomainError) and not isinstance(err, OSError):
            return None, str(known)
        log.exception("the database %s could not be opened", _safe_url(url))
        detail = str(err).splitlines()[0][:300] if str(err) else type(err).__name__
        return None, _("The database {url} cannot be opened: {detail}", url=_safe_url(url),
                       detail=detail)


def needs_confirmation(url: str) -> bool:
    """True for a SQLite file that does not exist yet somewhere else than the default place."""
    try:
        check_url(url)
    except DomainError:
        return False  # open_database_or_explain says what is wrong with it
    return url != default_database_url() and is_new_location(url)


def confirm_new_database(url: str) -> bool:
    """Ask before a new, empty database is created at a place that was configured by hand."""
    answer = QMessageBox.question(
        None, APP_NAME,
        _("There is no database at {path}.\n\nIf the path is mistyped or the disk is not "
          "connected, choose No and correct the setting. Create a new, empty database there?",
          path=str(sqlite_file(url))),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def show_uncaught(exc_type, exc, tb) -> None:
    """sys.excepthook while the window runs: log the details, say one clear line, carry on."""
    from ..failures import describe

    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    if exc is None:
        exc = exc_type()
    exc.__traceback__ = tb
    message = describe(exc)
    try:
        QMessageBox.critical(QApplication.activeWindow(), APP_NAME, message)
    except Exception:  # the hook itself must never raise
        log.exception("the error message could not be shown")


def sign_in(database: Database) -> User | None:
    """First run (when needed) and sign-in; the signed-in user, or None when cancelled."""
    with database.session() as session:
        first_run = needs_first_admin(session)
    username = ""
    if first_run:
        first = FirstRunDialog(database.session)
        if first.exec() == QDialog.DialogCode.Accepted and first.user is not None:
            username = first.user.username
        else:
            with database.session() as session:
                if needs_first_admin(session):  # cancelled, not beaten by another desk
                    return None
    dialog = SignInDialog(database.session, username=username)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.user


def prepare_application(settings: Settings) -> QApplication:
    """The QApplication as the desk runs it: names, language, Qt's own translations, the style."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG)
    app.setApplicationVersion(__version__)
    set_language(resolve_language(settings))
    install_qt_translations(app, current_language())
    apply_style(app)
    return app


def open_window(database: Database, settings: Settings) -> MainWindow | None:
    """Sign-in (first run when needed), then the main window, shown; None when cancelled."""
    user = sign_in(database)
    if user is None:
        return None
    window = MainWindow(database, user, settings)
    window.show()
    window.raise_()
    window.activateWindow()  # the keyboard comes to the window, not to what was behind the dialog
    return window


def run_gui(database_url: str | None) -> int:
    from ..logs import setup_logging

    setup_logging()
    settings = Settings.load()
    app = prepare_application(settings)
    url = database_url or resolve_database_url(settings=settings)
    if needs_confirmation(url) and not confirm_new_database(url):
        return 1
    database, problem = open_database_or_explain(url)
    if database is None:
        QMessageBox.critical(None, APP_NAME, _("{app} cannot start.", app=APP_NAME) + "\n\n"
                             + (problem or ""))
        return 1
    from ..services.backup import startup_backup

    startup_backup(database.engine, settings)  # single-desk SQLite: at most once a day
    previous_hook = sys.excepthook
    sys.excepthook = show_uncaught
    try:
        window = open_window(database, settings)
        if window is None:
            return 0
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        database.dispose()
