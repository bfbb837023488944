"""Phone numbers in E.164, Latvian by default (``20 000 000`` → ``+37120000000``)."""

from __future__ import annotations

import phonenumbers


class PhoneError(ValueError):
    pass


def to_e164(raw: str, *, default_region: str = "LV") -> str:
    """Normalise ``raw`` to E.164, or raise :class:`PhoneError` saying why it is not a number."""
    text = raw.strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"not a valid phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
