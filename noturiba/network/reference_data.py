"""Loading the reference data: municipalities, the capability catalogue, target groups.

Idempotent: rows are keyed by their stable codes and updated in place, so running it again
changes nothing and a new release of the files updates names without breaking references.
Municipality codes and Latvian names come from pycountry's ISO 3166-2 list; the CSV files beside
this module add what that list does not carry (English names, centres, validity).
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pycountry
from django.db import transaction

from noturiba.network.models import CapabilityType, Municipality, TargetGroup

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _latvian_name(raw: str) -> str:
    # pycountry spells a few as "… Novads"; the official form is lower-case "novads".
    return raw.replace(" Novads", " novads")


@dataclass
class LoadResult:
    municipalities: int
    capabilities: int
    target_groups: int


@transaction.atomic
def load_reference() -> LoadResult:
    iso_names = {
        sub.code: _latvian_name(sub.name)
        for sub in pycountry.subdivisions.get(country_code="LV") or []
    }
    rows = _rows("municipalities.csv")
    missing = sorted({row["code"] for row in rows} - set(iso_names))
    if missing:
        raise ValueError(f"Codes not in ISO 3166-2:LV (pycountry): {', '.join(missing)}")
    for row in rows:
        Municipality.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_lv": iso_names[row["code"]],
                "name_en": row["name_en"],
                "kind": row["kind"],
                "latitude": Decimal(row["latitude"]),
                "longitude": Decimal(row["longitude"]),
                "population": int(row["population"]),
                "atvk_code": row["atvk"],
                "valid_from": _date(row["valid_from"]),
                "valid_to": _date(row["valid_to"]),
            },
        )
    by_code = {m.code: m for m in Municipality.objects.all()}
    for row in rows:
        municipality = by_code[row["code"]]
        successor = by_code[row["successor"]] if row["successor"] else None
        if municipality.successor_id != (successor.pk if successor else None):
            municipality.successor = successor
            municipality.save(update_fields=["successor"])

    capability_rows = _rows("capabilities.csv")
    for order, row in enumerate(capability_rows):
        CapabilityType.objects.update_or_create(
            code=row["code"],
            defaults={
                "unit": row["unit"],
                "hxl_sector": row["hxl_sector"],
                "name_lv": row["name_lv"],
                "name_en": row["name_en"],
                "sort_order": order,
            },
        )

    group_rows = _rows("target_groups.csv")
    groups: dict[str, TargetGroup] = {}
    for order, row in enumerate(group_rows):
        groups[row["code"]], _created = TargetGroup.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_lv": row["name_lv"],
                "name_en": row["name_en"],
                "sort_order": order,
                "parent": groups.get(row["parent"]) if row["parent"] else None,
            },
        )
    return LoadResult(len(rows), len(capability_rows), len(group_rows))


def resolve_municipality(code: str, on: datetime.date | None = None) -> Municipality | None:
    """The municipality a code means today: a merged one resolves to its successor.

    Accepts an ISO code (``LV-102``), the number part (``102``) or an ATVK code.
    """
    cleaned = code.strip().upper()
    if not cleaned:
        return None
    if cleaned.isdigit() and len(cleaned) <= 3:
        cleaned = f"LV-{int(cleaned):03d}"
    municipality = (
        Municipality.objects.filter(code=cleaned).first()
        or Municipality.objects.filter(atvk_code=cleaned).exclude(atvk_code="").first()
    )
    seen = set()
    while municipality is not None and not municipality.is_current(on):
        if municipality.successor_id is None or municipality.pk in seen:
            break
        seen.add(municipality.pk)
        municipality = municipality.successor
    return municipality
