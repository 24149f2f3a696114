"""Recovering scans from a US-configured scanner on a Belgian AZERTY keyboard.

A USB barcode scanner is a keyboard: for each character of a code it sends the
*key position* that types that character on the layout the scanner is set to
(usually US). The computer then reads that position with its own layout. On a
Belgian AZERTY (be-latin1) desk the US digit row arrives as `&é"'(§è!çà`, A and
Q, Z and W trade places, and so on — `CD00000013` arrives as `CDàààààà&"`.
Such a code fits no grammar; here it is translated back, key position by key
position, and the caller is told so that the technician can fix the scanner.

A genuine code is never touched: only a scan that is refused as it stands
(unreadable, a tag with a wrong check digit, or a "serial" with characters no
serial has) is translated, and the translation is only taken when it is a code
the warehouse prints (tag, location, command, certificate) or, when the scan
held AZERTY digit characters, a serial.
"""

from __future__ import annotations

import string

from .codes import ScanKind, classify, strip_control

# What a US-configured scanner's character becomes on a Belgian AZERTY keyboard.
# Key: the character the scanner means (US layout). Value: the character the
# same key position — with the same Shift state — types on be-latin1 (xkb "be",
# Windows "Belgian (Period)"). Only the characters our grammars use are listed:
# digits, letters, and - _ : / . + (codes.py). Letters not listed arrive as
# themselves. Read per key:
#   digit row   US 1 2 3 4 5 6 7 8 9 0  -  (Shift: _  +)
#               BE & é " ' ( § è ! ç à  )  (Shift: °  _)   ; the key right of ) is - / _
#   top row     US q w …   → BE a z …
#   home row    US a … ; (Shift :)      → BE q … m (Shift M)
#   bottom row  US z … m (Shift M) . (Shift >)… /  → BE w … , (Shift ?) : … =
US_TO_BE_AZERTY: dict[str, str] = {
    "1": "&", "2": "é", "3": '"', "4": "'", "5": "(",
    "6": "§", "7": "è", "8": "!", "9": "ç", "0": "à",
    "a": "q", "q": "a", "z": "w", "w": "z", "m": ",",
    "A": "Q", "Q": "A", "Z": "W", "W": "Z", "M": "?",
    "-": ")",  # US '-' key is BE ')'
    "_": "°",  # Shift of that key
    "+": "_",  # US Shift '=' is BE Shift '-' (the key right of ')')
    ":": "M",  # US Shift ';' sits on BE 'm'
    ".": ":",  # US '.' key is BE ':'
    "/": "=",  # US '/' key is BE '='
    **{c: c for c in string.ascii_letters if c not in "aqzwmAQZWM"},
}

# The way back: what arrived → what the scanner meant.
BE_AZERTY_TO_US: dict[str, str] = {be: us for us, be in US_TO_BE_AZERTY.items()}

# The digit row without Shift: no real code contains these, so a scan that
# does is almost certainly a US scanner on an AZERTY desk.
AZERTY_DIGITS = frozenset(US_TO_BE_AZERTY[d] for d in string.digits)

# Kinds a mapped scan may become for the mapping to be trusted.
_PRINTED_KINDS = {ScanKind.TAG, ScanKind.LOCATION, ScanKind.COMMAND, ScanKind.CERTIFICATE}


def to_azerty(text: str) -> str:
    """What `text`, sent by a US-configured scanner, looks like on a Belgian AZERTY desk."""
    return "".join(US_TO_BE_AZERTY.get(c, c) for c in text)


def _refused_as_is(raw: str) -> bool:
    scan = classify(raw)
    if scan.kind in (ScanKind.UNREADABLE, ScanKind.INVALID_TAG):
        return True
    # codes.SERIAL_RE refuses these characters today; the check stays so a
    # wider serial grammar can never let an AZERTY scan through as a serial.
    return scan.kind == ScanKind.SERIAL and any(c in AZERTY_DIGITS for c in raw)


def recover(raw: str) -> tuple[str, bool]:
    """`(mapped, True)` for an AZERTY-garbled scan of one of our codes, else `(raw, False)`."""
    if not _refused_as_is(raw):
        return raw, False
    text = strip_control(raw).strip()
    if not text or any(c not in BE_AZERTY_TO_US for c in text):
        return raw, False  # a character a US scanner cannot produce on AZERTY: not our case
    mapped = "".join(BE_AZERTY_TO_US[c] for c in text)
    kind = classify(mapped).kind
    if kind in _PRINTED_KINDS:
        return mapped, True
    if kind == ScanKind.SERIAL and any(c in AZERTY_DIGITS for c in text):
        return mapped, True
    return raw, False
