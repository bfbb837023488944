"""``/api/v1/people``: people whose contacts the caller may see, adding and changing them."""

from __future__ import annotations

from typing import Any

import pytest

from noturiba.accounts.models import User
from noturiba.api.tests.conftest import ApiClient, error_of
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Membership, Organisation, Person

EVERYONE = ["admin_a", "member_a", "admin_b", "officer", "trainer", "coordinator"]


def person_of(user: User) -> Person:
    return Person.objects.get(user=user)


def emails(response: Any) -> list[str]:
    return sorted(item["email"] for item in response.json()["items"])


@pytest.fixture
def everyone(request: pytest.FixtureRequest) -> dict[str, User]:
    return {name: request.getfixturevalue(name) for name in EVERYONE}


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        (
            "api_coordinator",
            ["admin.a@", "admin.b@", "member.a@", "officer@"],
        ),
        ("api_admin_a", ["admin.a@", "member.a@"]),
        ("api_member_a", ["admin.a@", "member.a@"]),
        ("api_admin_b", ["admin.b@"]),
        # The Ogre officer sees Ogre's organisations' people and their own institution's.
        ("api_officer", ["admin.a@", "member.a@", "officer@"]),
        ("api_trainer", []),
    ],
)
def test_it_lists_only_people_whose_contacts_the_caller_may_see(
    request: pytest.FixtureRequest, everyone: dict[str, User], caller: str, expected: list[str]
) -> None:
    api: ApiClient = request.getfixturevalue(caller)

    response = api.get("/people")

    assert response.status_code == 200
    assert [email.split("@")[0] + "@" for email in emails(response)] == expected


def test_it_lists_the_people_of_one_organisation(
    api_officer: ApiClient, everyone: dict[str, User], org_a: Organisation
) -> None:
    response = api_officer.get("/people", {"organisation": org_a.pk})

    assert emails(response) == ["admin.a@noturiba.example", "member.a@noturiba.example"]


def test_it_lists_no_one_of_an_organisation_whose_contacts_are_hidden(
    api_admin_a: ApiClient, everyone: dict[str, User], org_b: Organisation
) -> None:
    response = api_admin_a.get("/people", {"organisation": org_b.pk})

    assert response.status_code == 200
    assert response.json()["items"] == []
    assert b"admin.b@" not in response.content


def test_it_gives_each_person_their_contacts_and_roles(
    api_admin_a: ApiClient, member_a: User, org_a: Organisation
) -> None:
    response = api_admin_a.get(f"/people/{person_of(member_a).pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["phone"] == "+37120000002"
    assert body["memberships"] == [
        {
            "organisation": org_a.pk,
            "organisation_name": org_a.name,
            "role": "member",
            "title": "",
        }
    ]


def test_it_hides_a_person_from_callers_who_may_not_see_them(
    api_admin_b: ApiClient, member_a: User
) -> None:
    response = api_admin_b.get(f"/people/{person_of(member_a).pk}")

    assert response.status_code == 404
    assert b"member.a@" not in response.content
    assert b"+37120000002" not in response.content


def test_it_answers_anonymous_callers_with_401_and_no_people(
    api_anonymous: ApiClient, member_a: User
) -> None:
    listed = api_anonymous.get("/people")
    one = api_anonymous.get(f"/people/{person_of(member_a).pk}")

    assert listed.status_code == one.status_code == 401
    assert b"member.a@" not in listed.content + one.content


# --- Adding -------------------------------------------------------------------------------------

NEW_PERSON = {
    "full_name": "Līga Kalēja",
    "email": "Liga@Example.LV",
    "phone": "26 000 111",
    "preferred_language": "uk",
    "preferred_channels": ["sms", "email"],
    "second_contact_name": "Pēteris Kalējs",
    "second_contact_phone": "+44 20 7946 0958",
    "title": "Brīvprātīgo koordinatore",
}


def test_it_lets_the_admin_add_a_person_to_their_organisation(
    api_admin_a: ApiClient, admin_a: User, org_a: Organisation
) -> None:
    response = api_admin_a.post(f"/organisations/{org_a.pk}/people", NEW_PERSON)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "liga@example.lv"
    assert body["phone"] == "+37126000111"
    assert body["second_contact_phone"] == "+442079460958"
    assert body["preferred_channels"] == ["sms", "email"]
    assert body["memberships"][0]["role"] == "member"
    assert body["memberships"][0]["title"] == "Brīvprātīgo koordinatore"
    entry = AuditEntry.objects.get(object_type="network.person", action="create")
    assert entry.actor == admin_a


def test_it_refuses_a_phone_number_that_is_not_one(
    api_admin_a: ApiClient, org_a: Organisation
) -> None:
    response = api_admin_a.post(
        f"/organisations/{org_a.pk}/people",
        {**NEW_PERSON, "phone": "12345", "second_contact_phone": "call me"},
    )

    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"phone", "second_contact_phone"}
    assert not Person.objects.filter(full_name="Līga Kalēja").exists()


