"""Where printed paper goes: a printer (through Qt), a Zebra label printer, or a folder.

Labels and documents are rendered as PDF (and ZPL for Zebra) by the services;
this module only delivers them. A PDF goes to a Qt printer by rendering each
page with QtPdf at the printer's resolution, so what is printed is exactly the
issued document. Without a configured or default printer, the PDF is saved
in the data folder and the message says where (and where to set a printer) —
nothing is silently lost.

Settings (Settings.extra["printing"], set in Settings → Printing and labels), per
kind of paper: labels (label_target "auto" | "printer" | "zebra" | "folder",
label_printer, zebra "host:port", zebra_dpi, label_layout, auto_print_labels),
A4 documents and certificates (document_target "auto" | "printer" | "folder",
document_printer) and receipts (receipt_target "documents" — like the A4
documents — | "printer" | "folder", receipt_printer); `folder` for saved PDFs.
A printer name of None means this computer's default printer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from ..config import Settings
from ..i18n import N_, _
from ..paths import data_dir
from ..services.desk_settings import split_address
from ..services.errors import DomainError

KINDS = ("labels", "documents", "receipts")  # the kinds of paper, each with its own destination
KIND_NAMES = {"labels": N_("Labels"), "documents": N_("A4 documents and certificates"),
              "receipts": N_("Receipts (intake and sale)")}


class PrintFailed(DomainError):
    message = N_("Printing failed on {printer}: {detail}")


@dataclass
class PrintSettings:
    label_target: str = "auto"
    label_printer: str | None = None
    zebra: str | None = None
    zebra_dpi: int = 203
    label_layout: str = "57x32"
    auto_print_labels: bool = True
    document_target: str = "auto"
    document_printer: str | None = None
    receipt_target: str = "documents"
    receipt_printer: str | None = None
    folder: str | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> PrintSettings:
        raw = dict(settings.extra.get("printing", {}))
        known = {k: raw.pop(k) for k in list(raw) if k in cls.__dataclass_fields__}
        return cls(**known, extra=raw)

    def output_folder(self) -> Path:
        return Path(self.folder) if self.folder else data_dir() / "printed"

    def to_dict(self) -> dict:
        """What goes back into Settings.extra["printing"] (unknown keys kept as they were)."""
        values = dataclasses.asdict(self)
        return {**values.pop("extra"), **values}

    def subfolder(self, kind: str) -> str:
        """Where in the folder a kind's PDFs are saved: receipts that follow the A4 documents
        go where those go."""
        return "documents" if kind == "receipts" and self.receipt_target == "documents" else kind

    def destination(self, kind: str) -> tuple[str, str | None]:
        """(target, printer name) of a kind of paper: target "printer" (None: the default
        printer), "zebra" or "folder"; the older "auto" settings read as what they did."""
        if kind == "labels":
            if self.label_target == "auto":
                return ("zebra", None) if self.zebra else ("printer", self.label_printer)
            return self.label_target, self.label_printer if self.label_target == "printer" else None
        if kind == "receipts" and self.receipt_target != "documents":
            return self.receipt_target, (self.receipt_printer if self.receipt_target == "printer"
                                         else None)
        if self.document_target == "auto":
            if self.label_target == "folder" and not self.document_printer:
                return "folder", None
            return "printer", self.document_printer
        return self.document_target, (self.document_printer if self.document_target == "printer"
                                      else None)


def _printer(name: str | None) -> QPrinter | None:
    info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo.defaultPrinter()
    if info.isNull():
        return None
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    return printer


def print_pdf_to(printer: QPrinter, pdf: bytes) -> None:
    """Render every PDF page onto the printer at its resolution."""
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise PrintFailed(printer=printer.printerName(), detail=_("the PDF could not be read"))
    # Print at actual size on paper of the PDF's size (a 57×32 mm label, an A4 receipt):
    # "fit to page" would shrink the bars until they no longer scan.
    first = document.pagePointSize(0)
    printer.setPageSize(QPageSize(first, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch))
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(printer=printer.printerName(), detail=_("the printer is not available"))
    try:
        dpi = printer.resolution()
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            size_pt = document.pagePointSize(page)
            pixels = QSize(round(size_pt.width() / 72 * dpi), round(size_pt.height() / 72 * dpi))
            image = document.render(page, pixels)
            painter.drawImage(QRectF(0, 0, pixels.width(), pixels.height()), image)
    finally:
        painter.end()


def preview_pdf(parent, pdf: bytes, title: str) -> None:
    """Qt's print preview and print dialog for a PDF (labels of a lot, a document)."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    dialog = QPrintPreviewDialog(parent)
    dialog.setWindowTitle(title)
    dialog.paintRequested.connect(lambda printer: print_pdf_to(printer, pdf))
    dialog.exec()


