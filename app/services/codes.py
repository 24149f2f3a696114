"""The scan grammar: what a scanned or typed string is, and asset-tag check digits.

An asset tag is `CD`, a seven-digit number and a check digit computed with
the Damm algorithm, which catches every single wrong digit and every swap of
two neighbouring digits — so a mistyped tag is refused instead of opening
another device. All digits after the prefix also keep the Code 128 barcode
short (code set C) on a 57×32 mm label.

Other grammars: location codes (`LOC-…`), command barcodes (`CMD-…`, printed
on the command sheet), certificate codes (`CERT:…`, printed as a QR code on
documents). Anything else is taken as a manufacturer serial.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from stdnum import damm

from .errors import InvalidTag
from .identifiers import fold

TAG_PREFIX = "CD"
TAG_DIGITS = 7
TAG_RE = re.compile(rf"^{TAG_PREFIX}(\d{{{TAG_DIGITS}}})(\d)$")
# Looks like a tag (right prefix and length) even if a character is wrong.
TAG_LIKE_RE = re.compile(rf"^{TAG_PREFIX}[0-9A-Z]{{{TAG_DIGITS + 1}}}$")
LOCATION_RE = re.compile(r"^LOC-[0-9A-Z][0-9A-Z.\-]{0,34}$")
COMMAND_RE = re.compile(r"^CMD-([A-Z_]{2,30})$")
CERTIFICATE_RE = re.compile(r"^CERT:[0-9A-Z:\-/.]{4,200}$")
SERIAL_RE = re.compile(r"^[0-9A-Z][0-9A-Z\-/._+]{1,79}$")


class Command(enum.StrEnum):
    DONE = "DONE"
    CANCEL = "CANCEL"
    PRINT_AGAIN = "PRINT_AGAIN"
    NEXT_LOT = "NEXT_LOT"
    UNDO_LAST = "UNDO_LAST"
    # at the bench
    GRADE_A = "GRADE_A"
    GRADE_B = "GRADE_B"
    GRADE_C = "GRADE_C"
    GRADE_D = "GRADE_D"
    PASS = "PASS"
    FAIL = "FAIL"


INTAKE_COMMANDS = (Command.DONE, Command.CANCEL, Command.PRINT_AGAIN, Command.NEXT_LOT,
                   Command.UNDO_LAST)
BENCH_COMMANDS = (Command.GRADE_A, Command.GRADE_B, Command.GRADE_C, Command.GRADE_D,
                  Command.PASS, Command.FAIL, Command.CANCEL)


class ScanKind(enum.StrEnum):
    TAG = "tag"
    INVALID_TAG = "invalid_tag"
    LOCATION = "location"
    COMMAND = "command"
    UNKNOWN_COMMAND = "unknown_command"
    CERTIFICATE = "certificate"
    SERIAL = "serial"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Scan:
    kind: ScanKind
    value: str
    raw: str


def format_tag(number: int) -> str:
    if not 0 < number < 10**TAG_DIGITS:
        raise ValueError(f"tag number out of range: {number}")
    body = f"{number:0{TAG_DIGITS}d}"
    return f"{TAG_PREFIX}{body}{damm.calc_check_digit(body)}"


def is_valid_tag(text: str) -> bool:
    m = TAG_RE.match(text)
    return bool(m) and damm.is_valid(m.group(1) + m.group(2))


def parse_tag(text: str) -> str:
    """Return the tag in its canonical form or raise InvalidTag."""
    tag = fold(text).strip().upper()
    if not is_valid_tag(tag):
        raise InvalidTag(tag=text.strip())
    return tag


def tag_number(tag: str) -> int:
    return int(parse_tag(tag)[len(TAG_PREFIX):-1])


MAX_SERIAL_LENGTH = 80
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def strip_control(text: str) -> str:
    """Scanners may add control characters (GS separators, stray CR): they are never part of a code."""
    return _CONTROL.sub("", text)


def normalise_serial(serial: str) -> str:
    """Serials are compared folded (identifiers.fold: NFKC, no format characters), trimmed,
    upper-case, without control characters or inner spaces."""
    return re.sub(r"\s+", "", strip_control(fold(serial))).upper()


def classify(raw: str) -> Scan:
    text = strip_control(fold(raw)).strip()  # a full-width or zero-width-spaced code is the same code
    # Grammars are matched without inner spaces, as a serial is: otherwise "CD 00000013" would
    # be taken as a new device's *serial* CD00000013 instead of that tag (found by fuzzing).
    upper = re.sub(r"\s+", "", text).upper()
    if not text:
        return Scan(ScanKind.UNREADABLE, text, raw)
    if TAG_LIKE_RE.match(upper):
        kind = ScanKind.TAG if is_valid_tag(upper) else ScanKind.INVALID_TAG
        return Scan(kind, upper, raw)
    if m := COMMAND_RE.match(upper):
        try:
            return Scan(ScanKind.COMMAND, Command(m.group(1)).value, raw)
        except ValueError:
            return Scan(ScanKind.UNKNOWN_COMMAND, m.group(1), raw)
    if LOCATION_RE.match(upper):
        return Scan(ScanKind.LOCATION, upper, raw)
    if CERTIFICATE_RE.match(upper):
        return Scan(ScanKind.CERTIFICATE, upper, raw)
    serial = normalise_serial(text)
    if SERIAL_RE.match(serial):
        return Scan(ScanKind.SERIAL, serial, raw)
    return Scan(ScanKind.UNREADABLE, text, raw)
