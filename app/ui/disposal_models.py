"""The disposal page's tables: batches, batches waiting for the processor's certificate, the
devices of a batch and its weight check. Small lists of plain rows from `disposal_views`."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ..i18n import N_, _
from ..models import DisposalStatus
from ..services import disposal_views as views
from ..services import weee
from ..services.documents.intake_receipt import category_name
from ..timefmt import format_local
from .disposal_dialogs import weight_text
from .style import ERROR
from .table_model import RowsTableModel

WARN = "#9a6700"
DATA_NAMES = {"none": N_("no data parts"), "wiped": N_("wiped"), "destroyed": N_("destroyed"),
              "missing": N_("NO RECORD")}
DATA_LONG = {"none": N_("no data-bearing parts"), "wiped": N_("wiped"),
             "destroyed": N_("media destroyed"), "missing": N_("NO wipe or destruction record")}


class RowsModel(RowsTableModel):
    """A small table of plain rows (a batch holds tens to a few hundred devices)."""

    columns: tuple[str, ...] = ()
    right: frozenset[int] = frozenset()

    def cells(self, row) -> tuple:
        raise NotImplementedError

    def colour(self, row, column: int) -> str | None:
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cells(row)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self.colour(row, index.column())
            return QBrush(QColor(colour)) if colour else None
        return None


class BatchesModel(RowsModel):
    columns = (N_("Batch"), N_("Devices"), N_("Picked up"))
    right = frozenset({1})

    def cells(self, b: views.BatchSummary) -> tuple:
        status = _("open") if b.status == DisposalStatus.OPEN else format_local(b.closed_at)[:10]
        return (b.number, str(b.devices), status)

    def colour(self, b, column: int) -> str | None:
        return WARN if column == 2 and b.status == DisposalStatus.OPEN else None


class WaitingModel(RowsModel):
    columns = (N_("Batch"), N_("Picked up"))

    def cells(self, b: views.BatchSummary) -> tuple:
        return (b.number, format_local(b.closed_at)[:10])


class ItemsModel(RowsModel):
    # the category is in the model's tooltip: the model column needs the room
    columns = (N_("Tag"), N_("Model"), N_("Serial number"), N_("WEEE"), N_("kg"), N_("Data"))
    right = frozenset({3, 4})
    DATA_COLUMN = 5

    def cells(self, r: views.ItemRow) -> tuple:
        return (r.tag, r.model, r.serial or "—", str(r.weee_category), weight_text(r.weight_kg),
                _(DATA_NAMES[r.data_status]))

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            r = self.rows[index.row()]
            if index.column() == 1:
                return f"{category_name(r.category)} · {r.model}"
            if index.column() == self.DATA_COLUMN:
                return " · ".join(x for x in (_(DATA_LONG[r.data_status]), r.data_reference) if x)
        return super().data(index, role)

    def colour(self, r, column: int) -> str | None:
        return ERROR if column == self.DATA_COLUMN and r.data_status == "missing" else None


class WeightsModel(RowsModel):
    columns = (N_("WEEE category"), N_("Devices"), N_("Sum of devices (kg)"), N_("Weighed (kg)"),
               N_("Difference"))
    right = frozenset({1, 2, 3, 4})

    def cells(self, w: views.WeightLine) -> tuple:
        diff = "—"
        if w.difference_kg is not None:
            pct = f" ({w.difference_pct:+}%)".replace(".", ",") if w.difference_pct is not None else ""
            diff = f"{'+' if w.difference_kg > 0 else ''}{weight_text(w.difference_kg)}{pct}"
        return (f"{w.weee_category}. {weee.category_short(w.weee_category)}", str(w.items),
                weight_text(w.device_kg), weight_text(w.weighed_kg) if w.weighed_kg is not None
                else _("not weighed yet"), diff)

    def colour(self, w, column: int) -> str | None:
        return WARN if column == 3 and w.weighed_kg is None else None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == 0:
                return weee.category_name(self.rows[index.row()].weee_category)
        return super().data(index, role)
