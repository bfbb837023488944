"""Shared test fixtures: the named people of STYLE.md and the reference data.

- ``coordinator``: the network coordinator (two-factor is not required in tests)
- ``admin_a`` / ``member_a``: an admin and a volunteer of organisation A (Ogre)
- ``admin_b``: an admin of organisation B (Liepāja)
- ``officer``: an officer of Ogre municipality's civil protection commission
- ``trainer``: a course lead with no organisation
- the anonymous visitor is Django's plain ``client``
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from noturiba.accounts.models import User
from noturiba.network.models import (
    CapabilityType,
    Institution,
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Person,
    TargetGroup,
)
from noturiba.network.reference_data import load_reference

PASSWORD = "correct horse battery staple"

# Concurrency tests of ``SELECT … FOR UPDATE``: they run on PostgreSQL (make test's second
# run); SQLite has no row locks (one writer at a time), so there they are skipped, saying why.
needs_row_locks = pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks (SELECT … FOR UPDATE) are PostgreSQL's; SQLite has one writer",
)

# The machine is shared and noisy: no per-example deadline (speed is measured in benchmarks/).
hypothesis_settings.register_profile("noturiba", deadline=None)
hypothesis_settings.load_profile("noturiba")


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    settings.REQUIRE_2FA = False
    settings.AXES_ENABLED = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def english(settings: Any) -> Iterator[None]:
    """English (the source language) for messages and pages, for tests that compare them."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def reference(db: None) -> None:
    """Latvia's municipalities, the capability catalogue and target groups."""
    if not Municipality.objects.exists():
        load_reference()


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def make_user(email: str, **extra: Any) -> User:
    return User.objects.create_user(email, PASSWORD, full_name=extra.pop("full_name", ""), **extra)


@pytest.fixture
def org_a(reference: None) -> Organisation:
    organisation = Organisation.objects.create(
        name="Ogres Samariešu biedrība",
        registration_number="40008000001",
        description="Pirmā palīdzība un senioru atbalsts Ogrē.",
        email="info@ogre-samariesi.example",
        municipality=municipality("LV-067"),
        latitude=Decimal("56.81620"),
        longitude=Decimal("24.61400"),
        is_public=True,
    )
    organisation.municipalities.set([municipality("LV-067")])
    organisation.target_groups.set([TargetGroup.objects.get(code="seniors")])
    OrganisationCapability.objects.create(
        organisation=organisation,
        capability=CapabilityType.objects.get(code="first_aid"),
        quantity=Decimal(12),
        startup_hours=2,
    )
    organisation.search_text = organisation.build_search_text()
    organisation.save(update_fields=["search_text"])
    return organisation


@pytest.fixture
def org_b(reference: None) -> Organisation:
    organisation = Organisation.objects.create(
        name="Liepājas Jauniešu centrs",
        registration_number="40008000002",
        description="Brīvprātīgie un transports Liepājā.",
        municipality=municipality("LV-LPX"),
        latitude=Decimal("56.50470"),
        longitude=Decimal("21.01080"),
        is_public=False,
    )
    organisation.municipalities.set([municipality("LV-LPX")])
    OrganisationCapability.objects.create(
        organisation=organisation,
        capability=CapabilityType.objects.get(code="transport"),
        quantity=Decimal(40),
    )
    organisation.search_text = organisation.build_search_text()
    organisation.save(update_fields=["search_text"])
    return organisation


def _person_for(
    user: User, organisation: Organisation | None, role: str, phone: str = ""
) -> Person:
    person = Person.objects.create(
        full_name=user.full_name, email=user.email, phone=phone, user=user
    )
    if organisation is not None:
        Membership.objects.create(person=person, organisation=organisation, role=role)
    return person


@pytest.fixture
def coordinator(reference: None) -> User:
    return make_user(
        "koordinators@noturiba.example",
        full_name="Ilze Koordinatore",
        is_coordinator=True,
        is_staff=True,
    )


@pytest.fixture
def admin_a(org_a: Organisation) -> User:
    user = make_user("admin.a@noturiba.example", full_name="Anna Ozola")
    _person_for(user, org_a, Membership.Role.ADMIN, "+37120000001")
    return user


@pytest.fixture
def member_a(org_a: Organisation) -> User:
    user = make_user("member.a@noturiba.example", full_name="Mārtiņš Bērziņš")
    _person_for(user, org_a, Membership.Role.MEMBER, "+37120000002")
    return user


@pytest.fixture
def admin_b(org_b: Organisation) -> User:
    user = make_user("admin.b@noturiba.example", full_name="Baiba Kalniņa")
    _person_for(user, org_b, Membership.Role.ADMIN, "+37120000003")
    return user


@pytest.fixture
def ogre_commission(reference: None) -> Institution:
    institution = Institution.objects.create(
        name="Ogres novada civilās aizsardzības komisija",
        kind=Institution.Kind.MUNICIPALITY,
    )
    institution.municipalities.set([municipality("LV-067")])
    return institution


@pytest.fixture
def officer(ogre_commission: Institution) -> User:
    user = make_user("officer@ogre.example", full_name="Jānis Liepa")
    person = _person_for(user, None, "")
    person.institution = ogre_commission
    person.save(update_fields=["institution"])
    return user


@pytest.fixture
def trainer(reference: None) -> User:
    return make_user("trainer@noturiba.example", full_name="Laura Trenere", is_trainer=True)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_coordinator(coordinator: User) -> Client:
    return client_for(coordinator)


@pytest.fixture
def client_admin_a(admin_a: User) -> Client:
    return client_for(admin_a)


@pytest.fixture
def client_member_a(member_a: User) -> Client:
    return client_for(member_a)


@pytest.fixture
def client_admin_b(admin_b: User) -> Client:
    return client_for(admin_b)


@pytest.fixture
def client_officer(officer: User) -> Client:
    return client_for(officer)
