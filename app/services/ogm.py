"""Belgian structured communication (OGM/VCS, `+++123/4567/89012+++`) for bank transfers.

Ten digits and two check digits: the ten modulo 97, or 97 when that is 0
(python-stdnum's `stdnum.be.ogm_vcs` has the rule; it is used, not copied).
A bank refuses a transfer with wrong check digits, so a mistyped payment never
lands on the wrong sale.
"""

from __future__ import annotations

from stdnum.be import ogm_vcs
from stdnum.exceptions import ValidationError as StdnumError


def make(base: int) -> str:
    """The 12 digits for a 10-digit base number (a sale's own number)."""
    if not 0 < base < 10**10:
        raise ValueError(f"an OGM base has at most 10 digits, not {base}")
    digits = f"{base:010d}"
    return digits + ogm_vcs.calc_check_digits(digits)


def formatted(digits: str) -> str:
    """`+++123/4567/89012+++`, as banks print and expect it."""
    return f"+++{ogm_vcs.format(digits)}+++"


def is_valid(text: str) -> bool:
    try:
        ogm_vcs.validate(text)
    except StdnumError:
        return False
    return True


def parse(text: str) -> str | None:
    """The 12 digits of a typed or pasted structured communication, or None when it is not one."""
    try:
        return ogm_vcs.validate(text)
    except StdnumError:
        return None
