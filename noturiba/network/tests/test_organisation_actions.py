from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.conftest import municipality
from noturiba.network import actions
from noturiba.network.models import (
    Agreement,
    CapabilityType,
    Institution,
    Membership,
    Organisation,
    OrganisationCapability,
    TargetGroup,
)


def entries_for(instance: object) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type=instance._meta.label_lower,  # type: ignore[attr-defined]
            object_id=str(instance.pk),  # type: ignore[attr-defined]
        ).order_by("id")
    )


def test_it_creates_an_organisation_with_an_audit_entry(coordinator: User) -> None:
    organisation = actions.create_organisation(
        coordinator,
        data={
            "name": "Cēsu Brīvprātīgie",
            "registration_number": " 40008000099 ",
            "phone": "26 123 456",
            "municipality": municipality("LV-022"),
        },
        municipalities=[municipality("LV-022")],
        target_groups=[TargetGroup.objects.get(code="seniors")],
    )
    assert organisation.registration_number == "40008000099"
    assert organisation.phone == "+37126123456"
    assert organisation.search_text == "cesu brivpratigie 40008000099"
    [entry] = entries_for(organisation)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == coordinator
    assert entry.changes["name"] == [None, "Cēsu Brīvprātīgie"]
    assert entry.changes["municipalities"] == [None, ["LV-022"]]
    assert entry.changes["target_groups"] == [None, ["seniors"]]


def test_it_records_who_changed_what(admin_a: User, org_a: Organisation) -> None:
    actions.update_organisation(
        admin_a,
        organisation=org_a,
        data={"name": "Ogres Samarieši", "website": "https://samariesi.example"},
        municipalities=[municipality("LV-067"), municipality("LV-RIX")],
    )
    [entry] = entries_for(org_a)
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.actor == admin_a and entry.actor_label == admin_a.email
    assert entry.changes == {
        "name": ["Ogres Samariešu biedrība", "Ogres Samarieši"],
        "website": ["", "https://samariesi.example"],
        "municipalities": [["LV-067"], ["LV-067", "LV-RIX"]],
    }


def test_an_update_that_changes_nothing_leaves_no_entry(admin_a: User, org_a: Organisation) -> None:
    actions.update_organisation(admin_a, organisation=org_a, data={"name": org_a.name})
    assert entries_for(org_a) == []


@pytest.mark.parametrize("number", ["123", "4000800000A", "30008000001", "400080000011"])
def test_it_rejects_a_malformed_registration_number(coordinator: User, number: str) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_organisation(
            coordinator, data={"name": "Jauna biedrība", "registration_number": number}
        )
    assert "registration_number" in caught.value.message_dict
    assert not Organisation.objects.filter(name="Jauna biedrība").exists()


def test_it_rejects_a_duplicate_registration_number(coordinator: User, org_a: Organisation) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_organisation(
            coordinator, data={"name": "Dublikāts", "registration_number": "40008000001"}
        )
    assert "registration_number" in caught.value.message_dict
    assert not AuditEntry.objects.filter(object_label="Dublikāts").exists()


@pytest.mark.parametrize("phone", ["12345", "+371 1234", "tālrunis"])
def test_it_rejects_an_invalid_phone(admin_a: User, org_a: Organisation, phone: str) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.update_organisation(admin_a, organisation=org_a, data={"phone": phone})
    assert "phone" in caught.value.message_dict
    org_a.refresh_from_db()
    assert org_a.phone == ""


def test_it_accepts_an_international_phone(admin_a: User, org_a: Organisation) -> None:
    actions.update_organisation(admin_a, organisation=org_a, data={"phone": "+44 20 7946 0958"})
    org_a.refresh_from_db()
    assert org_a.phone == "+442079460958"


@pytest.mark.parametrize("intruder", ["admin_b", "member_a", "officer", "trainer"])
def test_it_denies_edits_by_anyone_but_the_coordinator_and_own_admins(
    request: pytest.FixtureRequest, org_a: Organisation, intruder: str
) -> None:
    user = request.getfixturevalue(intruder)
    with pytest.raises(PermissionDenied):
        actions.update_organisation(user, organisation=org_a, data={"name": "Pārņemta"})
    with pytest.raises(PermissionDenied):
        actions.set_capability(
            user,
            organisation=org_a,
            capability=CapabilityType.objects.get(code="food"),
            quantity=Decimal(1),
        )
    org_a.refresh_from_db()
    assert org_a.name == "Ogres Samariešu biedrība"
    assert entries_for(org_a) == []


def test_only_coordinators_create_and_delete(admin_a: User, org_a: Organisation) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_organisation(admin_a, data={"name": "Cita"})
    with pytest.raises(PermissionDenied):
        actions.delete_organisation(admin_a, organisation=org_a)


def test_set_capabilities_sets_the_listed_and_removes_the_rest(
    admin_a: User, org_a: Organisation
) -> None:
    food = CapabilityType.objects.get(code="food")
    first_aid = CapabilityType.objects.get(code="first_aid")
    actions.set_capabilities(
        admin_a,
        organisation=org_a,
        offers=[
            actions.CapabilityOffer(
                capability=first_aid, quantity=Decimal("12.00"), startup_hours=2
            ),
            actions.CapabilityOffer(
                capability=food, quantity=Decimal(50), availability="Darbdienās"
            ),
        ],
    )
    rows = {row.capability.code: row for row in org_a.capabilities.select_related("capability")}
    assert set(rows) == {"first_aid", "food"}
    assert rows["food"].availability == "Darbdienās"
    # First aid was unchanged (12 == 12.00): only food's arrival is recorded.
    [entry] = entries_for(org_a)
    assert list(entry.changes) == ["capability:food"]
    actions.set_capabilities(admin_a, organisation=org_a, offers=[])
    assert not org_a.capabilities.exists()
    assert entries_for(org_a)[-1].changes["capability:first_aid"][1] is None


def test_deleting_an_organisation_audits_its_agreements_and_memberships(
    coordinator: User, admin_a: User, org_a: Organisation, ogre_commission: Institution
) -> None:
    agreement = Agreement.objects.create(
        organisation=org_a,
        institution=ogre_commission,
        scope="Pirmā palīdzība",
        signed_on=datetime.date(2024, 1, 1),
    )
    person = Membership.objects.get(organisation=org_a).person
    organisation_id = org_a.pk
    actions.delete_organisation(coordinator, organisation=org_a)
    assert not Organisation.objects.filter(name="Ogres Samariešu biedrība").exists()
    assert not OrganisationCapability.objects.exists()
    assert AuditEntry.objects.filter(
        object_type="network.organisation", action=AuditEntry.Action.DELETE
    ).exists()
    assert entries_for(agreement)[-1].action == AuditEntry.Action.DELETE
    assert entries_for(person)[-1].changes == {f"membership:{organisation_id}": ["admin:", None]}
