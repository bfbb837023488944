"""``noturiba demo_training``: demo training sessions and enrolments (see ``training/demo.py``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from noturiba.training.demo import generate_training_demo


class Command(BaseCommand):
    help = (
        "Add demo training sessions (around the country, one past) and enrolments of demo "
        "people, unless the database already has training sessions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", dest="seed", type=int, default=2026, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = generate_training_demo(seed=options["seed"])
        if summary.skipped:
            self.stdout.write("Training sessions already present: no demo sessions added.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo training: {summary.sessions} sessions, {summary.enrolments} enrolments."
            )
        )
