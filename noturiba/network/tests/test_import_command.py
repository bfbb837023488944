"""``noturiba import_directory FILE [--dry-run]``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Organisation
from noturiba.network.tests.import_files import ORGANISATION_HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.usefixtures("reference", "english")

ROWS = [
    ORGANISATION_HEADER,
    ["Tukuma Krīzes biedrība", "40008066666", "Tukuma novads", "", "", "56,967", "23,155"],
]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_directory", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_file_and_prints_the_counts(tmp_path: Path) -> None:
    path = tmp_path / "saraksts.csv"
    path.write_bytes(csv_bytes(ROWS, encoding="cp1257"))
    out, _err = run(str(path))
    assert "1 rows: 1 new organisations, 0 to update" in out
    assert "Imported: 1 organisations created" in out
    assert Organisation.objects.get(registration_number="40008066666").municipality is not None
    assert set(AuditEntry.objects.values_list("actor_label", flat=True)) == {"system"}


def test_a_dry_run_checks_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "saraksts.xlsx"
    path.write_bytes(xlsx_bytes({"Lapa": ROWS}))
    out, _err = run(str(path), "--dry-run")
    assert "1 new organisations" in out and "Dry run: nothing imported." in out
    assert not Organisation.objects.filter(registration_number="40008066666").exists()


def test_errors_are_printed_and_the_exit_code_is_1(tmp_path: Path) -> None:
    path = tmp_path / "saraksts.csv"
    path.write_bytes(csv_bytes([ORGANISATION_HEADER, ["", "123", "LV-999", "", "", "", ""]]))
    err = io.StringIO()
    with pytest.raises(
        CommandError, match=r"3 error\(s\) in saraksts.csv; nothing imported"
    ) as exc:
        call_command("import_directory", str(path), stderr=err)
    assert exc.value.returncode == 1
    assert "row 2, Nosaukums: This field cannot be blank." in err.getvalue()
    assert "row 2, Novads: unknown municipality “LV-999”" in err.getvalue()
    assert not Organisation.objects.exists()


def test_the_import_can_be_recorded_as_a_coordinator(tmp_path: Path, coordinator: User) -> None:
    path = tmp_path / "saraksts.csv"
    path.write_bytes(csv_bytes(ROWS))
    run(str(path), "--as", coordinator.email.upper())
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {coordinator.pk}


def test_only_a_coordinator_can_be_named(tmp_path: Path, admin_a: User) -> None:
    path = tmp_path / "saraksts.csv"
    path.write_bytes(csv_bytes(ROWS))
    with pytest.raises(CommandError, match="No active coordinator"):
        run(str(path), "--as", admin_a.email)


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nav.csv"))
