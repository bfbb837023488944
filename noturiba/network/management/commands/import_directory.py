"""``noturiba import_directory FILE [--dry-run]``: import organisations and people from a file.

The same checks as the import page: every row is validated first and nothing is written unless
all are valid. Errors go to stderr and the exit code is 1; otherwise the counts are printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from noturiba.accounts.models import User
from noturiba.network.imports import ImportPreview, apply_import, build_preview


class Command(BaseCommand):
    help = "Import organisations and people from a CSV or XLSX file (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV or XLSX file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and print the counts only."
        )
        parser.add_argument(
            "--create-anyway",
            action="store_true",
            help="Also create rows without a registration number that look like a known one.",
        )
        parser.add_argument(
            "--as",
            dest="email",
            default="",
            help="Record the import as done by this coordinator (default: system).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        actor = self._actor(options["email"])
        preview = build_preview(content, path.name)
        if not preview.is_valid:
            self._print_errors(preview)
            raise CommandError(f"{preview.error_count} error(s) in {path.name}; nothing imported.")
        self._print_counts(preview)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing imported.")
            return
        result = apply_import(actor, preview=preview, create_anyway=options["create_anyway"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {result.organisations_created} organisations created, "
                f"{result.organisations_updated} updated, "
                f"{result.organisations_unchanged} unchanged, "
                f"{result.organisations_skipped} duplicate candidates skipped; "
                f"{result.people_created} people created, {result.people_updated} updated."
            )
        )

    def _actor(self, email: str) -> User | None:
        if not email:
            return None
        actor = User.objects.filter(email=email.lower(), is_active=True).first()
        if actor is None or not actor.is_coordinator:
            raise CommandError(f"No active coordinator with the email {email}.")
        return actor

    def _print_errors(self, preview: ImportPreview) -> None:
        if preview.file_error:
            self.stderr.write(preview.file_error)
        for error in preview.errors:
            self.stderr.write(str(error))

    def _print_counts(self, preview: ImportPreview) -> None:
        self.stdout.write(
            f"{preview.rows} rows: {preview.new_organisations} new organisations, "
            f"{preview.updated_organisations} to update, "
            f"{len(preview.duplicate_candidates)} duplicate candidates; "
            f"{preview.new_people} new people, {preview.updated_people} to update."
        )
