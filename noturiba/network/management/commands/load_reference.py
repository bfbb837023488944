from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from noturiba.network.reference_data import load_reference
from noturiba.training.reference_data import load_curriculum


class Command(BaseCommand):
    help = (
        "Load or update reference data: municipalities, capability catalogue, target groups, "
        "the training curriculum."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_reference()
        self.stdout.write(
            f"Reference data: {result.municipalities} municipalities, "
            f"{result.capabilities} capability types, {result.target_groups} target groups."
        )
        curriculum = load_curriculum()
        self.stdout.write(
            f"Curriculum: {curriculum.competencies} competencies, {curriculum.modules} modules, "
            f"{curriculum.courses} courses ({curriculum.created} created, "
            f"{curriculum.updated} updated)."
        )
