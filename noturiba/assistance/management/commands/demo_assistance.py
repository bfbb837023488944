"""``noturiba demo_assistance``: demo assistance requests (see ``assistance/demo.py``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from noturiba.assistance.demo import generate_assistance_demo


class Command(BaseCommand):
    help = (
        "Add demo assistance requests in a few municipalities (some partly covered by demo "
        "organisations, one overdue), unless the database already has assistance requests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", dest="seed", type=int, default=2026, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = generate_assistance_demo(seed=options["seed"])
        if summary.skipped:
            self.stdout.write("Assistance requests already present: no demo requests added.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo assistance: {summary.requests} requests, {summary.lines} lines, "
                f"{summary.claims} claims."
            )
        )
