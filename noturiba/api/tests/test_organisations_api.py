"""``/api/v1/organisations``: the directory list with its filters, one organisation, creating
and changing organisations — with the same rules as the pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from noturiba.accounts.models import User
from noturiba.api.tests.conftest import ApiClient, error_of
from noturiba.audit.models import AuditEntry
from noturiba.network.models import (
    Agreement,
    Institution,
    Organisation,
    OrganisationCapability,
)

PRIVATE_FIELDS = {"registration_number", "email", "phone", "address", "capabilities"}


def names(response: Any) -> list[str]:
    return [item["name"] for item in response.json()["items"]]


# --- List ---------------------------------------------------------------------------------------


def test_it_lists_only_public_organisations_with_public_fields_to_anonymous_callers(
    api_anonymous: ApiClient, org_a: Organisation, org_b: Organisation
) -> None:
    response = api_anonymous.get("/organisations")

    assert response.status_code == 200
    assert names(response) == [org_a.name]
    item = response.json()["items"][0]
    assert not PRIVATE_FIELDS & set(item)
    assert item["municipalities"] == ["LV-067"]
    assert item["target_groups"] == ["seniors"]
    assert org_b.name.encode() not in response.content
    assert org_a.registration_number.encode() not in response.content  # type: ignore[union-attr]


def test_it_lists_every_organisation_in_full_to_signed_in_callers(
    api_admin_b: ApiClient, org_a: Organisation, org_b: Organisation
) -> None:
    response = api_admin_b.get("/organisations")

    assert names(response) == [org_b.name, org_a.name]
    ogre = response.json()["items"][1]
    assert ogre["registration_number"] == "40008000001"
    assert ogre["email"] == "info@ogre-samariesi.example"
    assert ogre["capabilities"] == [
        {
            "code": "first_aid",
            "quantity": "12.00",
            "unit": "people",
            "startup_hours": 2,
            "availability": "",
        }
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "samariesu"}, ["Ogres Samariešu biedrība"]),
        ({"q": "jauniešu LIEPĀJAS"}, ["Liepājas Jauniešu centrs"]),
        ({"municipality": ["LV-067"]}, ["Ogres Samariešu biedrība"]),
        (
            {"municipality": ["LV-067", "LV-LPX"]},
            ["Liepājas Jauniešu centrs", "Ogres Samariešu biedrība"],
        ),
        ({"municipality": ["lv-lpx"]}, ["Liepājas Jauniešu centrs"]),
        ({"target_group": ["seniors"]}, ["Ogres Samariešu biedrība"]),
        ({"capability": ["transport"]}, ["Liepājas Jauniešu centrs"]),
        ({"capability": ["transport"], "municipality": ["LV-067"]}, []),
        ({"sort": "-name"}, ["Ogres Samariešu biedrība", "Liepājas Jauniešu centrs"]),
        ({"municipality": ["LV-999"]}, []),
    ],
)
def test_it_filters_like_the_directory_page(
    api_coordinator: ApiClient,
    org_a: Organisation,
    org_b: Organisation,
    query: dict[str, Any],
    expected: list[str],
) -> None:
    response = api_coordinator.get("/organisations", query)

    assert response.status_code == 200
    assert names(response) == expected


def test_it_filters_by_valid_agreements(
    api_coordinator: ApiClient,
    org_a: Organisation,
    org_b: Organisation,
    ogre_commission: Institution,
) -> None:
    Agreement.objects.create(
        organisation=org_b,
        institution=ogre_commission,
        scope="Transport",
        signed_on=datetime.date(2024, 1, 1),
    )

    with_institution = api_coordinator.get("/organisations", {"institution": ogre_commission.pk})
    with_any = api_coordinator.get("/organisations", {"agreement": "1"})

    assert names(with_institution) == names(with_any) == [org_b.name]


def test_it_does_not_let_anonymous_callers_filter_by_agreements(
    api_anonymous: ApiClient, org_a: Organisation, ogre_commission: Institution
) -> None:
    response = api_anonymous.get("/organisations", {"agreement": "1"})

    # The filter is ignored for those who may not see agreements, as on the page.
    assert names(response) == [org_a.name]


@pytest.mark.parametrize(
    "query",
    [{"sort": "colour"}, {"institution": "abc"}, {"institution": "0"}, {"agreement": "maybe"}],
)
def test_it_refuses_filters_it_cannot_read(
    api_coordinator: ApiClient, org_a: Organisation, query: dict[str, str]
) -> None:
    response = api_coordinator.get("/organisations", query)

    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == set(query)


# --- One organisation ---------------------------------------------------------------------------


def test_it_shows_a_public_organisation_to_anonymous_callers_without_details(
    api_anonymous: ApiClient, org_a: Organisation
) -> None:
    response = api_anonymous.get(f"/organisations/{org_a.pk}")

    assert response.status_code == 200
    assert response.json()["name"] == org_a.name
    assert not PRIVATE_FIELDS & set(response.json())


def test_it_hides_other_organisations_from_anonymous_callers(
    api_anonymous: ApiClient, org_b: Organisation
) -> None:
    response = api_anonymous.get(f"/organisations/{org_b.pk}")

    assert response.status_code == 404
    assert org_b.name.encode() not in response.content


@pytest.mark.parametrize(
    "caller", ["api_coordinator", "api_admin_a", "api_member_a", "api_admin_b", "api_officer"]
)
def test_it_shows_any_organisation_in_full_to_signed_in_callers(
    request: pytest.FixtureRequest, caller: str, org_b: Organisation
) -> None:
    api: ApiClient = request.getfixturevalue(caller)

    response = api.get(f"/organisations/{org_b.pk}")

    assert response.status_code == 200
    assert response.json()["registration_number"] == "40008000002"


# --- Creating -----------------------------------------------------------------------------------

NEW_ORGANISATION: dict[str, Any] = {
    "name": "Madonas Sarkanais Krusts",
    "registration_number": "40008000099",
    "legal_form": "association",
    "scope": "regional",
    "description": "Pirmā palīdzība Madonā un Varakļānos.",
    "website": "https://madona.example",
    "email": "info@madona.example",
    "phone": "29 123 456",
    "address": "Skolas iela 1, Madona",
    "municipality": "LV-059",
    "latitude": "56.853611",
    "longitude": 26.217,
    "is_public": True,
    "municipalities": ["LV-059", "LV-102"],
    "target_groups": ["seniors", "disability_mobility"],
    "capabilities": [
        {"code": "first_aid", "quantity": 8, "startup_hours": 2, "availability": "Nights too"},
        {"code": "transport", "quantity": "12.5"},
    ],
}


def test_it_creates_an_organisation_for_a_coordinator(
    api_coordinator: ApiClient, coordinator: User
) -> None:
    response = api_coordinator.post("/organisations", NEW_ORGANISATION)

    assert response.status_code == 201, response.content
    body = response.json()
    organisation = Organisation.objects.get(pk=body["id"])
    assert organisation.name == "Madonas Sarkanais Krusts"
    assert body["phone"] == "+37129123456"
    assert body["latitude"] == 56.85361
    # Varakļāni (LV-102) was merged into Madona: the organisation covers Madona once.
    assert body["municipalities"] == ["LV-059"]
    assert sorted(body["target_groups"]) == ["disability_mobility", "seniors"]
    assert {offer["code"]: offer["quantity"] for offer in body["capabilities"]} == {
        "first_aid": "8.00",
        "transport": "12.50",
    }
    created = AuditEntry.objects.get(object_type="network.organisation", action="create")
    assert created.actor == coordinator


def test_it_needs_only_a_name_to_create(api_coordinator: ApiClient, reference: None) -> None:
    response = api_coordinator.post("/organisations", {"name": "Jauna biedrība"})

    assert response.status_code == 201
    assert response.json()["registration_number"] is None
    assert response.json()["capabilities"] == []


def test_it_creates_nothing_when_a_code_is_unknown(
    api_coordinator: ApiClient, reference: None
) -> None:
    response = api_coordinator.post(
        "/organisations",
        {
            **NEW_ORGANISATION,
            "municipalities": ["LV-059", "LV-999"],
            "target_groups": ["dragons"],
            "capabilities": [{"code": "teleport", "quantity": 1}],
        },
    )

    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {
        "municipalities",
        "target_groups",
        "capabilities.0.code",
    }
    assert not Organisation.objects.exists()


def test_it_refuses_a_capability_listed_twice(api_coordinator: ApiClient, reference: None) -> None:
    response = api_coordinator.post(
        "/organisations",
        {
            "name": "Dubultā",
            "capabilities": [
                {"code": "transport", "quantity": 1},
                {"code": "transport", "quantity": 2},
            ],
        },
    )

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["capabilities.1.code"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"registration_number": "123"}, "registration_number"),
        ({"registration_number": "40008000001"}, "registration_number"),
        ({"phone": "+371 1"}, "phone"),
        ({"website": "not a url"}, "website"),
        ({"email": "nobody"}, "email"),
        ({"latitude": 91}, "latitude"),
        ({"name": ""}, "name"),
    ],
)
def test_it_reports_invalid_values_by_field(
    api_coordinator: ApiClient, org_a: Organisation, change: dict[str, Any], field: str
) -> None:
    response = api_coordinator.post("/organisations", {**NEW_ORGANISATION, **change})

    assert response.status_code == 422
    assert field in error_of(response)["fields"]
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    "caller", ["api_admin_a", "api_member_a", "api_admin_b", "api_officer", "api_trainer"]
)
def test_it_lets_no_one_but_coordinators_create(
    request: pytest.FixtureRequest, caller: str, reference: None
) -> None:
    api: ApiClient = request.getfixturevalue(caller)
    before = Organisation.objects.count()

    response = api.post("/organisations", NEW_ORGANISATION)

    assert response.status_code == 403
    assert Organisation.objects.count() == before


def test_it_answers_anonymous_creation_with_401(api_anonymous: ApiClient, reference: None) -> None:
    response = api_anonymous.post("/organisations", NEW_ORGANISATION)

    assert response.status_code == 401
    assert not Organisation.objects.exists()


# --- Changing -----------------------------------------------------------------------------------


def test_it_lets_the_organisations_admin_change_it(
    api_admin_a: ApiClient, admin_a: User, org_a: Organisation
) -> None:
    response = api_admin_a.patch(
        f"/organisations/{org_a.pk}",
        {"description": "Jauns apraksts", "municipalities": ["LV-067", "LV-RIX"]},
    )

    assert response.status_code == 200
    org_a.refresh_from_db()
    assert org_a.description == "Jauns apraksts"
    assert org_a.name == "Ogres Samariešu biedrība"
    assert sorted(response.json()["municipalities"]) == ["LV-067", "LV-RIX"]
    entry = AuditEntry.objects.get(object_type="network.organisation", action="update")
    assert entry.actor == admin_a
    assert set(entry.changes) == {"description", "municipalities"}


def test_it_changes_only_what_was_sent(api_coordinator: ApiClient, org_a: Organisation) -> None:
    api_coordinator.patch(f"/organisations/{org_a.pk}", {"address": "Brīvības iela 1"})

    org_a.refresh_from_db()
    assert org_a.address == "Brīvības iela 1"
    assert org_a.email == "info@ogre-samariesi.example"
    assert list(org_a.target_groups.values_list("code", flat=True)) == ["seniors"]


def test_it_clears_nullable_fields_sent_as_null(
    api_coordinator: ApiClient, org_a: Organisation
) -> None:
    response = api_coordinator.patch(
        f"/organisations/{org_a.pk}",
        {"registration_number": None, "latitude": None, "longitude": None},
    )

    assert response.status_code == 200
    org_a.refresh_from_db()
    assert org_a.registration_number is None
    assert org_a.latitude is None


def test_it_refuses_null_for_fields_that_need_a_value(
    api_coordinator: ApiClient, org_a: Organisation
) -> None:
    response = api_coordinator.patch(
        f"/organisations/{org_a.pk}", {"name": None, "is_public": None}
    )

    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"name", "is_public"}


@pytest.mark.parametrize("caller", ["api_admin_b", "api_member_a", "api_officer", "api_trainer"])
def test_it_refuses_changes_by_others_who_can_see_it(
    request: pytest.FixtureRequest, caller: str, org_a: Organisation
) -> None:
    api: ApiClient = request.getfixturevalue(caller)

    response = api.patch(f"/organisations/{org_a.pk}", {"name": "Pārņemts"})

    assert response.status_code == 403
    org_a.refresh_from_db()
    assert org_a.name == "Ogres Samariešu biedrība"
    assert not AuditEntry.objects.filter(action="update").exists()


def test_it_answers_anonymous_changes_with_401(
    api_anonymous: ApiClient, org_a: Organisation, org_b: Organisation
) -> None:
    for organisation in (org_a, org_b):
        response = api_anonymous.patch(f"/organisations/{organisation.pk}", {"name": "X"})

        assert response.status_code == 401
        assert organisation.name.encode() not in response.content


def test_it_keeps_the_offered_capabilities_when_other_fields_change(
    api_admin_a: ApiClient, org_a: Organisation
) -> None:
    response = api_admin_a.patch(f"/organisations/{org_a.pk}", {"is_public": False})

    assert response.status_code == 200
    assert [offer["code"] for offer in response.json()["capabilities"]] == ["first_aid"]
    assert OrganisationCapability.objects.filter(organisation=org_a).count() == 1
