"""Field validators of the directory, shared by forms, the API and imports."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from noturiba.lib.phone import PhoneError, to_e164


def clean_phone(value: str) -> str:
    """A Latvian or international phone number in E.164; ``""`` stays empty."""
    try:
        return to_e164(value or "")
    except PhoneError as exc:
        raise ValidationError(
            _("Enter a phone number such as +371 20 000 000 or an international number."),
            code="phone",
        ) from exc