@pytest.mark.parametrize("body", [{"full_name": ""}, {"preferred_channels": ["pigeon"]}])
def test_it_refuses_invalid_people(
    api_admin_a: ApiClient, org_a: Organisation, body: dict[str, Any]
) -> None:
    response = api_admin_a.post(f"/organisations/{org_a.pk}/people", {**NEW_PERSON, **body})

    assert response.status_code == 422
    assert not Person.objects.filter(email="liga@example.lv").exists()


@pytest.mark.parametrize("caller", ["api_admin_b", "api_member_a", "api_officer", "api_trainer"])
def test_it_lets_no_one_else_add_people(
    request: pytest.FixtureRequest, caller: str, org_a: Organisation
) -> None:
    api: ApiClient = request.getfixturevalue(caller)

    response = api.post(f"/organisations/{org_a.pk}/people", NEW_PERSON)

    assert response.status_code == 403
    assert not Membership.objects.filter(person__full_name="Līga Kalēja").exists()


# --- Changing -----------------------------------------------------------------------------------


def test_it_lets_the_admin_change_a_member(
    api_admin_a: ApiClient, admin_a: User, member_a: User
) -> None:
    person = person_of(member_a)

    response = api_admin_a.patch(f"/people/{person.pk}", {"phone": "+371 26 999 888"})

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.phone == "+37126999888"
    assert person.full_name == "Mārtiņš Bērziņš"
    entry = AuditEntry.objects.get(object_type="network.person", action="update")
    assert entry.actor == admin_a
    assert entry.changes == {"phone": ["+37120000002", "+37126999888"]}


def test_it_lets_a_person_change_their_own_contacts(
    api_member_a: ApiClient, member_a: User
) -> None:
    response = api_member_a.patch(f"/people/{person_of(member_a).pk}", {"preferred_language": "en"})

    assert response.status_code == 200
    assert response.json()["preferred_language"] == "en"


def test_it_refuses_changes_by_someone_who_only_sees_the_person(
    api_member_a: ApiClient, admin_a: User
) -> None:
    person = person_of(admin_a)

    response = api_member_a.patch(f"/people/{person.pk}", {"full_name": "Cits vārds"})

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.full_name == "Anna Ozola"


def test_it_answers_changes_to_a_hidden_person_with_404(
    api_admin_b: ApiClient, member_a: User
) -> None:
    person = person_of(member_a)

    response = api_admin_b.patch(f"/people/{person.pk}", {"full_name": "Cits vārds"})

    assert response.status_code == 404
    assert b"member.a@" not in response.content
    person.refresh_from_db()
    assert person.full_name == "Mārtiņš Bērziņš"


def test_it_refuses_an_invalid_phone_on_change(api_admin_a: ApiClient, member_a: User) -> None:
    response = api_admin_a.patch(f"/people/{person_of(member_a).pk}", {"phone": "0"})

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["phone"]
