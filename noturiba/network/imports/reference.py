"""Reference data looked up by what people write: codes, numbers or names in either language.

Loaded once per import (a few hundred rows), so validating 10,000 rows costs no extra queries
beyond one resolution per distinct municipality value.
"""

from __future__ import annotations

import re

from noturiba.network.imports.columns import heading_key
from noturiba.network.models import CapabilityType, Municipality, TargetGroup
from noturiba.network.reference_data import resolve_municipality

_UNIT_NOTE = re.compile(r"\s*\([^)]*\)\s*")  # "Transports (sēdvietas)" → "Transports"
_MUNICIPALITY_WORDS = re.compile(r"(municipality|novads|valstspilseta|city)$")


class ReferenceIndex:
    """Municipalities, capability types and target groups keyed by every way of naming them."""

    def __init__(self) -> None:
        self._municipality_codes = self._municipality_name_keys()
        self._municipalities: dict[str, Municipality | None] = {}
        self.capabilities = {c.code: c for c in CapabilityType.objects.all()}
        self.capability_keys = self._capability_keys()
        groups = list(TargetGroup.objects.all())
        self._target_groups = {
            heading_key(name): group
            for group in groups
            for name in (group.code, group.name_lv, group.name_en)
        }

    def municipality(self, text: str) -> Municipality | None:
        """The current municipality ``text`` means (merged ones resolve to their successor)."""
        key = heading_key(text)
        if key not in self._municipalities:
            resolved = resolve_municipality(text)
            if resolved is None and key in self._municipality_codes:
                resolved = resolve_municipality(self._municipality_codes[key])
            self._municipalities[key] = resolved
        return self._municipalities[key]

    def target_group(self, text: str) -> TargetGroup | None:
        return self._target_groups.get(heading_key(text))

    def _municipality_name_keys(self) -> dict[str, str]:
        """Name keys → ISO code; a short form ("Ogre") only where it names one municipality."""
        rows = list(Municipality.objects.values_list("code", "name_lv", "name_en"))
        names: dict[str, str] = {}
        for code, name_lv, name_en in rows:
            names[heading_key(name_lv)] = code
            names[heading_key(name_en)] = code
        short: dict[str, set[str]] = {}
        for code, name_lv, name_en in rows:
            for name in (name_lv, name_en):
                key = _MUNICIPALITY_WORDS.sub("", heading_key(name))
                short.setdefault(key, set()).add(code)
        for key, codes in short.items():
            if key and len(codes) == 1 and key not in names:
                names[key] = codes.pop()
        return names

    def _capability_keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for code, capability in self.capabilities.items():
            for name in (code, capability.name_lv, capability.name_en):
                keys[heading_key(name)] = code
                keys[heading_key(_UNIT_NOTE.sub(" ", name))] = code
        return keys
