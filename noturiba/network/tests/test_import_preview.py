"""The import preview: parsing, validation with the models' rules, and matching."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noturiba.network.imports import build_preview
from noturiba.network.imports.preview import ImportPreview
from noturiba.network.models import Organisation
from noturiba.network.tests.import_files import ORGANISATION_HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.usefixtures("reference", "english")

GOOD_ROW = [
    "Madonas Brīvprātīgo biedrība",
    "40008012345",
    "LV-059",
    "info@madona.example",
    "26 123 456",
    "56,85310",
    "26,21770",
]


def preview_of(*rows: Sequence[object], header: list[str] = ORGANISATION_HEADER) -> ImportPreview:
    return build_preview(csv_bytes([header, *rows]), "saraksts.csv")


def messages(preview: ImportPreview) -> list[str]:
    return [str(error) for error in preview.errors]


def test_it_parses_a_latvian_row_into_model_values() -> None:
    preview = preview_of(GOOD_ROW)
    assert preview.is_valid, messages(preview)
    [row] = preview.organisations
    assert row.values["name"] == "Madonas Brīvprātīgo biedrība"
    assert row.values["municipality"].code == "LV-059"
    assert row.values["phone"] == "+37126123456"
    assert row.values["latitude"] == Decimal("56.85310")
    assert row.values["longitude"] == Decimal("26.21770")
    assert preview.new_organisations == 1


@pytest.mark.parametrize(
    ("municipality", "code"),
    [
        ("LV-102", "LV-059"),
        ("102", "LV-059"),
        ("067", "LV-067"),
        ("Ogres novads", "LV-067"),
        ("ogre municipality", "LV-067"),
        ("Varakļānu novads", "LV-059"),
        ("Ogre", "LV-067"),
        ("Rīga", "LV-RIX"),
    ],
)
def test_it_resolves_municipalities_by_code_number_or_name(municipality: str, code: str) -> None:
    preview = preview_of([GOOD_ROW[0], "", municipality, "", "", "", ""])
    assert preview.is_valid, messages(preview)
    assert preview.organisations[0].values["municipality"].code == code


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            1,
            "4000801234",
            "row 2, Reģistrācijas numurs: A registration number of the Register "
            "of Enterprises has 11 digits",
        ),
        (1, "10008012345", "Reģistrācijas numurs: A registration number"),
        (2, "Atlantīda", "row 2, Novads: unknown municipality “Atlantīda”"),
        (3, "info(at)madona", "row 2, E-pasts: Enter a valid email address."),
        (4, "12345", "row 2, Tālrunis: Enter a phone number such as +371"),
        (5, "95,1", "row 2, Platums: must be between -90 and 90"),
        (6, "181", "row 2, Garums: must be between -180 and 180"),
        (5, "56.8,1", "row 2, Platums: use either a decimal comma or a decimal point"),
        (5, "abc", "row 2, Platums: must be a number"),
        (6, "", "row 2, Platums: give both latitude and longitude"),
        (0, "", "row 2, Nosaukums: This field cannot be blank."),
    ],
)
def test_it_reports_invalid_values_with_row_and_column(
    column: int, value: str, message: str
) -> None:
    row = list(GOOD_ROW)
    row[column] = value
    preview = preview_of(row)
    assert not preview.is_valid
    assert any(text.startswith(message) or message in text for text in messages(preview)), messages(
        preview
    )


def test_it_reports_a_registration_number_repeated_in_the_file() -> None:
    other = ["Cita biedrība", *GOOD_ROW[1:]]
    preview = preview_of(GOOD_ROW, other)
    assert messages(preview) == [
        "row 3, Registration number: 40008012345 is also in row 2 of this file"
    ]


def test_it_reports_a_row_with_more_values_than_headings() -> None:
    preview = preview_of([*GOOD_ROW, "lieks"])
    assert messages(preview) == [
        "row 2: the row has 8 values but the heading row has only 7 columns"
    ]


def test_trailing_empty_cells_are_not_extra_values() -> None:
    assert preview_of([*GOOD_ROW, "", ""]).is_valid


def test_formula_looking_cells_are_kept_as_text() -> None:
    header = ["Nosaukums", "Apraksts"]
    preview = preview_of(["=1+1", '=HYPERLINK("http://x";"y")'], header=header)
    assert preview.is_valid
    assert preview.organisations[0].values == {
        "name": "=1+1",
        "description": '=HYPERLINK("http://x";"y")',
    }


def test_it_refuses_unknown_columns_and_missing_required_ones() -> None:
    preview = preview_of(["x", "y"], header=["Piezīmes", "Novads"])
    assert not preview.is_valid
    assert "Unknown columns: “Piezīmes”" in preview.file_error
    assert "A required column is missing: Name" in preview.file_error


def test_it_refuses_two_columns_meaning_the_same_field() -> None:
    preview = preview_of(["A", "a@b.lv", "c@d.lv"], header=["Nosaukums", "E-pasts", "email"])
    assert "mean the same thing: “E-pasts” and “email”" in preview.file_error


def test_headings_match_without_case_diacritics_or_punctuation() -> None:
    header = ["NOSAUKUMS", "reg. nr.", "Merka grupas", "capability:transport", "Pirmā palīdzība"]
    preview = preview_of(["A", "40008012345", "seniori | Bēgļi", "12,5", "3"], header=header)
    assert preview.is_valid, messages(preview)
    [row] = preview.organisations
    assert [group.code for group in row.target_groups or []] == ["seniors", "refugees"]
    assert row.capabilities == {"transport": Decimal("12.5"), "first_aid": Decimal(3)}


def test_it_reports_unknown_target_groups_and_bad_quantities() -> None:
    header = ["Nosaukums", "Mērķa grupas", "Transports"]
    preview = preview_of(["A", "seniors, marsieši", "daudz"], header=header)
    assert messages(preview) == [
        "row 2, Mērķa grupas: unknown target group “marsieši”",
        "row 2, Transports: must be a quantity, e.g. 12 or 12,5",
    ]


def test_it_reads_a_contact_person_on_the_organisation_row() -> None:
    header = ["Nosaukums", "Kontaktpersona", "Kontaktpersonas e-pasts", "Kontaktpersonas tālrunis"]
    preview = preview_of(["A", "Anna Ozola", "Anna@Example.LV", "+371 26 000 000"], header=header)
    assert preview.is_valid, messages(preview)
    [person] = preview.people
    assert person.values == {
        "full_name": "Anna Ozola",
        "email": "anna@example.lv",
        "phone": "+37126000000",
    }
    assert person.organisation_row is preview.organisations[0]


def test_a_contact_without_a_name_is_an_error() -> None:
    header = ["Nosaukums", "Kontaktpersona", "Kontaktpersonas e-pasts"]
    preview = preview_of(["A", "", "anna@example.lv"], header=header)
    assert messages(preview) == [
        "row 2, Kontaktpersona: a contact person needs a name when their email or phone is given"
    ]


def test_it_reads_people_from_a_second_sheet(org_a: Organisation) -> None:
    content = xlsx_bytes(
        {
            "Organizācijas": [["Nosaukums", "Reģ. Nr."], ["Jauna biedrība", "40008012345"]],
            "Personas": [
                ["Vārds, uzvārds", "E-pasts", "Loma", "Organizācijas reģ. Nr."],
                ["Anna Ozola", "anna@example.lv", "administrators", "40008012345"],
                ["Jānis Liepa", "", "brīvprātīgais", org_a.registration_number],
                ["Nav Neviens", "", "", "40008099999"],
            ],
        }
    )
    preview = build_preview(content, "saraksts.xlsx")
    assert messages(preview) == [
        "sheet “Personas”, row 4, Organisation's registration number: no organisation with "
        "registration number 40008099999 in this file or in the directory"
    ]
    anna, janis, _nobody = preview.people
    assert anna.role == "admin" and anna.organisation_row is preview.organisations[0]
    assert janis.role == "member" and janis.organisation_id == org_a.pk


def test_a_known_registration_number_is_an_update(org_a: Organisation) -> None:
    preview = preview_of([org_a.name, org_a.registration_number, "LV-067", "", "", "", ""])
    assert preview.organisations[0].existing_id == org_a.pk
    assert (preview.new_organisations, preview.updated_organisations) == (0, 1)


def test_rows_without_a_registration_number_are_matched_as_duplicate_candidates(
    org_a: Organisation,
) -> None:
    header = ["Nosaukums", "Novads", "E-pasts", "Mājaslapa"]
    preview = preview_of(
        ["OGRES SAMARIEŠU BIEDRĪBA", "Ogres novads", "", ""],  # same name and seat
        ["Cits nosaukums", "", org_a.email.upper(), ""],  # same email
        ["Jauna biedrība", "LV-RIX", "", "www.jauna.example"],  # new
        ["Jaunā biedrība", "", "", "https://jauna.example/"],  # same website as the row above
        header=header,
    )
    assert preview.is_valid, messages(preview)
    first, second, third, fourth = preview.organisations
    assert [(m.organisation_id, m.reason) for m in first.duplicates] == [
        (org_a.pk, "same name and municipality")
    ]
    assert [m.reason for m in second.duplicates] == ["same email"]
    assert third.duplicates == []
    assert [(m.row, m.reason) for m in fourth.duplicates] == [(4, "same website")]
    assert preview.new_organisations == 1
    assert len(preview.duplicate_candidates) == 3


def test_people_with_the_same_email_are_one_person(admin_a: object) -> None:
    header = ["Nosaukums", "Reģ. Nr.", "Kontaktpersona", "Kontaktpersonas e-pasts"]
    preview = preview_of(
        ["A", "40008012345", "Anna Ozola", "admin.a@noturiba.example"],
        ["B", "40008012346", "Anna Ozola", "ADMIN.A@noturiba.example"],
        ["C", "40008012347", "Cita Persona", "admin.a@noturiba.example"],
        header=header,
    )
    first, second, third = preview.people
    assert first.existing_id is not None and second.same_as is first
    assert messages(preview) == [
        "row 4: the same email as row 2 but a different name",
    ]
    assert (preview.new_people, preview.updated_people) == (0, 1)


LATVIAN_TEXT = st.text(
    alphabet='aābcčdeēfgģhiījkķlļmnņoprsštuūvzžAĀČĒĢĪĶĻŅŠŪŽ 0123456789.,;:-"()', max_size=60
).map(lambda text: " ".join(text.split()))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=LATVIAN_TEXT.filter(lambda text: bool(text) and text[0] not in "#'"),
    description=LATVIAN_TEXT.filter(lambda text: not text.startswith(("#", "'"))),
    latitude=st.decimals(min_value=-90, max_value=90, places=5),
    longitude=st.decimals(min_value=-180, max_value=180, places=5),
    encoding=st.sampled_from(["cp1257", "utf-8-sig", "utf-8"]),
    delimiter=st.sampled_from([";", ",", "\t"]),
)
def test_any_valid_row_parses_to_the_same_values_in_any_encoding_and_separator(
    name: str,
    description: str,
    latitude: Decimal,
    longitude: Decimal,
    encoding: str,
    delimiter: str,
) -> None:
    header = ["Nosaukums", "Apraksts", "Platums", "Garums"]
    row = [name, description, str(latitude).replace(".", ","), str(longitude)]
    content = csv_bytes([header, row], delimiter=delimiter, encoding=encoding)
    preview = build_preview(content, "saraksts.csv")
    assert preview.is_valid, messages(preview)
    assert preview.organisations[0].values == {
        "name": name,
        "description": description,
        "latitude": latitude,
        "longitude": longitude,
    }