def save_pdf(folder: Path, name: str, pdf: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.pdf"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pdf)
    tmp.replace(path)
    return path


def deliver_pdf(pdf: bytes, name: str, printer_name: str | None, folder: Path,
                allow_default_printer: bool = True) -> str:
    """Print `pdf` on the named (or default) printer, or save it; return what happened, for the user."""
    printer = _printer(printer_name) if (printer_name or allow_default_printer) else None
    if printer is None:
        path = save_pdf(folder, name, pdf)
        if printer_name:
            return _("The printer {printer} is not available: saved as {path}. Choose another "
                     "printer in Settings → Printing and labels.", printer=printer_name,
                     path=str(path))
        return _("No printer is set up (Settings → Printing and labels): saved as {path}",
                 path=str(path))
    print_pdf_to(printer, pdf)
    return _("Sent to {printer}", printer=printer.printerName())


class LabelPrinter:
    """Prints labels and documents the way this desk is set up.

    Made with `for_desk(settings)`, it follows the desk's settings as they change: what an
    administrator saves in Settings → Printing and labels applies to the next print.
    """

    def __init__(self, settings: PrintSettings) -> None:
        self._fixed = settings
        self._desk: Settings | None = None

    @classmethod
    def for_desk(cls, settings: Settings) -> LabelPrinter:
        printer = cls(PrintSettings.from_settings(settings))
        printer._desk = settings
        return printer

    @property
    def settings(self) -> PrintSettings:
        return PrintSettings.from_settings(self._desk) if self._desk is not None else self._fixed

    @settings.setter
    def settings(self, value: PrintSettings) -> None:
        self._fixed, self._desk = value, None

    def labels_pdf(self, labels: list) -> bytes:
        import io

        from ..services.documents import labels as label_docs

        buf = io.BytesIO()
        label_docs.render_pdf(labels, self.settings.label_layout, buf)
        return buf.getvalue()

    def print_labels(self, labels: list) -> str:
        from ..services.documents import labels as label_docs

        s = self.settings
        target, printer_name = s.destination("labels")
        if target == "zebra":
            if not s.zebra:
                raise PrintFailed(printer="Zebra", detail=_(
                    "no address is set up in Settings → Printing and labels"))
            host, port = _zebra_address(s.zebra)
            layout = label_docs.LAYOUTS.get(s.label_layout)
            # A Zebra prints rolls; an A4 sheet layout (or an unknown one) falls back to 4×2".
            zpl_layout = s.label_layout if layout is not None and not layout.is_sheet else "102x51"
            zpl = label_docs.render_zpl(labels, zpl_layout, dpi=int(s.zebra_dpi))
            label_docs.send_zpl(zpl, host, port)
            return _("Label sent to the Zebra printer {printer}", printer=s.zebra)
        pdf = self.labels_pdf(labels)
        name = labels[0].tag if len(labels) == 1 else f"labels-{labels[0].tag}-{labels[-1].tag}"
        folder = s.output_folder() / "labels"
        if target == "folder":
            return _("Label saved as {path}", path=str(save_pdf(folder, name, pdf)))
        return deliver_pdf(pdf, name, printer_name, folder,
                           allow_default_printer=target in ("auto", "printer"))

    def print_document(self, pdf: bytes, name: str, kind: str = "documents") -> str:
        """An A4 document (`kind` "documents") or a receipt ("receipts") where this desk sends it."""
        s = self.settings
        target, printer_name = s.destination(kind)
        folder = s.output_folder() / s.subfolder(kind)
        if target == "folder":
            return _("Saved as {path}", path=str(save_pdf(folder, name, pdf)))
        return deliver_pdf(pdf, name, printer_name, folder)

    def print_check(self, kind: str, organisation=None) -> str:
        """A test label or test page for `kind`, sent where that kind goes; says where it went."""
        from .. import clock
        from ..i18n import current_language
        from ..services.documents import print_check
        from ..services.organisation import Identity

        now = clock.now()
        if kind == "labels":
            short = (organisation or Identity()).short
            return self.print_labels([print_check.check_label(now, short, current_language())])
        target, printer_name = self.settings.destination(kind)
        where = (str(self.settings.output_folder() / self.settings.subfolder(kind))
                 if target == "folder"
                 else printer_name or _("the default printer of this computer"))
        pdf = print_check.render_check_page(KIND_NAMES[kind], where, now, organisation)
        return self.print_document(pdf, f"test-{kind}", kind)


def _zebra_address(address: str) -> tuple[str, int]:
    try:
        return split_address(address)
    except ValueError:  # an address written by hand into an older settings file: "host"
        return address, 9100


def available_printers() -> list[str]:
    """The printers this computer knows (Qt's list: CUPS on Linux, the spooler on Windows)."""
    return list(QPrinterInfo.availablePrinterNames())


def default_printer_name() -> str:
    return QPrinterInfo.defaultPrinterName()
