"""List endpoints load a page in a fixed number of queries, however many rows it holds."""

from __future__ import annotations

import datetime

import pytest
from pytest_django import DjangoAssertNumQueries

from noturiba.api.tests.conftest import ApiClient
from noturiba.network.models import (
    Agreement,
    CapabilityType,
    Institution,
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Person,
    TargetGroup,
)

ROWS = 30


@pytest.fixture
def directory(reference: None) -> None:
    """ROWS organisations, each with areas, target groups, capabilities, people, an agreement."""
    municipalities = list(Municipality.objects.current()[:3])
    groups = list(TargetGroup.objects.all()[:2])
    capabilities = list(CapabilityType.objects.all()[:3])
    institution = Institution.objects.create(name="VUGD", kind=Institution.Kind.FIRE_RESCUE)
    institution.municipalities.set(municipalities)
    for number in range(ROWS):
        organisation = Organisation.objects.create(
            name=f"Biedrība {number:03}", municipality=municipalities[0], is_public=True
        )
        organisation.municipalities.set(municipalities)
        organisation.target_groups.set(groups)
        OrganisationCapability.objects.bulk_create(
            OrganisationCapability(organisation=organisation, capability=capability, quantity=5)
            for capability in capabilities
        )
        for role in (Membership.Role.ADMIN, Membership.Role.MEMBER):
            person = Person.objects.create(full_name=f"Persona {number} {role}")
            Membership.objects.create(person=person, organisation=organisation, role=role)
        Agreement.objects.create(
            organisation=organisation,
            institution=institution,
            scope="Transports",
            signed_on=datetime.date(2024, 1, 1),
        )
        Institution.objects.create(
            name=f"Iestāde {number}", kind=Institution.Kind.OTHER
        ).municipalities.set(municipalities)


def fetch(api: ApiClient, path: str, page_size: int) -> dict[str, object]:
    response = api.get(path, {"page_size": str(page_size)})
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


# Each list: the token, the caller's roles (not needed for reference data), a count, the
# rows, and one query per relation.
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/organisations", 7),
        ("/people", 5),
        ("/institutions", 5),
        ("/agreements", 4),
        ("/municipalities", 3),
        ("/capabilities", 3),
        ("/target-groups", 3),
    ],
)
@pytest.mark.parametrize("page_size", [1, ROWS])
def test_it_loads_a_list_in_fixed_queries(
    api_coordinator: ApiClient,
    directory: None,
    django_assert_num_queries: DjangoAssertNumQueries,
    path: str,
    queries: int,
    page_size: int,
) -> None:
    fetch(api_coordinator, path, 1)  # the token's first use is recorded once

    with django_assert_num_queries(queries):
        body = fetch(api_coordinator, path, page_size)

    assert len(body["items"]) == min(page_size, body["count"])  # type: ignore[arg-type,call-overload]


def test_it_loads_the_public_directory_in_fixed_queries(
    api_anonymous: ApiClient,
    directory: None,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(5):
        body = fetch(api_anonymous, "/organisations", ROWS)

    assert len(body["items"]) == ROWS  # type: ignore[arg-type]


def test_it_loads_an_organisation_admins_people_in_fixed_queries(
    api_admin_a: ApiClient,
    directory: None,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    fetch(api_admin_a, "/people", 1)

    # The token, the admin's person and memberships, a count, the rows, their memberships.
    with django_assert_num_queries(6):
        fetch(api_admin_a, "/people", ROWS)
