from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.network import actions
from noturiba.network.models import Institution, Membership, Organisation, Person


def entries_for(person: Person) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type="network.person", object_id=str(person.pk)).order_by(
            "id"
        )
    )


PERSON = {
    "full_name": "Līga Kalēja",
    "email": " Liga.Kaleja@Example.LV ",
    "phone": "20 000 010",
    "preferred_language": "lv",
    "preferred_channels": ["sms", "email", "sms"],
    "second_contact_name": "Pēteris Kalējs",
    "second_contact_phone": "0037120000011",
}


def test_an_admin_adds_a_person_to_their_organisation(admin_a: User, org_a: Organisation) -> None:
    person = actions.create_person(
        admin_a, organisation=org_a, data=PERSON, role=Membership.Role.MEMBER, title="Brīvprātīgā"
    )
    assert person.email == "liga.kaleja@example.lv"
    assert person.phone == "+37120000010"
    assert person.second_contact_phone == "+37120000011"
    assert person.preferred_channels == ["sms", "email"]
    membership = Membership.objects.get(person=person)
    assert (membership.organisation, membership.role, membership.title) == (
        org_a,
        "member",
        "Brīvprātīgā",
    )
    [entry] = entries_for(person)
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == admin_a
    assert entry.changes["phone"] == [None, "+37120000010"]
    assert entry.changes["membership"] == [None, f"{org_a.pk}:member"]


@pytest.mark.parametrize("field", ["phone", "second_contact_phone"])
def test_it_rejects_an_invalid_phone(admin_a: User, org_a: Organisation, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_person(admin_a, organisation=org_a, data={**PERSON, field: "123"})
    assert field in caught.value.message_dict
    assert not Person.objects.filter(full_name="Līga Kalēja").exists()


def test_it_rejects_an_unknown_channel(admin_a: User, org_a: Organisation) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_person(
            admin_a, organisation=org_a, data={**PERSON, "preferred_channels": ["pigeon"]}
        )
    assert "preferred_channels" in caught.value.message_dict


@pytest.mark.parametrize("intruder", ["admin_b", "member_a", "officer", "trainer"])
def test_it_denies_adding_people_to_a_foreign_organisation(
    request: pytest.FixtureRequest, org_a: Organisation, intruder: str
) -> None:
    user = request.getfixturevalue(intruder)
    with pytest.raises(PermissionDenied):
        actions.create_person(user, organisation=org_a, data=PERSON)
    assert not Person.objects.filter(full_name="Līga Kalēja").exists()


def test_a_foreign_admin_may_not_edit_a_person(admin_b: User, member_a: User) -> None:
    person = Person.objects.get(user=member_a)
    with pytest.raises(PermissionDenied):
        actions.update_person(admin_b, person=person, data={"phone": "+37120000099"})
    assert entries_for(person) == []


def test_it_records_what_changed_on_a_person(admin_a: User, member_a: User) -> None:
    person = Person.objects.get(user=member_a)
    actions.update_person(
        admin_a, person=person, data={"phone": "+371 20 000 099", "preferred_language": "en"}
    )
    [entry] = entries_for(person)
    assert entry.actor == admin_a
    assert entry.changes == {
        "phone": ["+37120000002", "+37120000099"],
        "preferred_language": ["lv", "en"],
    }


def test_a_person_edits_their_own_record(member_a: User) -> None:
    person = Person.objects.get(user=member_a)
    actions.update_person(member_a, person=person, data={"second_contact_name": "Māte"})
    person.refresh_from_db()
    assert person.second_contact_name == "Māte"


def test_roles_change_and_end_with_audit_entries(admin_a: User, member_a: User) -> None:
    person = Person.objects.get(user=member_a)
    organisation = person.organisations.get()
    actions.set_membership(
        admin_a, person=person, organisation=organisation, role="admin", title="Valde"
    )
    membership = Membership.objects.get(person=person)
    assert (membership.role, membership.title) == ("admin", "Valde")
    actions.remove_membership(admin_a, membership=membership)
    assert not Membership.objects.filter(person=person).exists()
    changes = [entry.changes for entry in entries_for(person)]
    key = f"membership:{organisation.pk}"
    assert changes == [{key: ["member:", "admin:Valde"]}, {key: ["admin:Valde", None]}]


def test_a_foreign_admin_may_not_end_a_membership(admin_b: User, member_a: User) -> None:
    membership = Membership.objects.get(person__user=member_a)
    with pytest.raises(PermissionDenied):
        actions.remove_membership(admin_b, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_coordinators_create_officers_and_link_accounts(
    coordinator: User, trainer: User, ogre_commission: Institution
) -> None:
    officer = actions.create_standalone_person(
        coordinator, data={"full_name": "Inese Dzene"}, institution=ogre_commission
    )
    assert officer.institution == ogre_commission
    actions.link_person(coordinator, person=officer, user=trainer, institution=None)
    officer.refresh_from_db()
    assert officer.user == trainer and officer.institution is None
    created, linked = entries_for(officer)
    assert created.changes["institution"] == [None, str(ogre_commission)]
    assert linked.changes == {
        "institution": [str(ogre_commission), None],
        "user": [None, str(trainer)],
    }


def test_only_coordinators_create_standalone_people(admin_a: User) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_standalone_person(admin_a, data={"full_name": "Kāds"})
