"""Settings → Printing and labels: where each kind of paper goes, the label stock, the Zebra printer.

Per kind of paper (labels, A4 documents and certificates, receipts) the
administrator chooses one of this computer's printers (Qt's list), its default
printer, or saving PDFs in a folder; labels can also go to a Zebra printer on
the network. "Test print" sends a test label or page with what the form says
now (before it is saved) and tells where it went. Kept in this desk's settings
file (`Settings.extra["printing"]`, read by app/ui/printing.py); every page's
printer follows it from the next print on.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..config import Settings
from ..db import Database
from ..i18n import N_, _
from ..services import organisation
from ..services.desk_settings import PrinterAddressRequired, printer_address, writable_folder
from ..services.documents.labels import LAYOUTS
from ..services.errors import DomainError
from ..services.locations import DEFAULT_LABEL_LAYOUT
from .printing import KIND_NAMES, KINDS, LabelPrinter, PrintSettings, available_printers
from .service_call import call_service
from .settings_form import FIELD_WIDTH, PathEdit, SettingsForm, choose_folder
from .widgets import line_edit, name_widget

DEFAULT, ZEBRA, FOLDER, LIKE_DOCUMENTS = "default", "zebra", "folder", "documents"
PRINTER = "printer:"  # + the printer's name
ZEBRA_DPIS = (203, 300, 600)
LOCATION_LAYOUT_KEY = "location_label_layout"


def _combo(object_name: str, accessible_name: str) -> QComboBox:
    combo = QComboBox()
    name_widget(combo, object_name, accessible_name)
    # A long printer or stock name must not widen the window: the list opens wide enough.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(30)
    combo.currentTextChanged.connect(combo.setToolTip)
    return combo


def _target(choice: str) -> tuple[str, str | None]:
    """A combo's data as PrintSettings says it: (target, printer name or None for the default)."""
    if choice.startswith(PRINTER):
        return "printer", choice[len(PRINTER):]
    if choice == DEFAULT:
        return "printer", None
    return choice, None


