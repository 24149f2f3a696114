"""The main window: navigation on the left, one page per workflow, who and where below.

The status bar always shows which database this desk works on and who is
signed in, because an action done on the wrong database or under a
colleague's name is the mistake that is hardest to undo. Pages come from the
registry in `app/ui/pages.py`; Ctrl+1…8 jump to them in navigation order.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QWidget,
)
from sqlalchemy.engine import make_url

from .. import __version__
from ..config import Settings
from ..db import Database
from ..i18n import _
from ..models import User
from ..paths import APP_NAME
from ..services.documents import issued
from .asset_detail import open_asset_by_scan
from .idle_lock import DEFAULT_IDLE_MINUTES, IdleWatch, LockCover
from .labels import database_kind_label, role_label
from .pages import PAGES, PageSpec
from .scanner import ScannerFilter, ScannerSettings
from .verify_dialog import verify_scanned_code
from .widgets import ElidedLabel, give_key, name_widget

_SUCCESSORS: list[QMainWindow] = []  # windows opened for the next person at a locked desk
NAVIGATION_WIDTH = 184  # the longest page name in Dutch ("Overdrachten") with room to spare


def database_location(database: Database) -> str:
    """The SQLite file's path, or the server URL without its password."""
    if database.kind == "sqlite":
        path = make_url(database.url).database
        if path:
            return path
    return database.display_name


