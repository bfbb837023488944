"""Applying an import: all rows or none, updates by registration number, audit entries."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.network.imports import ImportPreview, apply_import, build_preview
from noturiba.network.models import Membership, Organisation, OrganisationCapability, Person
from noturiba.network.tests.import_files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.usefixtures("reference", "english")

HEADER = [
    "Nosaukums",
    "Reģistrācijas numurs",
    "Novads",
    "Darbības teritorija",
    "Mērķa grupas",
    "Transports",
    "capability:first_aid",
    "Platums",
    "Garums",
    "Publisks",
    "Kontaktpersona",
    "Kontaktpersonas e-pasts",
]
MADONA = [
    "Madonas Brīvprātīgo biedrība",
    "40008012345",
    "LV-102",
    "LV-059, LV-007",
    "seniors",
    "12",
    "",
    "56,8531",
    "26,2177",
    "jā",
    "Ieva Kalna",
    "ieva@madona.example",
]


def preview_of(*rows: Sequence[object], header: Sequence[str] = HEADER) -> ImportPreview:
    return build_preview(csv_bytes([header, *rows]), "saraksts.csv")


def imported(
    coordinator: User, *rows: Sequence[object], header: Sequence[str] = HEADER
) -> ImportPreview:
    preview = preview_of(*rows, header=header)
    assert preview.is_valid, [str(error) for error in preview.errors] or preview.file_error
    apply_import(coordinator, preview=preview)
    return preview


def test_it_creates_organisations_with_areas_groups_capabilities_and_contacts(
    coordinator: User,
) -> None:
    preview = preview_of(MADONA)
    result = apply_import(coordinator, preview=preview)
    assert (result.organisations_created, result.people_created) == (1, 1)
    organisation = Organisation.objects.get(registration_number="40008012345")
    assert organisation.municipality is not None and organisation.municipality.code == "LV-059"
    assert sorted(m.code for m in organisation.municipalities.all()) == ["LV-007", "LV-059"]
    assert [g.code for g in organisation.target_groups.all()] == ["seniors"]
    assert [(c.capability.code, c.quantity) for c in organisation.capabilities.all()] == [
        ("transport", Decimal("12.00"))
    ]
    assert organisation.latitude == Decimal("56.85310") and organisation.is_public
    assert organisation.search_text == organisation.build_search_text()
    assert "madonas brivpratigo biedriba" in organisation.search_text
    person = Person.objects.get(email="ieva@madona.example")
    assert person.full_name == "Ieva Kalna"
    membership = Membership.objects.get(person=person, organisation=organisation)
    assert membership.role == Membership.Role.MEMBER


def test_every_created_organisation_and_person_has_an_import_audit_entry(
    coordinator: User,
) -> None:
    imported(coordinator, MADONA)
    organisation = Organisation.objects.get()
    person = Person.objects.get(email="ieva@madona.example")
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT)
    by_type = {entry.object_type: entry for entry in entries}
    assert set(by_type) == {"network.organisation", "network.person"}
    org_entry, person_entry = by_type["network.organisation"], by_type["network.person"]
    assert org_entry.object_id == str(organisation.pk) and org_entry.actor == coordinator
    assert org_entry.changes["name"] == [None, "Madonas Brīvprātīgo biedrība"]
    assert org_entry.changes["capability:transport"] == [None, "12.00"]
    assert org_entry.changes["municipalities"] == [None, ["LV-007", "LV-059"]]
    assert person_entry.object_id == str(person.pk)
    assert person_entry.changes[f"membership:{organisation.pk}"] == [None, "member:"]


def test_a_reimport_updates_by_registration_number_and_audits_only_changes(
    coordinator: User,
) -> None:
    imported(coordinator, MADONA)
    organisation = Organisation.objects.get()
    first_update = organisation.updated_at
    changed = list(MADONA)
    changed[0] = "Madonas Brīvprātīgo biedrība „Palīgs”"
    changed[3] = "LV-059"
    changed[5] = ""  # no transport any more
    changed[6] = "3,5"
    imported(coordinator, changed)
    assert Organisation.objects.count() == 1
    organisation.refresh_from_db()
    assert organisation.name == "Madonas Brīvprātīgo biedrība „Palīgs”"
    assert organisation.updated_at > first_update
    assert "palig" in organisation.search_text
    assert [m.code for m in organisation.municipalities.all()] == ["LV-059"]
    assert {c.capability.code: c.quantity for c in organisation.capabilities.all()} == {
        "first_aid": Decimal("3.50")
    }
    [update] = AuditEntry.objects.filter(
        action=AuditEntry.Action.IMPORT, object_type="network.organisation"
    ).order_by("-id")[:1]
    assert set(update.changes) == {
        "name",
        "municipalities",
        "capability:transport",
        "capability:first_aid",
    }
    assert update.changes["capability:transport"] == ["12.00", None]


def test_importing_the_same_file_again_changes_nothing(coordinator: User) -> None:
    imported(coordinator, MADONA)
    entries = AuditEntry.objects.count()
    result = apply_import(coordinator, preview=preview_of(MADONA))
    assert (result.organisations_created, result.organisations_updated) == (0, 0)
    assert (result.organisations_unchanged, result.people_created, result.people_updated) == (
        1,
        0,
        0,
    )
    assert AuditEntry.objects.count() == entries
    assert Person.objects.count() == 1 and Membership.objects.count() == 1


def test_only_the_columns_in_the_file_are_changed(coordinator: User, org_a: Organisation) -> None:
    header = ["Reģ. Nr.", "Nosaukums", "E-pasts"]
    imported(coordinator, [org_a.registration_number, org_a.name, ""], header=header)
    org_a.refresh_from_db()
    assert org_a.email == ""  # an empty cell of a column in the file clears it
    assert org_a.description.startswith("Pirmā palīdzība")  # no column: untouched
    assert [c.capability.code for c in org_a.capabilities.all()] == ["first_aid"]
    assert [g.code for g in org_a.target_groups.all()] == ["seniors"]


def test_nothing_is_written_when_any_row_is_invalid(coordinator: User) -> None:
    bad = list(MADONA)
    bad[1] = "40008012346"
    bad[7] = "95"  # latitude out of range
    preview = preview_of(MADONA, bad)
    assert not preview.is_valid
    with pytest.raises(ValidationError, match="row 3, Platums: must be between -90 and 90"):
        apply_import(coordinator, preview=preview)
    assert not Organisation.objects.exists()
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()


def test_only_a_coordinator_may_import(admin_a: User) -> None:
    with pytest.raises(PermissionDenied):
        apply_import(admin_a, preview=preview_of(MADONA))
    assert not Organisation.objects.filter(registration_number="40008012345").exists()


def test_duplicate_candidates_are_skipped_unless_created_anyway(
    coordinator: User, org_a: Organisation
) -> None:
    header = ["Nosaukums", "Novads"]
    rows = [["Ogres samariešu biedrība", "LV-067"], ["Pavisam jauna biedrība", "LV-067"]]
    preview = preview_of(*rows, header=header)
    result = apply_import(coordinator, preview=preview)
    assert (result.organisations_created, result.organisations_skipped) == (1, 1)
    assert Organisation.objects.filter(name__iexact="Ogres samariešu biedrība").count() == 1
    # The second time, the new row is a duplicate candidate of what the first import created.
    result = apply_import(coordinator, preview=preview_of(*rows, header=header), create_anyway=True)
    assert (result.organisations_created, result.organisations_skipped) == (2, 0)
    assert Organisation.objects.filter(name__iexact="Ogres samariešu biedrība").count() == 2


def test_a_contact_of_a_skipped_duplicate_candidate_is_not_imported(
    coordinator: User, org_a: Organisation
) -> None:
    header = ["Nosaukums", "Novads", "Kontaktpersona", "Kontaktpersonas e-pasts"]
    result = apply_import(
        coordinator,
        preview=preview_of(
            [org_a.name, "LV-067", "Cits Cilvēks", "cits@example.lv"], header=header
        ),
    )
    assert (result.organisations_skipped, result.people_created) == (1, 0)
    assert not Person.objects.filter(email="cits@example.lv").exists()


def test_people_from_a_second_sheet_join_their_organisations(
    coordinator: User, admin_a: User, org_a: Organisation
) -> None:
    content = xlsx_bytes(
        {
            "Organizācijas": [["Nosaukums", "Reģ. Nr."], ["Jauna biedrība", "40008012345"]],
            "Personas": [
                ["Vārds, uzvārds", "E-pasts", "Tālrunis", "Loma", "Amats", "Reģ. Nr."],
                [
                    "Līga Zaļā",
                    "liga@example.lv",
                    "29000000",
                    "admin",
                    "Valdes priekšsēdētāja",
                    "40008012345",
                ],
                ["Anna Ozola", "ADMIN.A@noturiba.example", "", "biedrs", "", "40008012345"],
                [
                    "Anna Ozola",
                    "admin.a@noturiba.example",
                    "",
                    "",
                    "Sekretāre",
                    org_a.registration_number,
                ],
            ],
        }
    )
    preview = build_preview(content, "saraksts.xlsx")
    assert preview.is_valid, [str(error) for error in preview.errors]
    result = apply_import(coordinator, preview=preview)
    assert (result.people_created, result.people_updated) == (1, 1)
    new = Organisation.objects.get(registration_number="40008012345")
    liga = Person.objects.get(email="liga@example.lv")
    assert liga.phone == "+37129000000"
    assert Membership.objects.get(person=liga).role == Membership.Role.ADMIN
    anna = Person.objects.get(user=admin_a)
    roles = {m.organisation_id: (m.role, m.title) for m in anna.memberships.all()}
    assert roles == {new.pk: ("member", ""), org_a.pk: ("admin", "Sekretāre")}
    assert anna.phone == ""  # the file's phone column is empty for her


def test_the_command_line_import_is_recorded_as_system() -> None:
    apply_import(None, preview=preview_of(MADONA))
    assert set(AuditEntry.objects.values_list("actor_label", flat=True)) == {"system"}
    assert OrganisationCapability.objects.count() == 1


def test_a_changed_quantity_updates_the_capability_in_place(coordinator: User) -> None:
    imported(coordinator, MADONA)
    [before] = OrganisationCapability.objects.all()
    changed = list(MADONA)
    changed[5] = "15,5"
    result = apply_import(coordinator, preview=preview_of(changed))
    assert result.organisations_updated == 1
    [after] = OrganisationCapability.objects.all()
    assert (after.pk, after.quantity) == (before.pk, Decimal("15.50"))
    entry = AuditEntry.objects.filter(object_type="network.organisation").order_by("-id")[0]
    assert entry.changes == {"capability:transport": ["12.00", "15.50"]}
