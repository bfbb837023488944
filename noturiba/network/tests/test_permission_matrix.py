"""Every role × every directory page × own/foreign object → the expected status, and no leaks.

"a" objects belong to organisation A (Ogre, public): its member's person, an agreement with
Ogre's civil protection commission. "b" objects belong to organisation B (Liepāja, not public).
A denied answer must not carry the protected data: the people's phones and emails, and for the
public, B's name.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for, municipality
from noturiba.network.models import Agreement, Institution, Membership, Organisation, Person
from noturiba.network.tests.page_helpers import english  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("english")

ROLES = ["anonymous", "coordinator", "admin_a", "member_a", "admin_b", "officer", "trainer"]
LOGIN = 302  # anonymous visitors are sent to the sign-in page


@dataclass
class World:
    users: dict[str, User]
    organisations: dict[str, Organisation]
    people: dict[str, Person]
    institutions: dict[str, Institution]
    agreements: dict[str, Agreement]

    def client(self, role: str) -> Client:
        return Client() if role == "anonymous" else client_for(self.users[role])


@pytest.fixture
def world(
    coordinator: User,
    admin_a: User,
    member_a: User,
    admin_b: User,
    officer: User,
    trainer: User,
    org_a: Organisation,
    org_b: Organisation,
    ogre_commission: Institution,
) -> World:
    liepaja = Institution.objects.create(
        name="Liepājas pašvaldības civilās aizsardzības komisija",
        kind=Institution.Kind.MUNICIPALITY,
    )
    liepaja.municipalities.set([municipality("LV-LPX")])
    signed = datetime.date(2024, 3, 1)
    return World(
        users={
            "coordinator": coordinator,
            "admin_a": admin_a,
            "member_a": member_a,
            "admin_b": admin_b,
            "officer": officer,
            "trainer": trainer,
        },
        organisations={"a": org_a, "b": org_b},
        people={"a": Person.objects.get(user=member_a), "b": Person.objects.get(user=admin_b)},
        institutions={"a": ogre_commission, "b": liepaja},
        agreements={
            "a": Agreement.objects.create(
                organisation=org_a,
                institution=ogre_commission,
                scope="Senioru atbalsts",
                signed_on=signed,
            ),
            "b": Agreement.objects.create(
                organisation=org_b, institution=liepaja, scope="Transports", signed_on=signed
            ),
        },
    )


Url = Callable[[World, str], str]


def _org(name: str) -> Url:
    return lambda world, side: reverse(name, args=[world.organisations[side].pk])


def _person(name: str) -> Url:
    return lambda world, side: reverse(name, args=[world.people[side].pk])


def _institution(name: str) -> Url:
    return lambda world, side: reverse(name, args=[world.institutions[side].pk])


def _agreement(name: str) -> Url:
    return lambda world, side: reverse(name, args=[world.agreements[side].pk])


def _membership(name: str) -> Url:
    return lambda world, side: reverse(
        name, args=[world.organisations[side].pk, world.people[side].pk]
    )


def _plain(name: str) -> Url:
    return lambda world, side: reverse(name)


# page → (url, {role: (status for "a", status for "b")}); pages without an object use "a" only.
EVERYONE_OK = dict.fromkeys(ROLES, (200, 200))
SIGNED_IN_OK = {**EVERYONE_OK, "anonymous": (LOGIN, LOGIN)}
COORDINATOR_ONLY = {
    **dict.fromkeys(ROLES, (403, 403)),
    "anonymous": (LOGIN, LOGIN),
    "coordinator": (200, 200),
}
OWN_ORGANISATION_ADMINS = {
    "anonymous": (LOGIN, LOGIN),
    "coordinator": (200, 200),
    "admin_a": (200, 403),
    "member_a": (403, 403),
    "admin_b": (403, 200),
    "officer": (403, 403),
    "trainer": (403, 403),
}
PAGES: dict[str, tuple[Url, dict[str, tuple[int, int]]]] = {
    "directory": (_plain("network:directory"), EVERYONE_OK),
    "organisation": (_org("network:organisation"), {**EVERYONE_OK, "anonymous": (200, 404)}),
    "organisation_edit": (_org("network:organisation_edit"), OWN_ORGANISATION_ADMINS),
    "organisation_create": (_plain("network:organisation_create"), COORDINATOR_ONLY),
    "organisation_delete": (_org("network:organisation_delete"), COORDINATOR_ONLY),
    "organisation_people": (
        _org("network:organisation_people"),
        {
            "anonymous": (LOGIN, LOGIN),
            "coordinator": (200, 200),
            "admin_a": (200, 403),
            "member_a": (200, 403),
            "admin_b": (403, 200),
            "officer": (200, 403),  # Ogre's officer sees Ogre's organisations' contacts
            "trainer": (403, 403),
        },
    ),
    "person": (
        _person("network:person"),
        {
            "anonymous": (LOGIN, LOGIN),
            "coordinator": (200, 200),
            "admin_a": (200, 404),
            "member_a": (200, 404),
            "admin_b": (404, 200),
            "officer": (200, 404),
            "trainer": (404, 404),
        },
    ),
    "person_edit": (
        _person("network:person_edit"),
        {
            "anonymous": (LOGIN, LOGIN),
            "coordinator": (200, 200),
            "admin_a": (200, 404),
            "member_a": (200, 404),  # their own record
            "admin_b": (404, 200),  # their own record
            "officer": (403, 404),  # sees Ogre's contacts, edits none
            "trainer": (404, 404),
        },
    ),
    "person_add": (_org("network:person_add"), OWN_ORGANISATION_ADMINS),
    "membership_edit": (_membership("network:membership_edit"), OWN_ORGANISATION_ADMINS),
    "membership_remove": (_membership("network:membership_remove"), OWN_ORGANISATION_ADMINS),
    "institutions": (_plain("network:institutions"), SIGNED_IN_OK),
    "institution": (_institution("network:institution"), SIGNED_IN_OK),
    "institution_edit": (_institution("network:institution_edit"), COORDINATOR_ONLY),
    "institution_create": (_plain("network:institution_create"), COORDINATOR_ONLY),
    "agreement_create": (_org("network:agreement_create"), COORDINATOR_ONLY),
    "agreement_edit": (
        _agreement("network:agreement_edit"),
        {
            "anonymous": (LOGIN, LOGIN),
            "coordinator": (200, 200),
            "admin_a": (403, 404),
            "member_a": (403, 404),
            "admin_b": (404, 403),
            "officer": (403, 404),  # the agreement is with the officer's institution
            "trainer": (404, 404),
        },
    ),
    "agreement_delete": (
        _agreement("network:agreement_delete"),
        {
            "anonymous": (LOGIN, LOGIN),
            "coordinator": (200, 200),
            "admin_a": (403, 404),
            "member_a": (403, 404),
            "admin_b": (404, 403),
            "officer": (403, 404),
            "trainer": (404, 404),
        },
    ),
    "map": (_plain("network:map"), EVERYONE_OK),
    "map_geojson": (_plain("network:map_geojson"), EVERYONE_OK),
}
OBJECT_FREE = {
    "directory",
    "organisation_create",
    "institutions",
    "institution_create",
    "map",
    "map_geojson",
}
CASES = [
    (role, page, side)
    for page in PAGES
    for role in ROLES
    for side in (["a"] if page in OBJECT_FREE else ["a", "b"])
]


def _secrets(world: World, side: str) -> list[str]:
    """What a denied answer about ``side`` must not show: its person's phone and email."""
    person = world.people[side]
    return [person.phone, person.email]


