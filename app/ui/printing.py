"""Where printed paper goes: a printer (through Qt), a Zebra label printer, or a folder.

Labels and documents are rendered as PDF (and ZPL for Zebra) by the services;
this module only delivers them. A PDF goes to a Qt printer by rendering each
page with QtPdf at the printer's resolution, so what is printed is exactly the
issued document. Without a configured or default printer, the PDF is saved
in the data folder and the message says where — nothing is silently lost.

Settings (Settings.extra["printing"]): label_target ("auto" | "printer" |
"zebra" | "folder"), label_printer (a Qt printer name), zebra ("host:port"),
label_layout, auto_print_labels, document_printer, folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from ..config import Settings
from ..i18n import N_, _
from ..paths import data_dir
from ..services.errors import DomainError


class PrintFailed(DomainError):
    message = N_("Printing failed on {printer}: {detail}")


@dataclass
class PrintSettings:
    label_target: str = "auto"
    label_printer: str | None = None
    zebra: str | None = None
    label_layout: str = "57x32"
    auto_print_labels: bool = True
    document_printer: str | None = None
    folder: str | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> PrintSettings:
        raw = dict(settings.extra.get("printing", {}))
        known = {k: raw.pop(k) for k in list(raw) if k in cls.__dataclass_fields__}
        return cls(**known, extra=raw)

    def output_folder(self) -> Path:
        return Path(self.folder) if self.folder else data_dir() / "printed"


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
        return _("No printer is set up: saved as {path}", path=str(path))
    print_pdf_to(printer, pdf)
    return _("Sent to {printer}", printer=printer.printerName())


class LabelPrinter:
    """Prints asset labels the way this desk is set up."""

    def __init__(self, settings: PrintSettings) -> None:
        self.settings = settings

    def labels_pdf(self, labels: list) -> bytes:
        import io

        from ..services.documents import labels as label_docs

        buf = io.BytesIO()
        label_docs.render_pdf(labels, self.settings.label_layout, buf)
        return buf.getvalue()

    def print_labels(self, labels: list) -> str:
        from ..services.documents import labels as label_docs

        s = self.settings
        target = s.label_target
        if target == "zebra" or (target == "auto" and s.zebra):
            host, _sep, port = (s.zebra or "").rpartition(":")
            layout = label_docs.LAYOUTS.get(s.label_layout)
            # A Zebra prints rolls; an A4 sheet layout (or an unknown one) falls back to 4×2".
            zpl_layout = s.label_layout if layout is not None and not layout.is_sheet else "102x51"
            zpl = label_docs.render_zpl(labels, zpl_layout, dpi=int(s.extra.get("zebra_dpi", 203)))
            label_docs.send_zpl(zpl, host or s.zebra, int(port or 9100))
            return _("Label sent to the Zebra printer {printer}", printer=s.zebra)
        pdf = self.labels_pdf(labels)
        name = labels[0].tag if len(labels) == 1 else f"labels-{labels[0].tag}-{labels[-1].tag}"
        folder = s.output_folder() / "labels"
        if target == "folder":
            return _("Label saved as {path}", path=str(save_pdf(folder, name, pdf)))
        return deliver_pdf(pdf, name, s.label_printer, folder,
                           allow_default_printer=target in ("auto", "printer"))

    def print_document(self, pdf: bytes, name: str) -> str:
        s = self.settings
        folder = s.output_folder() / "documents"
        if s.label_target == "folder" and not s.document_printer:
            return _("Saved as {path}", path=str(save_pdf(folder, name, pdf)))
        return deliver_pdf(pdf, name, s.document_printer, folder)
