from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Membership, Organisation, Person
from noturiba.network.tests.page_helpers import english  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("english")


def person_data(**overrides: Any) -> dict[str, Any]:
    return {
        "full_name": "Līga Kalēja",
        "email": "liga@example.lv",
        "phone": "20 000 010",
        "preferred_language": "lv",
        "channels": "sms,email",
        "second_contact_name": "Pēteris Kalējs",
        "second_contact_phone": "+371 20 000 011",
        "second_contact_email": "",
        "role": "member",
        "title": "Brīvprātīgā",
        **overrides,
    }


def test_the_people_page_lists_contacts_for_the_organisations_own(
    client_member_a: Client, admin_a: User, org_a: Organisation
) -> None:
    response = client_member_a.get(reverse("network:organisation_people", args=[org_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert admin_a.full_name in body and "+37120000001" in body
    assert "Change role" not in body  # members do not manage roles


def test_the_people_page_is_forbidden_to_outsiders(
    client_admin_b: Client, admin_a: User, org_a: Organisation
) -> None:
    response = client_admin_b.get(reverse("network:organisation_people", args=[org_a.pk]))
    assert response.status_code == 403
    assert "+37120000001" not in response.content.decode()


def test_the_people_page_costs_the_same_for_any_number_of_people(
    client_coordinator: Client,
    coordinator: User,
    org_a: Organisation,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    url = reverse("network:organisation_people", args=[org_a.pk])
    for number in range(2):
        person = Person.objects.create(full_name=f"Persona {number}", phone=f"+3712000010{number}")
        Membership.objects.create(person=person, organisation=org_a)
    with CaptureQueriesContext(connection) as few:
        client_coordinator.get(url)
    for number in range(2, 20):
        person = Person.objects.create(full_name=f"Persona {number}")
        Membership.objects.create(person=person, organisation=org_a)
    with django_assert_num_queries(len(few)):
        client_coordinator.get(url)


def test_a_person_page_shows_contacts_and_the_second_contact(
    client_admin_a: Client, member_a: User
) -> None:
    person = Person.objects.get(user=member_a)
    person.second_contact_name = "Māra Bērziņa"
    person.second_contact_phone = "+37120000020"
    person.preferred_channels = ["sms", "email"]
    person.save()
    response = client_admin_a.get(reverse("network:person", args=[person.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "+37120000002" in body and member_a.email in body
    assert "Māra Bērziņa" in body and "+37120000020" in body
    assert "SMS, then email" in body
    assert reverse("network:person_edit", args=[person.pk]) in body


def test_a_person_page_is_404_for_those_who_may_not_see_contacts(
    client_admin_b: Client, member_a: User
) -> None:
    person = Person.objects.get(user=member_a)
    response = client_admin_b.get(reverse("network:person", args=[person.pk]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "+37120000002" not in body and member_a.email not in body


def test_an_admin_adds_a_person_with_a_role(
    client_admin_a: Client, admin_a: User, org_a: Organisation
) -> None:
    url = reverse("network:person_add", args=[org_a.pk])
    form = client_admin_a.get(url).content.decode()
    assert 'name="role"' in form and 'name="channels"' in form
    assert '<option value="email,sms" selected>' in form  # a sensible default order
    response = client_admin_a.post(url, person_data())
    person = Person.objects.get(full_name="Līga Kalēja")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:person", args=[person.pk])
    assert person.phone == "+37120000010"
    assert person.second_contact_phone == "+37120000011"
    assert person.preferred_channels == ["sms", "email"]
    membership = Membership.objects.get(person=person)
    assert (membership.organisation, membership.title) == (org_a, "Brīvprātīgā")
    entry = AuditEntry.objects.get(object_type="network.person", object_id=person.pk)
    assert entry.actor == admin_a and entry.action == AuditEntry.Action.CREATE


def test_an_invalid_phone_is_shown_next_to_the_field(
    client_admin_a: Client, org_a: Organisation
) -> None:
    response = client_admin_a.post(
        reverse("network:person_add", args=[org_a.pk]), person_data(second_contact_phone="12")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_second_contact_phone_error"' in body
    assert "Enter a phone number" in body
    assert not Person.objects.filter(full_name="Līga Kalēja").exists()


def test_a_foreign_admin_may_not_add_people(client_admin_b: Client, org_a: Organisation) -> None:
    response = client_admin_b.post(reverse("network:person_add", args=[org_a.pk]), person_data())
    assert response.status_code == 403
    assert not Person.objects.filter(full_name="Līga Kalēja").exists()


def test_an_admin_edits_a_person_and_the_audit_records_it(
    client_admin_a: Client, admin_a: User, member_a: User
) -> None:
    person = Person.objects.get(user=member_a)
    url = reverse("network:person_edit", args=[person.pk])
    form = client_admin_a.get(url).content.decode()
    assert 'value="+37120000002"' in form
    response = client_admin_a.post(
        url, person_data(full_name=person.full_name, email=member_a.email, phone="+37120000099")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "+37120000099"
    entry = AuditEntry.objects.get(object_type="network.person", object_id=person.pk)
    assert entry.actor == admin_a
    assert entry.changes["phone"] == ["+37120000002", "+37120000099"]


def test_an_officer_sees_but_may_not_edit(client_officer: Client, member_a: User) -> None:
    person = Person.objects.get(user=member_a)
    url = reverse("network:person_edit", args=[person.pk])
    response = client_officer.post(url, person_data(phone="+37120000099"))
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.phone == "+37120000002"


def test_an_admin_changes_a_role(
    client_admin_a: Client, member_a: User, org_a: Organisation
) -> None:
    person = Person.objects.get(user=member_a)
    url = reverse("network:membership_edit", args=[org_a.pk, person.pk])
    assert client_admin_a.get(url).status_code == 200
    response = client_admin_a.post(url, {"role": "admin", "title": "Valdes locekle"})
    assert response.status_code == 302
    membership = Membership.objects.get(person=person, organisation=org_a)
    assert (membership.role, membership.title) == ("admin", "Valdes locekle")


def test_an_admin_removes_a_membership_after_confirming(
    client_admin_a: Client, member_a: User, org_a: Organisation
) -> None:
    person = Person.objects.get(user=member_a)
    url = reverse("network:membership_remove", args=[org_a.pk, person.pk])
    confirm = client_admin_a.get(url)
    assert confirm.status_code == 200 and "Remove from organisation" in confirm.content.decode()
    assert client_admin_a.post(url).status_code == 302
    assert not Membership.objects.filter(person=person, organisation=org_a).exists()
    assert Person.objects.filter(pk=person.pk).exists()
    assert AuditEntry.objects.filter(object_type="network.person", object_id=person.pk).exists()


@pytest.mark.parametrize("page", ["network:membership_edit", "network:membership_remove"])
def test_a_foreign_admin_may_not_manage_memberships(
    client_admin_b: Client, member_a: User, org_a: Organisation, page: str
) -> None:
    person = Person.objects.get(user=member_a)
    response = client_admin_b.post(reverse(page, args=[org_a.pk, person.pk]), {"role": "admin"})
    assert response.status_code == 403
    assert Membership.objects.get(person=person).role == "member"


def test_a_membership_of_another_organisation_is_404(
    client_admin_a: Client, admin_b: User, org_a: Organisation
) -> None:
    person = Person.objects.get(user=admin_b)
    url = reverse("network:membership_remove", args=[org_a.pk, person.pk])
    assert client_admin_a.post(url).status_code == 404
    assert Membership.objects.filter(person=person).exists()