@pytest.mark.parametrize(("role", "page", "side"), CASES)
def test_it_answers_each_role_as_the_policy_says(
    world: World, role: str, page: str, side: str
) -> None:
    url, expected = PAGES[page]
    status = expected[role][0 if side == "a" else 1]
    response = world.client(role).get(url(world, side))
    assert response.status_code == status, f"{role} {page} {side}"
    if status == LOGIN:
        assert reverse("accounts:login") in response["Location"]
    if status != 200:
        body = response.content.decode()
        for secret in _secrets(world, side):
            assert secret not in body


WRITE_PAGES = {
    "organisation_edit",
    "organisation_create",
    "organisation_delete",
    "person_edit",
    "person_add",
    "membership_edit",
    "membership_remove",
    "institution_edit",
    "institution_create",
    "agreement_create",
    "agreement_edit",
    "agreement_delete",
}
DENIED_WRITES = [
    (role, page, side)
    for role, page, side in CASES
    if page in WRITE_PAGES and PAGES[page][1][role][0 if side == "a" else 1] != 200
]


@pytest.mark.parametrize(("role", "page", "side"), DENIED_WRITES)
def test_a_denied_write_changes_nothing(world: World, role: str, page: str, side: str) -> None:
    url, expected = PAGES[page]
    status = expected[role][0 if side == "a" else 1]
    response = world.client(role).post(
        url(world, side), {"name": "Pārņemta", "full_name": "Pārņemts", "role": "admin"}
    )
    assert response.status_code == status
    assert not AuditEntry.objects.exists()
    assert Organisation.objects.count() == 2 and Agreement.objects.count() == 2
    assert Membership.objects.count() == 3


# Whose contacts appear on an organisation's page (policy.can_view_contacts).
SEES_CONTACTS = {
    "anonymous": (False, False),
    "coordinator": (True, True),
    "admin_a": (True, False),
    "member_a": (True, False),
    "admin_b": (False, True),
    "officer": (True, False),
    "trainer": (False, False),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", ["a", "b"])
def test_the_organisation_page_shows_contacts_only_to_those_allowed(
    world: World, role: str, side: str
) -> None:
    response = world.client(role).get(
        reverse("network:organisation", args=[world.organisations[side].pk])
    )
    body = response.content.decode()
    visible = SEES_CONTACTS[role][0 if side == "a" else 1]
    for secret in _secrets(world, side):
        assert (secret in body) is visible, f"{role} {side} {secret}"


@pytest.mark.parametrize("page", ["directory", "map", "map_geojson"])
def test_the_public_lists_never_name_a_non_public_organisation(world: World, page: str) -> None:
    url, _expected = PAGES[page]
    body = Client().get(url(world, "a")).content.decode()
    assert world.organisations["a"].name in body
    assert world.organisations["b"].name not in body
