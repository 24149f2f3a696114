"""A small model/view table for the handovers page: requests, proposals, desk items, recipients.

These lists are short (a request's proposals, a batch's devices, a few hundred
recipients at most), so the model keeps plain rows (tuples of display text)
with an optional key per row, an optional colour per row and an optional
check box in the first column (a proposal accepted or not).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView

from ..i18n import _
from .widgets import fit_columns

GOOD = QColor("#1b7a2e")
WARN = QColor("#9a6700")
MUTED = QColor("#6b6b6b")


class RowsModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], checkable: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.headers = list(headers)  # English source texts
        self.checkable = checkable
        self.rows: list[tuple] = []
        self.keys: list[object] = []
        self.colours: list[QColor | None] = []
        self.checked: list[bool] = []

    def set_rows(self, rows: Sequence[tuple], keys: Sequence[object] | None = None,
                 colours: Sequence[QColor | None] | None = None) -> None:
        self.beginResetModel()
        self.rows = [tuple(r) for r in rows]
        self.keys = list(keys) if keys is not None else list(range(len(self.rows)))
        self.colours = list(colours) if colours is not None else [None] * len(self.rows)
        self.checked = [True] * len(self.rows)
        self.endResetModel()

    def replace_row(self, index: int, row: tuple, key: object) -> None:
        self.rows[index], self.keys[index] = tuple(row), key
        self.dataChanged.emit(self.index(index, 0), self.index(index, self.columnCount() - 1))

    def remove_row(self, index: int) -> None:
        self.beginRemoveRows(QModelIndex(), index, index)
        for values in (self.rows, self.keys, self.colours, self.checked):
            del values[index]
        self.endRemoveRows()

    def checked_keys(self) -> list[object]:
        return [k for k, c in zip(self.keys, self.checked, strict=True) if c]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.headers[section])
        return None

    def flags(self, index: QModelIndex):
        flags = super().flags(index)
        if self.checkable and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.rows[r][index.column()]
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.CheckStateRole and self.checkable and index.column() == 0:
            return Qt.CheckState.Checked if self.checked[r] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and self.colours[r] is not None:
            return QBrush(self.colours[r])
        return None

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role == Qt.ItemDataRole.CheckStateRole and self.checkable and index.column() == 0:
            self.checked[index.row()] = Qt.CheckState(value) == Qt.CheckState.Checked
            self.dataChanged.emit(index, index, [role])
            return True
        return False


def table_view(model: RowsModel, stretch: int | None = None,
               widths: dict[int, int] | None = None) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(26)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab goes on to the tick box and the buttons; arrows move here
    fit_columns(view, stretch=stretch, widths=widths)  # long translated headers must not take it all
    return view


def selected_row(view: QTableView) -> int | None:
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else None
