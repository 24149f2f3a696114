"""One reading of an identifier, wherever it comes from: a scan, a form, an import, a wipe report.

Serials, asset tags, manufacturers' names and user names are compared as text, so two
spellings that look the same on screen must become the same text, or one device becomes
several: a full-width `ＩＮＶ１` from an East-Asian keyboard layout, `INV1` followed by a
zero-width space pasted from a web page, a soft hyphen from a word processor. Unicode's
NFKC folds compatibility forms (full-width, ligatures, superscripts) into the plain ones;
format characters (category Cf: zero-width spaces and joiners, soft hyphens, byte-order
marks, direction marks) never print and are removed. Control characters and lone
surrogates are not part of any identifier a person can mean: they are refused, so that
the person sees the file or the scanner is wrong instead of getting a second device.
"""

from __future__ import annotations

import unicodedata

from ..i18n import N_
from .errors import ValidationError


class ControlCharacter(ValidationError):
    message = N_("“{value}” holds an invisible control character (U+{code}): type or scan it again.")


def _format(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf"


def _refused(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs")


def fold(text: str) -> str:
    """NFKC without format characters. Removing a format character can bring two characters
    together that NFKC composes, so both steps run until nothing changes (twice at most in practice)."""
    for _round in range(4):
        folded = "".join(ch for ch in unicodedata.normalize("NFKC", text) if not _format(ch))
        if folded == text:
            break
        text = folded
    return text


def first_refused(text: str) -> str | None:
    """The first control character or lone surrogate in `text`, if any."""
    return next((ch for ch in text if _refused(ch)), None)


def normalise_identifier(text: str) -> str:
    """`text` folded and trimmed; refuses a control character or a lone surrogate."""
    folded = fold(text)
    bad = first_refused(folded)
    if bad is not None:
        shown = "".join("?" if _refused(ch) else ch for ch in folded.strip())[:60]
        raise ControlCharacter(value=shown, code=f"{ord(bad):04X}")
    return folded.strip()


def normalise_password(password: str) -> str:
    """Passwords are compared NFKC-normalised (as NIST SP 800-63B asks), so the same password typed
    on another keyboard layout or input method still signs in. Nothing is removed: a password is
    a secret, not a label, and every character the person chose counts."""
    return unicodedata.normalize("NFKC", password)
