"""Cell values as Latvian lists write them: decimal commas, "jā"/"nē", lists in one cell.

Pure functions without Django, each raising :class:`ValueError` with a short English reason
that the row parser turns into a translated message.
"""

from __future__ import annotations

import re
from decimal import Decimal

from noturiba.lib.text import fold

# Spaces people (and spreadsheets) put between thousands: plain, no-break, narrow no-break.
_THOUSANDS_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
_LIST_SEPARATORS = re.compile(r"[,|\n]")

TRUE_WORDS = frozenset({"1", "ja", "yes", "true", "y", "x", "patiess"})
FALSE_WORDS = frozenset({"", "0", "ne", "no", "false", "n", "nepatiess"})


def parse_decimal(text: str) -> Decimal:
    """``"12,5"``, ``"12.5"``, ``"1 234,5"`` → ``Decimal``; a comma or a point marks decimals.

    A value with both a comma and a point is refused as ambiguous ("1.234,5" or "1,234.5").
    """
    cleaned = _THOUSANDS_SPACES.sub("", text.strip())
    if "," in cleaned:
        if "." in cleaned or cleaned.count(",") > 1:
            raise ValueError("ambiguous decimal separators")
        cleaned = cleaned.replace(",", ".")
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        raise ValueError("not a number")
    return Decimal(cleaned)


def format_decimal(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: ``Decimal("12.50")`` → ``"12.5"``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def parse_bool(text: str) -> bool:
    """``"jā"``/``"yes"``/``"1"``/``"x"`` → True; ``"nē"``/``"no"``/``"0"``/empty → False."""
    word = fold(text.strip())
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("not yes or no")


def split_list(text: str) -> list[str]:
    """The non-empty items of a list cell separated by commas, ``|`` or line breaks."""
    return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]


def normalise_registration_number(text: str) -> str:
    """Spaces and dashes inside the number are dropped, and the ``LV`` of its VAT form."""
    number = re.sub(r"[\s\-\u00a0]", "", text)
    return number[2:] if number[:2].upper() == "LV" and number[2:].isdigit() else number


def normalise_website(text: str) -> str:
    """``"www.biedriba.lv"`` → ``"https://www.biedriba.lv"``; a scheme is kept as written."""
    cleaned = text.strip()
    if cleaned and "://" not in cleaned:
        return f"https://{cleaned}"
    return cleaned


def website_key(url: str) -> str:
    """The part of a web address that identifies a site, for duplicate detection."""
    key = url.strip().lower()
    key = re.sub(r"^[a-z][a-z0-9+.-]*://", "", key)
    key = key.removeprefix("www.")
    return key.rstrip("/")
