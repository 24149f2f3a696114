"""Spare parts at the bench: harvest from a device that awaits disposal, see the stock, issue a part.

A harvested disk is a storage medium; the service refuses to issue it until
its own wipe is verified, and this dialog shows that refusal as it is.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)
from sqlalchemy import select

from ..db import Database
from ..i18n import N_, _
from ..models import PartKind, SparePart, StorageMedium, User
from ..services import assets, spare_parts
from ..services.errors import DomainError
from ..timefmt import format_local
from .widgets import ErrorLabel, name_widget

PART_NAMES = {
    PartKind.RAM: N_("memory (RAM)"), PartKind.SSD: N_("SSD"), PartKind.HDD: N_("hard disk"),
    PartKind.BATTERY: N_("battery"), PartKind.CHARGER: N_("charger"), PartKind.SCREEN: N_("screen"),
    PartKind.OTHER: N_("other part"),
}


class SparePartsDialog(QDialog):
    def __init__(self, database: Database, user: User, parent=None) -> None:
        super().__init__(parent)
        self.database, self.user = database, user
        self.setWindowTitle(_("Spare parts"))
        name_widget(self, "sparePartsDialog", _("Spare parts"))
        self.resize(860, 520)
        self.error = ErrorLabel("sparePartsError")

        self.tag = QLineEdit()
        name_widget(self.tag, "harvestTag", _("Asset tag of the source device"))
        self.kind = QComboBox()
        name_widget(self.kind, "harvestKind", _("Part"))
        for kind in PartKind:
            self.kind.addItem(_(PART_NAMES[kind]), kind)
        self.description = QLineEdit()
        name_widget(self.description, "harvestDescription", _("Description"))
        self.description.setPlaceholderText(_("for example 8 GB DDR4 SO-DIMM"))
        self.medium = QComboBox()
        name_widget(self.medium, "harvestMedium", _("Storage medium"))
        self.tag.editingFinished.connect(self._load_media)
        harvest_button = QPushButton(_("Harvest"))
        name_widget(harvest_button, "harvestPart", _("Harvest"))
        harvest_button.clicked.connect(self.harvest)
        harvest_box = QGroupBox(_("Harvest a part from a device awaiting disposal"))
        form = QFormLayout(harvest_box)
        form.addRow(_("Asset tag"), self.tag)
        form.addRow(_("Part"), self.kind)
        form.addRow(_("Description"), self.description)
        form.addRow(_("Storage medium"), self.medium)
        form.addRow(harvest_button)

        self.stock_label = QLabel()
        name_widget(self.stock_label, "partsStock", _("Stock"))
        self.table = QTableWidget(0, 4)
        name_widget(self.table, "partsTable", _("Parts in stock"))
        self.table.setHorizontalHeaderLabels([_("Part"), _("Description"), _("From"), _("Harvested")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        issue_button = QPushButton(_("Issue…"))
        name_widget(issue_button, "issuePart", _("Issue…"))
        issue_button.clicked.connect(self.ask_issue)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(issue_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(harvest_box)
        layout.addWidget(self.error)
        layout.addWidget(self.stock_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.refresh()

    def _run(self, action):
        try:
            with self.database.session() as session:
                result = action(session)
        except DomainError as err:
            self.error.show_message(str(err))
            return False, None
        self.error.clear_message()
        return True, result

    def _load_media(self) -> None:
        self.medium.clear()
        self.medium.addItem(_("(not a disk)"), None)
        ok, media = self._run(lambda s: [
            (m.id, f"{m.kind.value} {m.serial or ''} {m.capacity_gb or ''} GB".strip())
            for m in s.scalars(select(StorageMedium).where(
                StorageMedium.asset_id == assets.get_by_tag(s, self.tag.text()).id))])
        for medium_id, text in media or []:
            self.medium.addItem(text, medium_id)

    def harvest(self) -> bool:
        tag = self.tag.text()
        ok, _part = self._run(lambda s: spare_parts.harvest(
            s, self.user, assets.get_by_tag(s, tag).id, self.kind.currentData(),
            self.description.text(), self.medium.currentData()))
        if ok:
            self.description.clear()
            self.refresh()
        return ok

    def refresh(self) -> None:
        ok, data = self._run(lambda s: (spare_parts.stock(s), [
            (p.id, p.kind, p.description, p.source_asset.tag, format_local(p.harvested_at))
            for p in s.scalars(select(SparePart).where(SparePart.issued_at.is_(None))
                               .order_by(SparePart.kind, SparePart.id))]))
        if not ok:
            return
        stock, rows = data
        self.stock_label.setText(_("In stock: {parts}", parts=", ".join(
            f"{n} × {_(PART_NAMES[k])}" for k, n in sorted(stock.items())) or _("nothing")))
        self.table.setRowCount(0)
        for part_id, kind, description, tag, harvested in rows:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, text in enumerate((_(PART_NAMES[kind]), description, tag, harvested)):
                item = QTableWidgetItem(text)
                item.setData(256, part_id)  # Qt.UserRole
                self.table.setItem(row, column, item)

    def selected_part(self) -> int | None:
        items = self.table.selectedItems()
        return items[0].data(256) if items else None

    def issue(self, part_id: int, note: str) -> bool:
        ok, _part = self._run(lambda s: spare_parts.issue(s, self.user, part_id, note))
        if ok:
            self.refresh()
        return ok

    def ask_issue(self) -> None:
        part_id = self.selected_part()
        if part_id is None:
            self.error.show_message(_("Choose a part in the list first."))
            return
        note, ok = QInputDialog.getText(self, _("Issue a part"),
                                        _("Where does the part go (for example the device it goes into)?"))
        if ok:
            self.issue(part_id, note)
