"""LOINC code check digit (mod-10), so a mistyped or invented code is caught on import (clinical.md §5.0).

LOINC codes are ``<digits>-<check digit>``; the check digit is the mod-10 (Luhn) digit of the base:
from the right, double every digit in an odd position (1st, 3rd, …), add the digits of those products
and the untouched even-position digits, and take the distance up to the next multiple of 10.
Worked example: ``44261-6`` → 1×2=2, 6, 2×2=4, 4, 4×2=8 → 24 → 30 − 24 = 6.

Answer codes (``LA…``) and part codes (``LP…``) use another scheme and are never valid here.
"""

from __future__ import annotations

import re

LOINC_CODE_PATTERN = re.compile(r"(\d{1,7})-(\d)")  # up to 7 base digits, as in the LOINC table
LOINC_CHECK_MODULUS = 10


def loinc_check_digit(base: str) -> int:
    """The mod-10 check digit for the digits before the hyphen, e.g. ``"44261"`` → 6."""
    if not base.isascii() or not base.isdigit():
        raise ValueError(f"base: {base!r} is not a string of digits")
    total = 0
    for position, char in enumerate(reversed(base), start=1):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            digit = digit // 10 + digit % 10
        total += digit
    return (LOINC_CHECK_MODULUS - total % LOINC_CHECK_MODULUS) % LOINC_CHECK_MODULUS


def loinc_is_valid(code: object) -> bool:
    """True when ``code`` looks like ``NNNNN-C`` and ``C`` is the mod-10 check digit of ``NNNNN``."""
    if not isinstance(code, str):
        return False
    match = LOINC_CODE_PATTERN.fullmatch(code)
    if match is None:
        return False
    base, check = match.groups()
    return loinc_check_digit(base) == int(check)
