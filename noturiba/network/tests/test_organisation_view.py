from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from noturiba.accounts.models import User
from noturiba.network.models import Agreement, Institution, Organisation
from noturiba.network.tests.page_helpers import english  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("english")


def page(client: Client, organisation: Organisation) -> str:
    response = client.get(reverse("network:organisation", args=[organisation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_public_sees_only_the_public_face(
    client: Client, admin_a: User, org_a: Organisation
) -> None:
    body = page(client, org_a)
    assert org_a.name in body and "Pirmā palīdzība un senioru atbalsts" in body
    assert "Seniors" in body  # target group
    assert "Ogre" in body  # area covered
    for hidden in [
        org_a.email,
        "40008000001",
        "+37120000001",
        admin_a.email,
        "What it can offer",
        'id="map"',
        "Edit",
    ]:
        assert hidden not in body


def test_the_public_gets_404_for_a_non_public_organisation(
    client: Client, org_b: Organisation
) -> None:
    response = client.get(reverse("network:organisation", args=[org_b.pk]))
    assert response.status_code == 404
    assert org_b.name not in response.content.decode()


def test_a_signed_in_user_sees_details_capabilities_and_a_map(
    client_admin_b: Client, org_a: Organisation
) -> None:
    body = page(client_admin_b, org_a)
    assert org_a.email in body and "40008000001" in body
    assert "First aid" in body and "12 " in body and "2 hours" in body
    assert 'data-lat="56.81620"' in body and 'data-lon="24.61400"' in body
    assert "vendor/leaflet/leaflet.js" in body and "network/map.js" in body
    assert "data-tile-url=" in body


def test_people_and_their_contacts_show_to_the_organisations_own(
    client_member_a: Client, admin_a: User, org_a: Organisation
) -> None:
    body = page(client_member_a, org_a)
    assert admin_a.full_name in body and "+37120000001" in body and admin_a.email in body
    assert "Add a person" not in body  # a member does not manage people


def test_edit_and_people_links_show_to_the_organisation_admin(
    client_admin_a: Client, org_a: Organisation
) -> None:
    body = page(client_admin_a, org_a)
    assert reverse("network:organisation_edit", args=[org_a.pk]) in body
    assert reverse("network:person_add", args=[org_a.pk]) in body
    assert reverse("network:organisation_delete", args=[org_a.pk]) not in body


def test_a_foreign_admin_sees_no_people_and_no_edit_link(
    client_admin_b: Client, admin_a: User, org_a: Organisation
) -> None:
    body = page(client_admin_b, org_a)
    assert admin_a.email not in body and "+37120000001" not in body
    assert reverse("network:organisation_edit", args=[org_a.pk]) not in body


def test_agreements_show_as_valid_or_expired(
    client_coordinator: Client, org_a: Organisation, ogre_commission: Institution
) -> None:
    today = datetime.date.today()
    Agreement.objects.create(
        organisation=org_a, institution=ogre_commission, scope="Spēkā esošs", signed_on=today
    )
    other = Institution.objects.create(name="VUGD Zemgales reģions", kind="fire_rescue")
    Agreement.objects.create(
        organisation=org_a,
        institution=other,
        scope="Vecs",
        signed_on=today - datetime.timedelta(days=800),
        valid_until=today - datetime.timedelta(days=1),
    )
    body = page(client_coordinator, org_a)
    assert ">valid</span>" in body and ">expired</span>" in body
    assert reverse("network:agreement_create", args=[org_a.pk]) in body


def test_agreements_are_shown_only_to_those_who_may_see_them(
    client_admin_b: Client, org_a: Organisation, ogre_commission: Institution
) -> None:
    Agreement.objects.create(
        organisation=org_a,
        institution=ogre_commission,
        scope="Slepena vienošanās",
        signed_on=datetime.date(2024, 1, 1),
    )
    assert "Slepena vienošanās" not in page(client_admin_b, org_a)


def test_an_unknown_organisation_is_404(client_coordinator: Client, reference: None) -> None:
    response = client_coordinator.get(reverse("network:organisation", args=[999999]))
    assert response.status_code == 404


def test_the_page_costs_a_fixed_number_of_queries(
    client_coordinator: Client,
    org_a: Organisation,
    admin_a: User,
    member_a: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(16):
        page(client_coordinator, org_a)
