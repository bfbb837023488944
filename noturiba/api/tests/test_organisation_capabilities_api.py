"""``/api/v1/organisations/{id}/capabilities[/{code}]``: what one organisation can offer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from noturiba.accounts.models import User
from noturiba.api.tests.conftest import ApiClient, error_of
from noturiba.audit.models import AuditEntry
from noturiba.network.models import CapabilityType, Organisation, OrganisationCapability


def offers_of(organisation: Organisation) -> dict[str, Decimal]:
    return dict(
        OrganisationCapability.objects.filter(organisation=organisation).values_list(
            "capability__code", "quantity"
        )
    )


def test_it_lists_every_declared_capability_including_empty_ones(
    api_member_a: ApiClient, org_a: Organisation
) -> None:
    OrganisationCapability.objects.create(
        organisation=org_a, capability=CapabilityType.objects.get(code="transport"), quantity=0
    )

    response = api_member_a.get(f"/organisations/{org_a.pk}/capabilities")

    assert response.status_code == 200
    assert [(item["code"], item["quantity"]) for item in response.json()["items"]] == [
        ("transport", "0.00"),
        ("first_aid", "12.00"),
    ]


def test_it_shows_one_declared_capability(api_admin_b: ApiClient, org_a: Organisation) -> None:
    response = api_admin_b.get(f"/organisations/{org_a.pk}/capabilities/first_aid")

    assert response.status_code == 200
    assert response.json()["startup_hours"] == 2


@pytest.mark.parametrize("code", ["transport", "teleport", "FIRST_AID", "a" * 41])
def test_it_answers_an_undeclared_or_unknown_capability_with_404(
    api_coordinator: ApiClient, org_a: Organisation, code: str
) -> None:
    response = api_coordinator.get(f"/organisations/{org_a.pk}/capabilities/{code}")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_it_lets_the_admin_declare_a_capability(
    api_admin_a: ApiClient, admin_a: User, org_a: Organisation
) -> None:
    response = api_admin_a.put(
        f"/organisations/{org_a.pk}/capabilities/transport",
        {"quantity": "9", "startup_hours": 4, "availability": "Weekends"},
    )

    assert response.status_code == 200
    assert response.json() == {
        "code": "transport",
        "quantity": "9.00",
        "unit": "seats",
        "startup_hours": 4,
        "availability": "Weekends",
    }
    assert offers_of(org_a) == {"first_aid": Decimal(12), "transport": Decimal(9)}
    entry = AuditEntry.objects.get(object_type="network.organisation", action="update")
    assert entry.actor == admin_a
    assert "capability:transport" in entry.changes


def test_it_changes_a_declared_capability(api_coordinator: ApiClient, org_a: Organisation) -> None:
    response = api_coordinator.put(
        f"/organisations/{org_a.pk}/capabilities/first_aid", {"quantity": 3}
    )

    assert response.status_code == 200
    assert offers_of(org_a) == {"first_aid": Decimal(3)}
    assert response.json()["startup_hours"] is None


def test_it_lets_the_admin_withdraw_a_capability(
    api_admin_a: ApiClient, org_a: Organisation
) -> None:
    response = api_admin_a.delete(f"/organisations/{org_a.pk}/capabilities/first_aid")

    assert response.status_code == 204
    assert offers_of(org_a) == {}


@pytest.mark.parametrize(
    "body", [{"quantity": -1}, {"quantity": "1e20"}, {"quantity": 1, "startup_hours": 99999}, {}]
)
def test_it_refuses_impossible_offers(
    api_admin_a: ApiClient, org_a: Organisation, body: dict[str, object]
) -> None:
    response = api_admin_a.put(f"/organisations/{org_a.pk}/capabilities/first_aid", body)

    assert response.status_code == 422
    assert offers_of(org_a) == {"first_aid": Decimal(12)}


def test_it_answers_declaring_an_unknown_capability_with_404(
    api_admin_a: ApiClient, org_a: Organisation
) -> None:
    response = api_admin_a.put(f"/organisations/{org_a.pk}/capabilities/teleport", {"quantity": 1})

    assert response.status_code == 404


@pytest.mark.parametrize("caller", ["api_admin_b", "api_member_a", "api_officer"])
def test_it_lets_no_one_else_change_capabilities(
    request: pytest.FixtureRequest, caller: str, org_a: Organisation
) -> None:
    api: ApiClient = request.getfixturevalue(caller)

    put = api.put(f"/organisations/{org_a.pk}/capabilities/first_aid", {"quantity": 0})
    delete = api.delete(f"/organisations/{org_a.pk}/capabilities/first_aid")

    assert put.status_code == delete.status_code == 403
    assert offers_of(org_a) == {"first_aid": Decimal(12)}


def test_it_answers_anonymous_callers_with_401_and_no_capabilities(
    api_anonymous: ApiClient, org_a: Organisation
) -> None:
    listed = api_anonymous.get(f"/organisations/{org_a.pk}/capabilities")
    changed = api_anonymous.put(
        f"/organisations/{org_a.pk}/capabilities/first_aid", {"quantity": 0}
    )

    assert listed.status_code == changed.status_code == 401
    assert b"first_aid" not in listed.content
    assert offers_of(org_a) == {"first_aid": Decimal(12)}


def test_it_answers_for_a_missing_organisation_with_404(
    api_coordinator: ApiClient, reference: None
) -> None:
    assert api_coordinator.get("/organisations/424242/capabilities").status_code == 404
    assert (
        api_coordinator.put(
            "/organisations/424242/capabilities/transport", {"quantity": 1}
        ).status_code
        == 404
    )