class MainWindow(QMainWindow):
    def __init__(self, database: Database, user: User, settings: Settings | None = None,
                 pages: tuple[PageSpec, ...] = PAGES) -> None:
        super().__init__()
        self.database = database
        self.user = user
        self.settings = settings or Settings.load()
        self._pages = pages
        name_widget(self, "mainWindow", APP_NAME)
        self.setWindowTitle(f"{APP_NAME} — {self.settings.site_name}")
        self.resize(1280, 800)

        self.navigation = QListWidget()
        name_widget(self.navigation, "navigation", _("Navigation"))
        self.navigation.setFixedWidth(NAVIGATION_WIDTH)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        name_widget(self.stack, "pages", _("Pages"))
        for number, spec in enumerate(pages, start=1):
            item = QListWidgetItem(_(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(f"{_(spec.title)} (Ctrl+{number})")
            self.navigation.addItem(item)
            self.stack.addWidget(spec.build(database, user, self.settings))
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.stack.currentChanged.connect(lambda _index: self.focus_page())
        self._connect_pages()

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._shown_page: QWidget | None = None
        self.stack.currentChanged.connect(self._page_changed)

        self._build_menus()
        self._build_page_shortcuts()
        self._build_status_bar()
        self.navigation.setCurrentRow(0)

        # A shared desk locks itself when nobody uses it; the open page stays as it is.
        self.locked = False
        self.lock_cover: LockCover | None = None
        self.unlock_dialog = None
        self.idle = IdleWatch(float(self.settings.extra.get("idle_lock_minutes", DEFAULT_IDLE_MINUTES)),
                              parent=self)
        self.idle.idle.connect(self.lock)

        # One scanner for the whole window: a scan goes to the page on screen.
        self.scanner = ScannerFilter(ScannerSettings.from_settings(self.settings), parent=self)
        self.scanner.scanned.connect(self.route_scan)
        self.scanner.layout_mismatch.connect(self._tell_layout_mismatch)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.scanner.install()
        super().showEvent(event)
        QTimer.singleShot(0, self.focus_page)  # once shown: the keyboard belongs on the work

    def focus_page(self) -> None:
        """Put the keyboard where the next scan or keystroke on this page belongs.

        A page says where with `initial_focus()`; otherwise its first field that takes Tab.
        Never the page list: Enter there does nothing, though the buttons promise it.
        """
        page = self.stack.currentWidget()
        if page is None or self.locked:
            return
        target = page.initial_focus() if hasattr(page, "initial_focus") else None
        if target is None:
            target = first_tab_stop(page)
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.idle.stop()
        self.scanner.uninstall()
        super().closeEvent(event)

    def open_import_dialog(self):
        from .import_dialog import ImportDialog

        dialog = ImportDialog(self.database, self.user, self)
        dialog.open()
        self.import_dialog = dialog
        return dialog

    def open_password_dialog(self):
        from .password_dialog import PasswordDialog

        dialog = PasswordDialog(self.database, self.user, self)
        dialog.open()
        self.password_dialog = dialog
        return dialog

    def lock(self) -> None:
        if self.locked:
            return
        from .sign_in import SignInDialog

        self.locked = True
        self.lock_cover = LockCover(self.centralWidget(), self.user.display_name)
        self.lock_cover.cover()
        dialog = SignInDialog(self.database.session, username=self.user.username, parent=self)
        dialog.username_edit.setReadOnly(True)  # only the signed-in person unlocks their work
        dialog.setObjectName("unlockDialog")
        dialog.setWindowTitle(_("Desk locked — {app}", app=APP_NAME))
        dialog.header_label.setText(_("This desk is locked"))
        dialog.intro_label.setText(_("Locked after a period without activity while {name} ({user}) "
                                     "was signed in. Type your password and press Enter; the open "
                                     "work is kept.", name=self.user.display_name,
                                     user=self.user.username))
        dialog.sign_in_button.setText(_("Unlock"))
        # Somebody else at the desk signs in as themselves: this window (and the first person's
        # unsaved form, if any) closes, a window of their own opens. Open lots stay open.
        dialog.switching = False
        self.switch_button = QPushButton()
        name_widget(self.switch_button, "switchUserButton", _("Another person signs in"))
        give_key(self.switch_button, _("Another person signs in"), "F2")
        self.switch_button.setAutoDefault(False)
        self.switch_button.clicked.connect(self._another_person)
        dialog.add_action(self.switch_button)
        dialog.accepted.connect(self._unlocked)
        dialog.rejected.connect(self.lock_dialog_again)
        self.unlock_dialog = dialog
        dialog.open()

    def lock_dialog_again(self) -> None:
        if self.locked and self.unlock_dialog is not None:
            self.unlock_dialog.open()  # Escape does not unlock: the dialog comes back

    def _another_person(self) -> None:
        dialog = self.unlock_dialog
        if dialog is None:
            return
        dialog.switching = True
        dialog.header_label.setText(_("Another person signs in"))
        dialog.intro_label.setText(_(
            "Sign in with your own name and password. {name}'s window closes: open lots stay open, "
            "a device not yet received is not saved.", name=self.user.display_name))
        dialog.sign_in_button.setText(_("Sign in"))
        dialog.username_edit.setReadOnly(False)
        dialog.username_edit.clear()
        dialog.password_edit.clear()
        self.switch_button.hide()
        dialog.username_edit.setFocus()

    def _unlocked(self) -> None:
        dialog = self.unlock_dialog
        if dialog is not None and dialog.user is not None and dialog.switching \
                and dialog.user.id != self.user.id:
            self._hand_over_to(dialog.user)
            return
        if dialog is None or dialog.user is None or dialog.user.id != self.user.id:
            self.lock_dialog_again()
            return
        self.locked = False
        self.unlock_dialog = None
        if self.lock_cover is not None:
            self.lock_cover.deleteLater()
            self.lock_cover = None
        self.idle.restart()

    def _hand_over_to(self, user: User) -> None:
        """The desk goes to the person who just signed in: their own window, at the same place."""
        successor = MainWindow(self.database, user, self.settings, self._pages)
        successor.setGeometry(self.geometry())
        _SUCCESSORS.append(successor)  # nobody else holds the new window
        successor.show()
        successor.raise_()
        successor.activateWindow()
        self.unlock_dialog = None
        self.close()  # stops its idle watch and its scanner; the new window has its own

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if self.lock_cover is not None:
            self.lock_cover.cover()

    def route_scan(self, code: str) -> None:
        if self.locked:
            return  # a locked desk takes no scans; the person signs in again first
        if issued.is_document_code(code):  # a certificate's QR code: check it, from any page
            self.verify_dialog = verify_scanned_code(self, self.database, code)
            return
        page = self.stack.currentWidget()
        handler = getattr(page, "handle_scan", None)
        if handler is not None:
            handler(code)
        elif not open_asset_by_scan(self, self.database, self.user, code):
            # a tag or serial opens that device from any page; anything else is said here
            self.answer_scan(code, _("This page does not take scans; a tag or serial number "
                                     "opens the device."), good=False)

    def answer_scan(self, code: str, message: str, *, good: bool) -> None:
        """Green or red, with its sound, in the scan bar of the page on screen (a page that takes
        no scans has a quiet one in the same place, shown for the answer)."""
        frame = getattr(self.stack.currentWidget(), "frame", None)
        if frame is not None:
            frame.answer(code, message, good=good)
        else:
            self.statusBar().showMessage(message, 8000)

    def _page_changed(self, _index: int) -> None:
        frame = getattr(self._shown_page, "frame", None)
        if frame is not None:
            frame.leave()
        self._shown_page = self.stack.currentWidget()

    def _tell_layout_mismatch(self) -> None:
        # open(), not exec(): the desk keeps scanning while the notice is up.
        box = QMessageBox(QMessageBox.Icon.Information, _("Scanner keyboard layout"),
                          _("The scanner types as if the keyboard were American (QWERTY) while this computer "
              "uses Belgian AZERTY. The scans are corrected, but to fix it for good set the "
              "scanner to Belgian AZERTY, or to its keyboard-independent mode (ALT codes), "
              "with the configuration barcodes in its manual."), parent=self)
        box.setObjectName("layoutMismatchNotice")
        box.open()
        self.layout_notice = box

    # -- pages ---------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget | None:
        keys = self.page_keys()
        return self.stack.widget(keys.index(key)) if key in keys else None

    def _connect_pages(self) -> None:
        """Pages that send the technician to another page (the dashboard's stale-stock tile)."""
        dashboard, inventory = self.page("reports"), self.page("inventory")
        if hasattr(dashboard, "stale_stock_requested") and hasattr(inventory, "show_stale_stock"):
            dashboard.stale_stock_requested.connect(self.show_stale_stock)

    def show_stale_stock(self) -> None:
        self.show_page("inventory")
        self.page("inventory").show_stale_stock()

    def page_keys(self) -> list[str]:
        return [spec.key for spec in self._pages]

    def show_page(self, key: str) -> None:
        self.navigation.setCurrentRow(self.page_keys().index(key))

    def current_page_key(self) -> str:
        return self._pages[self.stack.currentIndex()].key

    def _build_page_shortcuts(self) -> None:
        for number, spec in enumerate(self._pages[:9], start=1):
            action = QAction(_(spec.title), self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, row=number - 1:
                                     self.navigation.setCurrentRow(row))
            self.addAction(action)

    # -- menus and status bar --------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        file_menu.setObjectName("fileMenu")
        import_action = file_menu.addAction(_("Import the asset register…"))
        import_action.setObjectName("importAssetsAction")
        import_action.triggered.connect(self.open_import_dialog)
        password_action = file_menu.addAction(_("Change password…"))
        password_action.setObjectName("changePasswordAction")
        password_action.triggered.connect(self.open_password_dialog)
        quit_action = file_menu.addAction(_("&Quit"))
        quit_action.setObjectName("quitAction")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)

        help_menu = self.menuBar().addMenu(_("&Help"))
        help_menu.setObjectName("helpMenu")
        about_action = help_menu.addAction(_("&About {app}", app=APP_NAME))
        about_action.setObjectName("aboutAction")
        about_action.triggered.connect(self.show_about)

    def _build_status_bar(self) -> None:
        database_text = _("Database: {location} ({kind})",
                          location=database_location(self.database),
                          kind=database_kind_label(self.database.kind))
        self.database_label = ElidedLabel(database_text)  # a deep folder must not widen the window
        name_widget(self.database_label, "databaseStatus", database_text)
        self.database_label.setToolTip(database_text)
        user_text = _("Signed in: {name} ({role})", name=self.user.display_name,
                      role=role_label(self.user.role))
        self.user_label = QLabel(user_text)
        name_widget(self.user_label, "userStatus", user_text)
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)

    def about_text(self) -> str:
        return "<p>" + "</p><p>".join([
            f"<b>{APP_NAME}</b> {__version__}",
            _("Receives, refurbishes and documents the province's used ICT equipment until its "
              "second life or its certified end of life."),
            _("Database: {location} ({kind})",
              location=html.escape(database_location(self.database)),
              kind=database_kind_label(self.database.kind)),
        ]) + "</p>"

    def show_about(self) -> None:
        QMessageBox.about(self, _("About {app}", app=APP_NAME), self.about_text())


def first_tab_stop(page: QWidget) -> QWidget | None:
    """The first visible, enabled widget inside `page` that Tab would reach."""
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page:
        if (page.isAncestorOf(widget) and widget.isVisibleTo(page) and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            return widget
        widget = widget.nextInFocusChain()
    return None