class PrintingSection(SettingsForm):
    """Printers per kind of paper, the folder for saved PDFs, and the labels (administrators)."""

    def __init__(self, database: Database, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__("printingSection", parent)
        self.database, self.settings = database, settings
        current = PrintSettings.from_settings(settings)
        printers = available_printers()

        self.destination_combos: dict[str, QComboBox] = {}
        self.test_buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setColumnStretch(3, 1)
        for row, kind in enumerate(KINDS):
            name = _(KIND_NAMES[kind])
            combo = _combo(f"destination_{kind}", _("Where {kind} go", kind=name))
            self._fill(combo, kind, printers, *(
                (current.receipt_target, None) if kind == "receipts"
                and current.receipt_target == LIKE_DOCUMENTS else current.destination(kind)))
            button = QPushButton(_("Test print"))
            name_widget(button, f"testPrint_{kind}", _("Test print: {kind}", kind=name))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, k=kind: self.test_print(k))
            grid.addWidget(QLabel(name), row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(button, row, 2)
            self.destination_combos[kind] = combo
            self.test_buttons[kind] = button
        self.folder_edit = PathEdit("printFolderEdit", _("Folder for saved PDFs"))
        self.folder_edit.setText(str(current.output_folder()))
        self._default_folder = str(PrintSettings().output_folder())
        self.folder_button = QPushButton(_("Choose…"))
        name_widget(self.folder_button, "printFolderButton", _("Choose the folder for saved PDFs"))
        self.folder_button.setAutoDefault(False)
        self.folder_button.clicked.connect(
            lambda: choose_folder(self, self.folder_edit, _("Folder for saved PDFs")))
        grid.addWidget(QLabel(_("Folder for saved PDFs")), len(KINDS), 0)
        grid.addWidget(self.folder_edit, len(KINDS), 1)
        grid.addWidget(self.folder_button, len(KINDS), 2)
        printers_box = QGroupBox(_("Printers"))
        name_widget(printers_box, "printersBox", _("Printers"))
        printers_box.setLayout(grid)

        self.layout_combo = _combo("labelLayoutCombo", _("Label stock for asset labels"))
        self.location_layout_combo = _combo("locationLayoutCombo", _("Label stock for location labels"))
        for key, layout in LAYOUTS.items():
            self.location_layout_combo.addItem(layout.name, key)
            if not layout.is_sheet:  # asset labels are printed one at a time, from a roll
                self.layout_combo.addItem(layout.name, key)
        self.layout_combo.setCurrentIndex(max(0, self.layout_combo.findData(current.label_layout)))
        self.location_layout_combo.setCurrentIndex(max(0, self.location_layout_combo.findData(
            current.extra.get(LOCATION_LAYOUT_KEY, DEFAULT_LABEL_LAYOUT))))
        self.auto_print = QCheckBox(_("Print the label as soon as a device is received"))
        name_widget(self.auto_print, "autoPrintLabels", self.auto_print.text())
        self.auto_print.setChecked(current.auto_print_labels)
        self.zebra_edit = line_edit("zebraAddressEdit", _("Zebra printer (host:port)"))
        self.zebra_edit.setPlaceholderText("10.0.4.21:9100")
        self.zebra_edit.setText(current.zebra or "")
        self.zebra_edit.setFixedWidth(FIELD_WIDTH - 100)
        self.dpi_combo = _combo("zebraDpiCombo", _("Zebra resolution"))
        self.dpi_combo.setMinimumContentsLength(10)
        for dpi in ZEBRA_DPIS:
            self.dpi_combo.addItem(_("{dpi} dpi", dpi=dpi), dpi)
        self.dpi_combo.setCurrentIndex(max(0, self.dpi_combo.findData(int(current.zebra_dpi))))
        labels_form = QFormLayout()
        labels_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        labels_form.addRow(_("Asset labels"), self.layout_combo)
        labels_form.addRow(_("Location labels"), self.location_layout_combo)
        labels_form.addRow("", self.auto_print)
        labels_form.addRow(_("Zebra printer (host:port)"), self.zebra_edit)
        labels_form.addRow(_("Zebra resolution"), self.dpi_combo)
        labels_box = QGroupBox(_("Labels"))
        name_widget(labels_box, "labelsBox", _("Labels"))
        labels_box.setLayout(labels_form)
        self.save_on_enter(self.folder_edit, self.zebra_edit)

        note = QLabel(_("Each kind of paper goes to its own printer, or is saved as PDF in the "
                        "folder. Test print uses what the form says now, before you save."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(printers_box)
        layout.addWidget(labels_box)
        layout.addLayout(self.footer())
        layout.addWidget(self.error_label)
        layout.addWidget(self.done_label)
        layout.addStretch(1)

    # -- the choices ---------------------------------------------------------------------------

    @staticmethod
    def _fill(combo: QComboBox, kind: str, printers: list[str], target: str,
              printer: str | None) -> None:
        if kind == "receipts":
            combo.addItem(_("Like A4 documents"), LIKE_DOCUMENTS)
        combo.addItem(_("Default printer of this computer"), DEFAULT)
        for name in printers:
            combo.addItem(name, PRINTER + name)
        if printer and printer not in printers:  # kept, so that saving does not lose it
            combo.addItem(_("{printer} (not available now)", printer=printer), PRINTER + printer)
        if kind == "labels":
            combo.addItem(_("Zebra label printer on the network"), ZEBRA)
        combo.addItem(_("Save as PDF in the folder"), FOLDER)
        if kind == "receipts" and target == LIKE_DOCUMENTS:
            choice = LIKE_DOCUMENTS
        elif target == "printer":
            choice = PRINTER + printer if printer else DEFAULT
        else:
            choice = target
        combo.setCurrentIndex(max(0, combo.findData(choice)))

    def choose(self, kind: str, choice: str) -> None:
        """Pick a destination by its data ("default", "printer:NAME", "zebra", "folder", …)."""
        combo = self.destination_combos[kind]
        combo.setCurrentIndex(combo.findData(choice))

    # -- reading the form ----------------------------------------------------------------------

    def form_settings(self) -> PrintSettings:
        """The print settings the form describes; a DomainError says what is wrong in it."""
        s = PrintSettings.from_settings(self.settings)
        for kind, combo in self.destination_combos.items():
            target, printer = _target(combo.currentData())
            if kind == "labels":
                s.label_target, s.label_printer = target, printer
            elif kind == "documents":
                s.document_target, s.document_printer = target, printer
            else:
                s.receipt_target, s.receipt_printer = target, printer
        zebra = self.zebra_edit.text().strip()
        s.zebra = printer_address(zebra) if zebra else None
        if s.label_target == ZEBRA and not s.zebra:
            raise PrinterAddressRequired()
        folder = str(writable_folder(self.folder_edit.text(), N_("saved PDFs")))
        s.folder = None if folder == self._default_folder else folder
        s.label_layout = self.layout_combo.currentData()
        s.extra[LOCATION_LAYOUT_KEY] = self.location_layout_combo.currentData()
        s.auto_print_labels = self.auto_print.isChecked()
        s.zebra_dpi = self.dpi_combo.currentData()
        return s

    def save(self) -> bool:
        try:
            wanted = self.form_settings()
        except DomainError as err:
            return self.refuse(str(err))
        self.zebra_edit.setText(wanted.zebra or "")
        self.settings.extra["printing"] = wanted.to_dict()
        self.settings.save()
        return self.saved(_("Saved. The next label or document goes where you set it."))

    def test_print(self, kind: str) -> str:
        """Send a test label or page where the form sends `kind`; the message says where it went."""
        kind_name = _(KIND_NAMES[kind])
        try:
            wanted = self.form_settings()
            identity = call_service(self.database.session, organisation.get)
            where = LabelPrinter(wanted).print_check(kind, identity)
        except DomainError as err:
            self.refuse(_("Test print of {kind} failed: {reason}", kind=kind_name, reason=str(err)))
            return self.error_label.text()
        self.saved(_("Test print of {kind}: {where}", kind=kind_name, where=where))
        return self.done_label.text()
