"""Reading issued PDFs back the way a person holding the paper would.

`pdf_text` (pdftotext), `page_count` (pdfinfo), `render_png` (pdftoppm) and
`scan_qr_codes` (zbarimg). The `pdf_tools` fixture (in tests/conftest.py)
skips on a developer machine without poppler-utils / zbar-tools, and fails
when CI=true, so CI never silently skips a check of a document.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

TOOLS = {"pdftoppm": "poppler-utils", "pdftotext": "poppler-utils", "pdfinfo": "poppler-utils",
         "zbarimg": "zbar-tools"}


def require_pdf_tools() -> None:
    missing = sorted({pkg for tool, pkg in TOOLS.items() if shutil.which(tool) is None})
    if missing:
        message = (f"{' and '.join(missing)} missing: install them (apt-get install "
                   f"{' '.join(missing)}) to read the documents back")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def write_pdf(pdf: bytes, folder: Path, name: str = "document.pdf") -> Path:
    path = folder / name
    path.write_bytes(pdf)
    return path


def pdf_text(pdf: Path, page: int | None = None) -> str:
    """The text of the PDF (or one page), with runs of whitespace made single spaces."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    raw = subprocess.run(["pdftotext", "-raw", *pages, str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return re.sub(r"\s+", " ", raw)


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def render_png(pdf: Path, page: int = 1, dpi: int = 150) -> Path:
    """Page `page` as a PNG beside the PDF (to look at, or to decode)."""
    stem = pdf.with_name(f"{pdf.stem}-p{page}")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png",
                    "-singlefile", str(pdf), str(stem)], check=True)
    return stem.with_suffix(".png")


def scan_qr_codes(image: Path) -> list[str]:
    """Every QR code zbar finds in the image, decoded."""
    done = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
                          capture_output=True, text=True)
    return [line for line in done.stdout.splitlines() if line.strip()]
