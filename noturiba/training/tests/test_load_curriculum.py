"""The curriculum reference data: seven modules in two languages, loaded idempotently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from noturiba.training.models import Competency, Course, CourseModule, Module
from noturiba.training.reference_data import CURRICULUM_FILE, load_curriculum

pytestmark = pytest.mark.django_db

SEVEN = [
    "personal_resilience",
    "civil_protection",
    "military_threat",
    "hybrid_information_war",
    "cso_role_sensitive_groups",
    "international_exercises",
    "ukraine_experience",
]


def everything() -> list[tuple[object, ...]]:
    return [
        *Competency.objects.values_list(
            "id", "code", "name_lv", "name_en", "validity_months", "sort_order"
        ).order_by("id"),
        *Module.objects.values_list(
            "id", "code", "name_lv", "name_en", "outcomes_lv", "outcomes_en", "hours"
        ).order_by("id"),
        *Module.competencies.through.objects.values_list(
            "id", "module_id", "competency_id"
        ).order_by("id"),
        *Course.objects.values_list("id", "code", "name_lv", "pass_mark").order_by("id"),
        *CourseModule.objects.values_list("id", "course_id", "module_id", "position").order_by(
            "id"
        ),
    ]


def test_load_reference_seeds_the_seven_modules_in_latvian_and_english() -> None:
    call_command("load_reference", stdout=None)
    modules = {module.code: module for module in Module.objects.all()}
    assert set(SEVEN) <= set(modules)
    for code in SEVEN:
        module = modules[code]
        assert module.name_lv and module.name_en and module.name_lv != module.name_en
        assert len(module.outcomes_lv.splitlines()) >= 3
        assert len(module.outcomes_lv.splitlines()) == len(module.outcomes_en.splitlines())
        assert module.hours > 0
        assert module.competencies.exists()
    course = Course.objects.get(code="crisis_readiness_leaders")
    assert course.name_en == "Crisis readiness for CSO leaders"
    assert [cm.module.code for cm in course.course_modules.select_related("module")] == SEVEN
    assert Course.objects.count() >= 2
    assert Competency.objects.get(code="first_aid").validity_months == 24
    assert Competency.objects.get(code="civil_protection").validity_months == 36


def test_loading_twice_changes_nothing() -> None:
    first = load_curriculum()
    before = everything()
    second = load_curriculum()
    assert second.created == 0 and second.updated == 0 and second.changed == []
    assert everything() == before
    assert first.created == first.competencies + first.modules + first.courses


def test_a_changed_file_updates_rows_in_place(tmp_path: Path) -> None:
    load_curriculum()
    module_id = Module.objects.get(code="ukraine_experience").pk
    data = json.loads(CURRICULUM_FILE.read_text(encoding="utf-8"))
    data["modules"][-1]["hours"] = "5"
    data["modules"][-1]["competencies"] = ["community_action"]
    data["courses"][0]["modules"] = SEVEN[:6]
    changed = tmp_path / "curriculum.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    result = load_curriculum(changed)
    module = Module.objects.get(code="ukraine_experience")
    assert module.pk == module_id and str(module.hours) == "5.0"
    assert [c.code for c in module.competencies.all()] == ["community_action"]
    course = Course.objects.get(code="crisis_readiness_leaders")
    assert course.modules.count() == 6
    assert result.created == 0 and result.updated == 1
