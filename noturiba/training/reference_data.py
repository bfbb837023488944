"""Loading the curriculum: competencies, modules and courses from ``reference/curriculum.json``.

Idempotent: rows are keyed by their stable codes; a row is written only when a value in the
file differs from the database, so loading twice changes nothing and a new release of the file
updates names, outcomes and hours in place without breaking sessions, certificates or grants
that refer to them. Rows the file no longer lists are left alone (history keeps pointing at
them); a coordinator retires them in the admin (``is_active``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

from noturiba.training.models import Competency, Course, CourseModule, Module

CURRICULUM_FILE = Path(__file__).resolve().parent / "reference" / "curriculum.json"


@dataclass
class CurriculumResult:
    competencies: int = 0
    modules: int = 0
    courses: int = 0
    created: int = 0
    updated: int = 0
    changed: list[str] = field(default_factory=list)


def _upsert(
    model: type[models.Model], code: str, values: dict[str, Any], result: CurriculumResult
) -> Any:
    """The row with ``code``, created or brought up to ``values`` (saved only if different)."""
    manager: Any = model._default_manager
    row = manager.filter(code=code).first()
    if row is None:
        result.created += 1
        result.changed.append(f"{model._meta.model_name}:{code}")
        return manager.create(code=code, **values)
    differing = [name for name, value in values.items() if getattr(row, name) != value]
    if differing:
        for name in differing:
            setattr(row, name, values[name])
        row.save(update_fields=differing)
        result.updated += 1
        result.changed.append(f"{model._meta.model_name}:{code}")
    return row


def _lines(values: list[str]) -> str:
    return "\n".join(line.strip() for line in values if line.strip())


def read_curriculum(path: Path = CURRICULUM_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@transaction.atomic
def load_curriculum(path: Path = CURRICULUM_FILE) -> CurriculumResult:
    """Bring the curriculum in the database up to the file; return what it holds and changed."""
    data = read_curriculum(path)
    result = CurriculumResult()

    competencies: dict[str, Competency] = {}
    for order, row in enumerate(data["competencies"]):
        competencies[row["code"]] = _upsert(
            Competency,
            row["code"],
            {
                "name_lv": row["name_lv"],
                "name_en": row["name_en"],
                "description_lv": row.get("description_lv", ""),
                "description_en": row.get("description_en", ""),
                "validity_months": row.get("validity_months"),
                "sort_order": order,
            },
            result,
        )

    modules: dict[str, Module] = {}
    for order, row in enumerate(data["modules"]):
        module = _upsert(
            Module,
            row["code"],
            {
                "name_lv": row["name_lv"],
                "name_en": row["name_en"],
                "summary_lv": row.get("summary_lv", ""),
                "summary_en": row.get("summary_en", ""),
                "outcomes_lv": _lines(row["outcomes_lv"]),
                "outcomes_en": _lines(row["outcomes_en"]),
                "hours": Decimal(row["hours"]),
                "sort_order": order,
            },
            result,
        )
        wanted = {competencies[code].pk for code in row["competencies"]}
        if set(module.competencies.values_list("pk", flat=True)) != wanted:
            module.competencies.set(wanted)
            result.changed.append(f"module:{row['code']}:competencies")
        modules[row["code"]] = module

    for order, row in enumerate(data["courses"]):
        course = _upsert(
            Course,
            row["code"],
            {
                "name_lv": row["name_lv"],
                "name_en": row["name_en"],
                "description_lv": row.get("description_lv", ""),
                "description_en": row.get("description_en", ""),
                "pass_mark": row.get("pass_mark"),
                "min_attendance_percent": row.get("min_attendance_percent", 80),
                "sort_order": order,
            },
            result,
        )
        wanted_positions = {
            modules[code].pk: position for position, code in enumerate(row["modules"])
        }
        present = dict(
            CourseModule.objects.filter(course=course).values_list("module_id", "position")
        )
        if present != wanted_positions:
            CourseModule.objects.filter(course=course).exclude(
                module_id__in=wanted_positions
            ).delete()
            for module_id, position in wanted_positions.items():
                CourseModule.objects.update_or_create(
                    course=course, module_id=module_id, defaults={"position": position}
                )
            result.changed.append(f"course:{row['code']}:modules")

    result.competencies = len(data["competencies"])
    result.modules = len(data["modules"])
    result.courses = len(data["courses"])
    return result
