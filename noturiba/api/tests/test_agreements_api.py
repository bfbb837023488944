"""``/api/v1/agreements``: cooperation agreements between organisations and institutions."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from noturiba.accounts.models import User
from noturiba.api.tests.conftest import ApiClient, error_of
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Agreement, Institution, Organisation


@pytest.fixture
def agreement(org_a: Organisation, ogre_commission: Institution) -> Agreement:
    return Agreement.objects.create(
        organisation=org_a,
        institution=ogre_commission,
        scope="Pirmā palīdzība evakuācijas punktos",
        signed_on=datetime.date(2024, 3, 1),
    )


def new_agreement(organisation: Organisation, institution: Institution) -> dict[str, Any]:
    return {
        "organisation": organisation.pk,
        "institution": institution.pk,
        "scope": "Transports evakuācijai",
        "signed_on": "2025-02-01",
        "valid_until": "2027-01-31",
    }


@pytest.mark.parametrize(
    "caller", ["api_coordinator", "api_admin_a", "api_member_a", "api_officer"]
)
def test_it_lists_agreements_to_the_parties_and_coordinators(
    request: pytest.FixtureRequest, caller: str, agreement: Agreement
) -> None:
    api: ApiClient = request.getfixturevalue(caller)

    response = api.get("/agreements")

    assert response.status_code == 200
    assert response.json()["items"] == [
        {
            "id": agreement.pk,
            "organisation": agreement.organisation_id,
            "organisation_name": "Ogres Samariešu biedrība",
            "institution": agreement.institution_id,
            "institution_name": "Ogres novada civilās aizsardzības komisija",
            "scope": "Pirmā palīdzība evakuācijas punktos",
            "signed_on": "2024-03-01",
            "valid_until": None,
            "is_valid": True,
        }
    ]


@pytest.mark.parametrize("caller", ["api_admin_b", "api_trainer"])
def test_it_hides_agreements_from_outsiders(
    request: pytest.FixtureRequest, caller: str, agreement: Agreement
) -> None:
    api: ApiClient = request.getfixturevalue(caller)

    listed = api.get("/agreements")
    one = api.get(f"/agreements/{agreement.pk}")

    assert listed.json()["items"] == []
    assert one.status_code == 404
    assert b"evaku" not in listed.content + one.content


def test_it_answers_anonymous_callers_with_401(
    api_anonymous: ApiClient, agreement: Agreement
) -> None:
    assert api_anonymous.get("/agreements").status_code == 401
    assert api_anonymous.get(f"/agreements/{agreement.pk}").status_code == 401


def test_it_lets_a_coordinator_record_an_agreement(
    api_coordinator: ApiClient, coordinator: User, org_b: Organisation, ogre_commission: Institution
) -> None:
    response = api_coordinator.post("/agreements", new_agreement(org_b, ogre_commission))

    assert response.status_code == 201, response.content
    assert response.json()["organisation_name"] == "Liepājas Jauniešu centrs"
    assert response.json()["valid_until"] == "2027-01-31"
    entry = AuditEntry.objects.get(object_type="network.agreement", action="create")
    assert entry.actor == coordinator


@pytest.mark.parametrize("caller", ["api_admin_a", "api_officer", "api_trainer"])
def test_it_lets_no_one_but_coordinators_record_agreements(
    request: pytest.FixtureRequest, caller: str, org_a: Organisation, ogre_commission: Institution
) -> None:
    api: ApiClient = request.getfixturevalue(caller)

    response = api.post("/agreements", new_agreement(org_a, ogre_commission))

    assert response.status_code == 403
    assert not Agreement.objects.exists()


def test_it_reports_unknown_parties_by_field(api_coordinator: ApiClient, reference: None) -> None:
    response = api_coordinator.post(
        "/agreements",
        {"organisation": 404, "institution": 405, "scope": "X", "signed_on": "2025-01-01"},
    )

    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"organisation", "institution"}


@pytest.mark.parametrize(
    "change",
    [
        {"signed_on": "2025-02-30"},
        {"signed_on": "yesterday"},
        {"scope": ""},
        {"valid_until": "2020-01-01"},
    ],
)
def test_it_refuses_invalid_agreements(
    api_coordinator: ApiClient,
    org_a: Organisation,
    ogre_commission: Institution,
    change: dict[str, str],
) -> None:
    response = api_coordinator.post(
        "/agreements", {**new_agreement(org_a, ogre_commission), **change}
    )

    assert response.status_code == 422
    assert not Agreement.objects.exists()
