"""Small widgets every dialog and page shares, so they look and behave alike.

A page header, an inline error label (red, hidden while there is nothing to
say), and labelled form fields with object and accessible names, so tests and
screen readers find the same widget a technician sees.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)


def name_widget(widget: QWidget, object_name: str, accessible_name: str) -> QWidget:
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    return widget


def page_header(text: str, parent: QWidget | None = None) -> QLabel:
    """The large title at the top of each page (objectName "pageHeader")."""
    label = QLabel(text, parent)
    name_widget(label, "pageHeader", text)
    return label


def line_edit(object_name: str, accessible_name: str, *, password: bool = False) -> QLineEdit:
    edit = QLineEdit()
    name_widget(edit, object_name, accessible_name)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class ErrorLabel(QLabel):
    """An inline message in red under a form: why the last attempt was refused."""

    def __init__(self, object_name: str = "errorLabel", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setProperty("role", "error")  # styled in app/ui/style.py
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        # Screen readers read the accessible name: make it the message itself.
        self.setAccessibleName(text)
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.setAccessibleName("")
        self.hide()


class DialogButtons(QDialogButtonBox):
    """Cancel and one accept button: Enter presses the accept button, Esc cancels.

    Qt makes Cancel the default button when the accept button was made default before the box
    sat in its dialog (the way every dialog here is built): Enter after a password then closed
    the app. The default is set again each time the box is shown, and Cancel never takes Enter.
    """

    def __init__(self, accept_text: str, accept_name: str, parent: QWidget | None = None) -> None:
        super().__init__(QDialogButtonBox.StandardButton.Cancel, parent)
        self.accept_button: QPushButton = self.addButton(accept_text,
                                                         QDialogButtonBox.ButtonRole.AcceptRole)
        name_widget(self.accept_button, accept_name, accept_text)
        self.cancel_button: QPushButton = self.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.accept_button.setDefault(True)


class ElidedLabel(QLabel):
    """One line of text that never widens its window.

    A message longer than the room it has (a file path, a long refusal) is shown with "…" in
    the middle, so its start and its end (the file name) stay readable; the whole text is in the
    tooltip and in `text()` (screen readers and tests read it whole). A plain QLabel asks for
    the width of its text and a 1280-pixel window grew to 1934.
    """

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        super().setText(text)
        self.setToolTip(text)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        hint = super().sizeHint()
        return QSize(min(hint.width(), 320), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 60), hint.height())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle, rect.width())
        painter = QPainter(self)
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(),
                                  self.isEnabled(), shown, QPalette.ColorRole.WindowText)


def enable_for_role(button: QPushButton, user, permission: str, otherwise: bool = True) -> None:
    """Enabled when the user's role may (the permission table) and `otherwise` holds; a button
    the role may not use says in its tooltip which roles may."""
    from ..i18n import _
    from ..services.permissions import allowed, who_may

    may = allowed(user, permission)
    button.setEnabled(may and otherwise)
    if not may:
        button.setToolTip(_("For: {roles}", roles=who_may(permission)))
    elif button.toolTip().startswith(_("For: {roles}", roles="")):
        button.setToolTip("")


def give_key(button: QAbstractButton, text: str, key: str) -> QAbstractButton:
    """A function key for a button: on its face, in its tooltip, and in the tab order (but not
    taken by a click, so the scan field keeps Enter). F-keys, because Ctrl+Z or Ctrl+P would be
    taken by a focused text field itself."""
    from PySide6.QtGui import QKeySequence

    button.setText(f"{text} ({key})")
    button.setShortcut(QKeySequence(key))
    button.setToolTip(f"{text} — {key}")
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return button


def fit_columns(view: QTableView, *, stretch: int | None = None,
                widths: dict[int, int] | None = None) -> None:
    """Columns as wide as their text, so nothing a technician identifies a device by is cut;
    free-text columns get a fixed width (`widths`, elided, the whole text in the tooltip); one
    column (`stretch`) takes, or gives up, what is left of the view."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column, width in (widths or {}).items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
