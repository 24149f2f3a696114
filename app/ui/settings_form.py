"""What every tab of the settings page shares: one Save button, and below it what happened.

A refusal (a bad printer address, a folder this desk cannot write in, a wrong
enterprise number) shows in red and saves nothing; a save says what it changed.
Neither message widens the window: a long path is elided, with the whole text in
the tooltip. Enter in a text field saves the tab, like the Save button.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from ..i18n import _
from .widgets import ErrorLabel, name_widget

FIELD_WIDTH = 360  # a text field or a choice: room for a host name or a printer's name


class NarrowLabel(QLabel):
    """A message that wraps, and whose longest word (a path) never sets the window's width;
    the whole text is in the tooltip when a very long path is cut off at the edge."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(60, super().minimumSizeHint().height())


class NarrowErrorLabel(ErrorLabel):
    """An error label that wraps, and whose longest word (a path) never sets the window's width."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(60, super().minimumSizeHint().height())

    def show_message(self, text: str) -> None:
        super().show_message(text)
        self.setToolTip(text)

    def clear_message(self) -> None:
        super().clear_message()
        self.setToolTip("")


class PathEdit(QLineEdit):
    """A folder's path: the whole of it in the tooltip, as narrow as the form wants it."""

    def __init__(self, object_name: str, accessible_name: str) -> None:
        super().__init__()
        name_widget(self, object_name, accessible_name)
        self.setMinimumWidth(FIELD_WIDTH)
        self.textChanged.connect(self.setToolTip)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(FIELD_WIDTH, super().sizeHint().height())


def choose_folder(parent: QWidget, edit: QLineEdit, title: str) -> None:
    folder = QFileDialog.getExistingDirectory(parent, title, edit.text())
    if folder:
        edit.setText(folder)


class SettingsForm(QWidget):
    """A settings tab: subclasses build the fields and implement `save() -> bool`."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.save_button = QPushButton(_("Save"))
        name_widget(self.save_button, f"{object_name}Save", _("Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.error_label = NarrowErrorLabel(f"{object_name}Error")
        self.done_label = NarrowLabel(f"{object_name}Done")

    def save(self) -> bool:
        raise NotImplementedError

    def save_on_enter(self, *edits: QLineEdit) -> None:
        for edit in edits:
            edit.returnPressed.connect(self.save)

    def footer(self, *buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        return row

    def refuse(self, message: str) -> bool:
        self.done_label.setText("")
        self.error_label.show_message(message)
        return False

    def saved(self, message: str) -> bool:
        self.error_label.clear_message()
        self.done_label.setText(message)
        return True
