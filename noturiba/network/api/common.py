"""What the directory's API modules share: path parameters, response maps, code lookups."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Path

from noturiba.api.errors import ErrorOut
from noturiba.api.pagination import Page
from noturiba.network.models import (
    CapabilityType,
    Municipality,
    TargetGroup,
)
from noturiba.network.schemas import (
    MAX_ID,
    OrganisationView,
)


class OrganisationPage(Page[OrganisationView]):
    """A page of organisations: full ones for signed-in callers, public ones otherwise."""


ObjectPath = Path(..., ge=1, le=MAX_ID, description="Id of the object.")
CodePath = Path(..., max_length=40, pattern=r"^[a-z0-9_-]+$", description="Capability code.")


def responses(ok: int, schema: Any, *errors: int) -> dict[int, Any]:
    return {ok: schema, **dict.fromkeys((*errors, 422), ErrorOut)}


# --- Looking up reference codes sent in bodies ---------------------------------------------


class CodeLookup:
    """Resolves codes sent in a body, collecting every unknown one as a field error."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def _unknown(self, field: str, codes: Iterable[str]) -> None:
        self.errors.setdefault(field, []).append(
            _("Unknown code: %(codes)s") % {"codes": ", ".join(sorted(codes))}
        )

    def municipalities(self, field: str, codes: Sequence[str]) -> list[Municipality]:
        """Municipalities by code; a merged one resolves to the one it was merged into."""
        wanted = {code.upper() for code in codes}
        found = {
            municipality.code: municipality
            for municipality in Municipality.objects.filter(code__in=wanted).select_related(
                "successor"
            )
        }
        if wanted - set(found):
            self._unknown(field, wanted - set(found))
        resolved: dict[int, Municipality] = {}
        for municipality in found.values():
            current = municipality
            while current.successor is not None and not current.is_current():
                current = current.successor
            resolved[current.pk] = current
        return list(resolved.values())

    def municipality(self, field: str, code: str | None) -> Municipality | None:
        if code is None:
            return None
        found = self.municipalities(field, [code])
        return found[0] if found else None

    def target_groups(self, field: str, codes: Sequence[str]) -> list[TargetGroup]:
        found = list(TargetGroup.objects.filter(code__in=set(codes)))
        missing = set(codes) - {group.code for group in found}
        if missing:
            self._unknown(field, missing)
        return found

    def capability(self, field: str, code: str) -> CapabilityType | None:
        capability = CapabilityType.objects.filter(code=code).first()
        if capability is None:
            self._unknown(field, [code])
        return capability

    def popped_municipalities(self, data: dict[str, Any]) -> list[Municipality] | None:
        """For a partial update: the municipalities sent in ``data`` (removed from it), or None."""
        if "municipalities" not in data:
            return None
        return self.municipalities("municipalities", data.pop("municipalities"))

    def popped_target_groups(self, data: dict[str, Any]) -> list[TargetGroup] | None:
        """For a partial update: the target groups sent in ``data`` (removed from it), or None."""
        if "target_groups" not in data:
            return None
        return self.target_groups("target_groups", data.pop("target_groups"))

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
