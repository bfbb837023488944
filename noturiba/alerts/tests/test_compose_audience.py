"""The live audience count (alerts/audience/): people, messages per channel, the unreachable."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.tests.compose_support import liepaja_id, ogre_id
from noturiba.conftest import client_for
from noturiba.network.models import Membership, Organisation, Person

pytestmark = pytest.mark.django_db

URL = "/alerts/audience/"
HTMX = {"HX-Request": "true"}


def test_the_url_is_named() -> None:
    assert reverse("alerts:audience") == URL


def test_it_counts_people_and_messages_per_channel(
    client_coordinator: Client, admin_a: User, member_a: User, admin_b: User, english: None
) -> None:
    response = client_coordinator.get(URL, {"municipalities": [ogre_id()]}, headers=HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 people" in page and "Email: 2 messages" in page
    assert "cannot" not in page and "not be reached" not in page
    assert "<html" not in page  # a fragment


def test_filters_narrow_the_count(
    client_coordinator: Client, admin_a: User, member_a: User, admin_b: User, english: None
) -> None:
    response = client_coordinator.get(
        URL, {"municipalities": [str(ogre_id())], "roles": ["admin"]}, headers=HTMX
    )
    assert "1 person" in response.content.decode()
    response = client_coordinator.get(
        URL, {"audience_municipalities": [liepaja_id()]}, headers=HTMX
    )
    assert "1 person" in response.content.decode()


def test_people_without_any_address_are_named_with_a_link_when_visible(
    client_coordinator: Client, org_a: Organisation, admin_a: User, english: None
) -> None:
    nobody = Person.objects.create(full_name="Zane Bezkontakta")
    Membership.objects.create(person=nobody, organisation=org_a)
    page = client_coordinator.get(
        URL, {"municipalities": [ogre_id()]}, headers=HTMX
    ).content.decode()
    assert "1 person has no email address or phone number" in page
    assert f'href="/directory/people/{nobody.pk}/"' in page and "Zane Bezkontakta" in page


def test_an_sms_only_person_counts_as_sms(
    client_coordinator: Client, org_a: Organisation, english: None
) -> None:
    person = Person.objects.create(full_name="Tikai Telefons", phone="+37120000099")
    Membership.objects.create(person=person, organisation=org_a)
    page = client_coordinator.get(
        URL, {"municipalities": [ogre_id()]}, headers=HTMX
    ).content.decode()
    assert "SMS: 1 message" in page


def test_an_officer_counts_only_within_the_jurisdiction(
    client_officer: Client, admin_a: User, admin_b: User, english: None
) -> None:
    inside = client_officer.get(URL, {"municipalities": [ogre_id()]}, headers=HTMX).content.decode()
    assert "1 person" in inside
    for query in [
        {"audience_municipalities": [liepaja_id()], "municipalities": [ogre_id()]},
        {},  # the whole network
    ]:
        page = client_officer.get(URL, query, headers=HTMX).content.decode()
        assert "within your jurisdiction" in page or "could not be counted" in page
        assert "person" not in page and "Baiba" not in page
    # An area outside the jurisdiction is not even read.
    page = client_officer.get(
        URL, {"municipalities": [liepaja_id()]}, headers=HTMX
    ).content.decode()
    assert "within your jurisdiction" in page


def test_nonsense_is_a_message_not_an_error(client_coordinator: Client) -> None:
    for query in [{"roles": ["king"]}, {"target_groups": ["x"]}, {"municipalities": ["x"]}]:
        assert client_coordinator.get(URL, query, headers=HTMX).status_code == 200


def test_without_htmx_it_goes_back_to_the_compose_page(client_coordinator: Client) -> None:
    response = client_coordinator.get(URL)
    assert response.status_code == 302 and response["Location"] == "/alerts/new/"


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, reference: None) -> None:
    response = client.get(URL, headers=HTMX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["admin_a", "member_a", "trainer"])
def test_others_are_refused_without_numbers(who: str, request: Any) -> None:
    response = client_for(request.getfixturevalue(who)).get(
        URL, {"municipalities": [ogre_id()]}, headers=HTMX
    )
    assert response.status_code == 403
    assert b"person" not in response.content
