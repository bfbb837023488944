from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from noturiba.network.reference_data import load_reference


class Command(BaseCommand):
    help = "Load or update reference data: municipalities, capability catalogue, target groups."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_reference()
        self.stdout.write(
            f"Reference data: {result.municipalities} municipalities, "
            f"{result.capabilities} capability types, {result.target_groups} target groups."
        )
