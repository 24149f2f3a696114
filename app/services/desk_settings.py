"""Checks of what an administrator types into this desk's settings: printer addresses and folders.

A desk's settings file (app/config.py) holds where paper and backups go. A typo
there shows up weeks later as a label that never printed or a backup that was
never written, so the settings page refuses it at once, with a message that
says what is wrong and how to write it; nothing of the form is saved then.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tempfile
from pathlib import Path

from ..i18n import N_
from .errors import ValidationError

ZEBRA_PORT = 9100  # raw printing (JetDirect / Zebra), what a network label printer listens on
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


class BadPrinterAddress(ValidationError):
    message = N_("“{address}” is not a printer address. Write host:port, such as 10.0.4.21:9100 "
                 "or zebra-intake.provincie.local:9100 (the port is 1–65535; without one, 9100). "
                 "Nothing was saved.")


class PrinterAddressRequired(ValidationError):
    message = N_("Labels go to the Zebra printer: give its address (host:port) under Labels. "
                 "Nothing was saved.")


class FolderRequired(ValidationError):
    message = N_("Choose the folder for {what}. Nothing was saved.")


class FolderNotAbsolute(ValidationError):
    message = N_("“{folder}” is not a whole path: give the full path of the folder, such as "
                 "{example}. Nothing was saved.")


class FolderNotWritable(ValidationError):
    message = N_("This desk cannot write in the folder {folder} ({detail}). Choose a folder it "
                 "may write in. Nothing was saved.")


def printer_address(text: str) -> str:
    """'10.0.4.21', 'zebra-1:9100', '[fe80::1]:9100' → 'host:port'; refused when it is none."""
    raw = (text or "").strip()
    host, port_text = raw, None
    if raw.startswith("["):  # [IPv6]:port
        end = raw.find("]")
        rest = raw[end + 1:] if end > 0 else "?"
        if rest and not rest.startswith(":"):
            raise BadPrinterAddress(address=raw)
        host, port_text = raw[1:end], (rest[1:] if rest else None)
    elif raw.count(":") == 1:
        host, port_text = raw.split(":")
    port = ZEBRA_PORT
    if port_text is not None:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise BadPrinterAddress(address=raw)
        port = int(port_text)
    if not _valid_host(host):
        raise BadPrinterAddress(address=raw)
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}"


def split_address(address: str) -> tuple[str, int]:
    """'host:port' as printer_address writes it → (host, port)."""
    host, _sep, port = address.rpartition(":")
    return host.strip("[]"), int(port)


def _valid_host(host: str) -> bool:
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    if re.fullmatch(r"[\d.]+", host):  # 10.0.4 or 300.1.1.1: a mistyped IPv4 address
        return False
    return len(host) <= 253 and all(_HOST_LABEL.match(label) for label in host.split("."))


def writable_folder(text: str, what: str) -> Path:
    """The folder as a whole path, created when missing; refused when this desk cannot write there.

    `what` (a marked text) names the folder's use in the message: "saved PDFs", "backups".
    """
    raw = (text or "").strip()
    if not raw:
        raise FolderRequired(what=what)
    folder = Path(raw).expanduser()
    if not folder.is_absolute():
        example = "C:\\Depot\\Backups" if os.name == "nt" else "/srv/depot/backups"
        raise FolderNotAbsolute(folder=raw, example=example)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Permissions say little on a network share or under Windows ACLs: try a real write.
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".depot-check-"):
            pass
    except OSError as err:
        raise FolderNotWritable(folder=str(folder), detail=err.strerror or type(err).__name__) from err
    return folder
