"""The directory's admin pages: coordinators only, and every save leaves an audit entry."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.conftest import municipality
from noturiba.network.models import (
    Agreement,
    CapabilityType,
    Institution,
    Membership,
    Organisation,
    Person,
)
from noturiba.network.tests.page_helpers import english  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("english")

MODELS = [
    "municipality",
    "capabilitytype",
    "targetgroup",
    "organisation",
    "person",
    "institution",
    "agreement",
]


def inline(prefix: str, rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def organisation_form(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Siguldas Glābēji",
        "registration_number": "40008000055",
        "legal_form": "association",
        "scope": "local",
        "description": "",
        "website": "",
        "email": "",
        "phone": "",
        "address": "",
        "municipality": municipality("LV-091").pk,
        "latitude": "",
        "longitude": "",
        "municipalities": [municipality("LV-091").pk],
        **overrides,
    }


@pytest.mark.parametrize("model", MODELS)
def test_the_coordinator_opens_every_list(client_coordinator: Client, model: str) -> None:
    response = client_coordinator.get(reverse(f"admin:network_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_others_are_kept_out(client_admin_a: Client, org_a: Organisation, model: str) -> None:
    response = client_admin_a.get(reverse(f"admin:network_{model}_changelist"))
    assert response.status_code in {302, 403}
    assert "40008000001" not in response.content.decode()


def test_municipalities_are_read_only(client_coordinator: Client) -> None:
    response = client_coordinator.get(reverse("admin:network_municipality_add"))
    assert response.status_code == 403


def test_adding_an_organisation_with_a_capability_is_audited(
    client_coordinator: Client, coordinator: User
) -> None:
    volunteers = CapabilityType.objects.get(code="volunteers")
    response = client_coordinator.post(
        reverse("admin:network_organisation_add"),
        {
            **organisation_form(phone="29 000 055"),
            **inline("capabilities", [{"capability": volunteers.pk, "quantity": "25"}]),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(name="Siguldas Glābēji")
    assert organisation.phone == "+37129000055"
    assert organisation.search_text  # written by the action
    assert list(organisation.municipalities.values_list("code", flat=True)) == ["LV-091"]
    assert organisation.capabilities.get().quantity == 25
    entries = AuditEntry.objects.filter(object_type="network.organisation", actor=coordinator)
    assert [entry.action for entry in entries.order_by("id")] == ["create", "update"]


def test_changing_an_organisation_records_what_changed(
    client_coordinator: Client, org_a: Organisation
) -> None:
    row = org_a.capabilities.get()
    response = client_coordinator.post(
        reverse("admin:network_organisation_change", args=[org_a.pk]),
        {
            **organisation_form(
                name="Ogres Samarieši",
                registration_number=org_a.registration_number,
                email=org_a.email,
                municipality=municipality("LV-067").pk,
                latitude="56.81620",
                longitude="24.61400",
                municipalities=[municipality("LV-067").pk],
                target_groups=list(org_a.target_groups.values_list("pk", flat=True)),
                is_public="on",
                description=org_a.description,
            ),
            **inline(
                "capabilities",
                [
                    {
                        "id": row.pk,
                        "organisation": org_a.pk,
                        "capability": row.capability_id,
                        "quantity": "12",
                        "startup_hours": "2",
                        "DELETE": "on",
                    }
                ],
                initial=1,
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entries = list(
        AuditEntry.objects.filter(object_type="network.organisation", object_id=org_a.pk).order_by(
            "id"
        )
    )
    assert entries[0].changes == {"name": ["Ogres Samariešu biedrība", "Ogres Samarieši"]}
    assert entries[1].changes["capability:first_aid"][1] is None
    assert not org_a.capabilities.exists()


def test_a_bad_registration_number_is_refused(client_coordinator: Client, reference: None) -> None:
    response = client_coordinator.post(
        reverse("admin:network_organisation_add"),
        {**organisation_form(registration_number="123"), **inline("capabilities", [])},
    )
    assert response.status_code == 200
    assert not Organisation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_deleting_an_organisation_is_audited(
    client_coordinator: Client, org_a: Organisation
) -> None:
    response = client_coordinator.post(
        reverse("admin:network_organisation_delete", args=[org_a.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=org_a.pk).exists()
    assert AuditEntry.objects.filter(
        object_type="network.organisation", action=AuditEntry.Action.DELETE
    ).exists()


def test_adding_an_officer_and_a_membership_is_audited(
    client_coordinator: Client, org_a: Organisation, ogre_commission: Institution
) -> None:
    response = client_coordinator.post(
        reverse("admin:network_person_add"),
        {
            "full_name": "Inese Dzene",
            "email": "inese@ogre.example",
            "phone": "20 000 030",
            "preferred_language": "lv",
            "preferred_channels": '["email"]',
            "second_contact_name": "",
            "second_contact_phone": "",
            "second_contact_email": "",
            "user": "",
            "institution": ogre_commission.pk,
            **inline("memberships", [{"organisation": org_a.pk, "role": "member", "title": ""}]),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(full_name="Inese Dzene")
    assert person.phone == "+37120000030" and person.institution == ogre_commission
    assert Membership.objects.filter(person=person, organisation=org_a).exists()
    changes = [
        entry.changes
        for entry in AuditEntry.objects.filter(
            object_type="network.person", object_id=person.pk
        ).order_by("id")
    ]
    assert changes[0]["institution"] == [None, ogre_commission.name]
    assert changes[1] == {f"membership:{org_a.pk}": [None, "member:"]}


def test_changing_an_agreement_is_audited(
    client_coordinator: Client, org_a: Organisation, ogre_commission: Institution
) -> None:
    agreement = Agreement.objects.create(
        organisation=org_a,
        institution=ogre_commission,
        scope="Pirmā palīdzība",
        signed_on=datetime.date(2024, 1, 1),
    )
    response = client_coordinator.post(
        reverse("admin:network_agreement_change", args=[agreement.pk]),
        {"scope": "Pirmā palīdzība un transports", "signed_on": "2024-01-01", "valid_until": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(object_type="network.agreement", object_id=agreement.pk)
    assert entry.changes == {"scope": ["Pirmā palīdzība", "Pirmā palīdzība un transports"]}


def test_changing_a_capability_type_is_audited(client_coordinator: Client) -> None:
    food = CapabilityType.objects.get(code="food")
    response = client_coordinator.post(
        reverse("admin:network_capabilitytype_change", args=[food.pk]),
        {
            "name_lv": food.name_lv,
            "name_en": "Food",
            "code": food.code,
            "unit": food.unit,
            "hxl_sector": food.hxl_sector,
            "sort_order": food.sort_order,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(object_type="network.capabilitytype")
    assert entry.changes == {"name_en": ["Food and meals", "Food"]}
