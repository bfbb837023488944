"""``noturiba demo_shelters``: a dozen demo shelters (see ``shelters/demo.py``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from noturiba.shelters.demo import generate_shelters_demo


class Command(BaseCommand):
    help = "Add a dozen demo shelters in several municipalities, unless demo shelters exist."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", dest="seed", type=int, default=2026, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = generate_shelters_demo(seed=options["seed"])
        if summary.skipped:
            self.stdout.write("Demo shelters already present: none added.")
            return
        self.stdout.write(self.style.SUCCESS(f"Demo shelters: {summary.shelters}."))
