"""CSV export of the filtered directory: columns, rules for what each reader sees, round trip."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from pytest_django import DjangoAssertNumQueries

from noturiba.accounts.models import User
from noturiba.network.exports import export_organisations, safe_cell
from noturiba.network.imports import apply_import, build_preview
from noturiba.network.models import Organisation
from noturiba.network.selectors import DirectoryFilters
from noturiba.network.tests.export_helpers import export_text

pytestmark = pytest.mark.usefixtures("reference", "english")


def rows_of(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_it_exports_the_directory_as_comma_separated_utf8_with_a_bom(
    coordinator: User, org_a: Organisation, org_b: Organisation
) -> None:
    export = export_organisations(coordinator, DirectoryFilters(), "csv")
    assert export.content_type == "text/csv; charset=utf-8"
    assert export.filename.startswith("noturiba-directory-") and export.filename.endswith(".csv")
    rows = rows_of("".join(export.content))
    assert [row["name"] for row in rows] == ["Liepājas Jauniešu centrs", "Ogres Samariešu biedrība"]
    ogre = rows[1]
    assert ogre["registration_number"] == "40008000001"
    assert ogre["municipality"] == "LV-067" and ogre["municipality_name"] == "Ogres novads"
    assert ogre["municipalities"] == "LV-067" and ogre["target_groups"] == "seniors"
    assert ogre["sectors"] == "first_aid" and ogre["capability:first_aid"] == "12"
    assert (ogre["latitude"], ogre["longitude"]) == ("56.8162", "24.614")
    assert ogre["email"] == "info@ogre-samariesi.example" and ogre["is_public"] == "yes"


def test_it_exports_only_the_filtered_matches(
    coordinator: User, org_a: Organisation, org_b: Organisation
) -> None:
    rows = rows_of(export_text(coordinator, "csv", capability="transport"))
    assert [row["name"] for row in rows] == ["Liepājas Jauniešu centrs"]


def test_the_public_gets_public_organisations_without_details(
    org_a: Organisation, org_b: Organisation
) -> None:
    text = export_text(AnonymousUser(), "csv")
    [row] = rows_of(text)
    assert row["name"] == "Ogres Samariešu biedrība" and row["municipality"] == "LV-067"
    for column in ("registration_number", "email", "phone", "address", "latitude", "sectors"):
        assert row[column] == ""
    assert "Liepāja" not in text and "info@ogre-samariesi.example" not in text
    assert "40008000001" not in text and "56.8162" not in text


def test_formula_looking_values_are_defused_but_phone_numbers_are_not(
    coordinator: User, org_a: Organisation
) -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-- rindkopa") == "'-- rindkopa"
    assert safe_cell("+37120000000") == "+37120000000"
    assert safe_cell("-12.5") == "-12.5"


def test_an_exported_file_imports_again_without_changes(
    coordinator: User, org_a: Organisation, org_b: Organisation
) -> None:
    Organisation.objects.filter(pk=org_a.pk).update(
        description='=1+1 un "pēdiņas"; semikols,\njauna rinda'
    )
    content = export_text(coordinator, "csv").encode("utf-8")
    preview = build_preview(content, "export.csv")
    assert preview.is_valid, [str(error) for error in preview.errors] or preview.file_error
    result = apply_import(coordinator, preview=preview)
    assert (result.organisations_unchanged, result.organisations_updated) == (2, 0)


def test_it_uses_a_fixed_number_of_queries_whatever_the_size(
    coordinator: User,
    org_a: Organisation,
    org_b: Organisation,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    export_text(coordinator, "csv")  # the actor's roles are read once and cached
    with django_assert_num_queries(5):  # catalogue, organisations, areas, groups, capabilities
        export_text(coordinator, "csv")
    for number in range(5):
        Organisation.objects.create(name=f"Biedrība {number}")
    with django_assert_num_queries(5):
        export_text(coordinator, "csv")
