"""The devices of the open lot, newest first: a small model/view table.

A lot holds a trolley of devices (tens, a few hundred at most), so the model
keeps its rows; the inventory's million-row table is a different model.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from ..i18n import N_, _
from ..models import Asset
from ..services import lifecycle
from ..services.documents.intake_receipt import category_name

COLUMNS = (N_("Tag"), N_("Category"), N_("Manufacturer and model"), N_("Serial number"), N_("Status"))


@dataclass(frozen=True)
class LotRow:
    asset_id: int
    tag: str
    category: str
    make_model: str
    serial: str
    status: str

    @classmethod
    def of(cls, asset: Asset) -> LotRow:
        return cls(asset.id, asset.tag, category_name(asset.category),
                   f"{asset.manufacturer} {asset.model}", asset.serial or "",
                   lifecycle.status_label(asset.status))


class LotTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[LotRow] = []

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._rows[index.row()]
        return (row.tag, row.category, row.make_model, row.serial, row.status)[index.column()]

    def set_assets(self, assets: list[Asset]) -> None:
        self.beginResetModel()
        self._rows = [LotRow.of(a) for a in reversed(assets)]
        self.endResetModel()

    def add_asset(self, asset: Asset) -> None:
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, LotRow.of(asset))
        self.endInsertRows()

    def remove_tag(self, tag: str) -> None:
        for i, row in enumerate(self._rows):
            if row.tag == tag:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self._rows[i]
                self.endRemoveRows()
                return

    def tags(self) -> list[str]:
        return [r.tag for r in self._rows]
