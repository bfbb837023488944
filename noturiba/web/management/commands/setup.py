"""Prepare the database for ``make run``: migrate, reference data, demo data, first login."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from noturiba.accounts.actions import ensure_first_coordinator
from noturiba.lib.env import env_optional
from noturiba.network.models import Organisation


class Command(BaseCommand):
    help = "Migrate, load reference data, add demo data to an empty database, create a coordinator."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference", stdout=self.stdout)
        if not Organisation.objects.exists():
            self.stdout.write("Empty directory: adding demo data (marked as demo)…")
            call_command("demo", orgs=300, people=1200, seed=2026, stdout=self.stdout)
            call_command("demo_training", seed=2026, stdout=self.stdout)
            call_command("demo_assistance", seed=2026, stdout=self.stdout)
            call_command("demo_shelters", seed=2026, stdout=self.stdout)
        result = ensure_first_coordinator(
            email=env_optional("NOTURIBA_ADMIN_EMAIL"),
            password=env_optional("NOTURIBA_ADMIN_PASSWORD"),
        )
        line = "=" * 64
        self.stdout.write(line)
        if result.created:
            self.stdout.write(f"First coordinator: {result.email}")
            if result.one_time_password:
                self.stdout.write(f"One-time password: {result.one_time_password}")
                self.stdout.write("(You will be asked to choose your own password at sign-in.)")
            else:
                self.stdout.write("Password: the one in NOTURIBA_ADMIN_PASSWORD")
        else:
            self.stdout.write(f"Sign in as {result.email} with the password set earlier.")
        self.stdout.write(line)
