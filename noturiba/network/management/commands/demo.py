"""``noturiba demo``: generate a deterministic, clearly-marked demo network."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from noturiba.network.demo import DemoDataPresent, DemoSummary, generate_demo

BAR_WIDTH = 30


class StageProgress:
    """A progress bar per stage on a terminal; one line per finished stage otherwise."""

    def __init__(self, command: BaseCommand) -> None:
        self.stdout = command.stdout
        self.interactive = command.stdout.isatty()
        self.stage_started = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.interactive and done < total:
            filled = BAR_WIDTH * done // total
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stdout.write(f"\r  {stage:<24} [{bar}] {done:>9,}/{total:,}", ending="")
            self.stdout.flush()
            return
        if done >= total:
            finished = time.perf_counter()
            seconds, self.stage_started = finished - self.stage_started, finished
            line = f"  {stage:<24} {total:>9,} rows  {seconds:6.1f} s"
            # On a terminal, overwrite the bar (which is longer than the line).
            self.stdout.write(f"\r{line:<80}" if self.interactive else line)


class Command(BaseCommand):
    help = (
        "Generate a deterministic demo network (organisations, people, institutions, "
        "agreements), flagged as demo data. The same seed gives the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orgs", dest="orgs", type=int, default=300, help="organisations")
        parser.add_argument("--people", dest="people", type=int, default=1200, help="people")
        parser.add_argument("--seed", dest="seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete the demo data already in the database first",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisations, people, seed = options["orgs"], options["people"], options["seed"]
        if organisations < 0 or people < 0:
            raise CommandError("--orgs and --people must be zero or more.")
        self.stdout.write(
            f"Generating demo data: {organisations:,} organisations, {people:,} people, "
            f"seed {seed}."
        )
        try:
            summary = generate_demo(
                organisations=organisations,
                people=people,
                seed=seed,
                replace=options["replace"],
                progress=StageProgress(self),
            )
        except DemoDataPresent as exc:
            raise CommandError(str(exc)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self._summary(summary)

    def _summary(self, summary: DemoSummary) -> None:
        if summary.deleted_organisations or summary.deleted_people:
            self.stdout.write(
                f"Replaced earlier demo data: {summary.deleted_organisations:,} organisations, "
                f"{summary.deleted_people:,} people deleted."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {summary.organisations:,} organisations "
                f"({summary.capabilities:,} capabilities, {summary.municipalities_covered:,} "
                f"municipality links, {summary.target_groups_served:,} target-group links), "
                f"{summary.people:,} people ({summary.memberships:,} memberships, "
                f"{summary.officers:,} institution officers), {summary.agreements:,} agreements, "
                f"{summary.institutions_created:,} institutions created. "
                f"Built in {summary.build_seconds:.1f} s, written in {summary.write_seconds:.1f} s."
            )
        )
