"""People whose competencies expire within 90 days: who is listed (refreshers, boundaries,
revoked), the filters, pagination in constant queries, and that only coordinators see it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.network.models import Municipality, Organisation
from noturiba.training.selectors.knowledge import expiring_grants
from noturiba.training.tests.knowledge_support import (
    Curriculum,
    curriculum,
    days,
    grant,
    make_certificate,
    make_organisation,
    make_person,
    make_session,
)
from noturiba.training.views.knowledge import EXPIRING_PAGE_SIZE

pytestmark = pytest.mark.django_db
__all__ = ["curriculum"]  # a fixture


@pytest.fixture
def expiring(curriculum: Curriculum, org_a: Organisation) -> Curriculum:
    first_aid, psy, _civil = curriculum.competencies
    liepaja = make_organisation("Liepājas biedrība", "LV-LPX")
    grant(make_person("Pēc mēneša", org_a), first_aid, valid_until=days(30))
    grant(make_person("Šodien pēdējā diena", liepaja), psy, valid_until=days(0))
    grant(make_person("Pēc 90 dienām", org_a), first_aid, valid_until=days(90))
    # Not listed:
    refreshed = make_person("Jau atkārtojis", org_a)
    grant(refreshed, first_aid, valid_until=days(30))
    grant(refreshed, first_aid, valid_until=days(700))
    grant(make_person("Pēc 91 dienas", org_a), first_aid, valid_until=days(91))
    grant(make_person("Vakar beidzās", org_a), first_aid, valid_until=days(-1))
    grant(make_person("Uz mūžu", org_a), first_aid, valid_until=None)
    revoked = make_person("Atsauktais", org_a)
    certificate = make_certificate(revoked, curriculum.course, revoked=True)
    grant(revoked, first_aid, valid_until=days(20), certificate=certificate)
    return curriculum


def names(grants: object) -> list[str]:
    return [grant.person.full_name for grant in grants]  # type: ignore[attr-defined]


def test_who_is_listed_soonest_first(expiring: Curriculum) -> None:
    assert names(expiring_grants()) == ["Šodien pēdējā diena", "Pēc mēneša", "Pēc 90 dienām"]


def test_a_refresher_with_the_same_date_lists_the_person_once(expiring: Curriculum) -> None:
    twice = make_person("Divreiz")
    grant(twice, expiring.first_aid, valid_until=days(40))
    grant(twice, expiring.first_aid, valid_until=days(40), acquired_on=days(-10))
    assert names(expiring_grants()).count("Divreiz") == 1


def test_filters_by_competency_and_municipality(expiring: Curriculum) -> None:
    municipality = Municipality.objects.get(code="LV-LPX")
    assert names(expiring_grants(competency_id=expiring.first_aid.pk)) == [
        "Pēc mēneša",
        "Pēc 90 dienām",
    ]
    assert names(expiring_grants(municipality_id=municipality.pk)) == ["Šodien pēdējā diena"]


def test_the_page_filters_by_codes(expiring: Curriculum, coordinator: User) -> None:
    response = client_for(coordinator).get(
        reverse("training:expiring"), {"competency": "k-psy", "municipality": "LV-LPX"}
    )
    body = response.content.decode()
    assert "Šodien pēdējā diena" in body
    assert "Pēc mēneša" not in body


@pytest.mark.parametrize(
    "query", [{"competency": "nope"}, {"municipality": "LV-999"}, {"page": "x' OR 1=1"}]
)
def test_bad_filters_do_not_fail(
    query: dict[str, str], expiring: Curriculum, coordinator: User
) -> None:
    response = client_for(coordinator).get(reverse("training:expiring"), query)
    assert response.status_code == 200


def test_the_list_is_paginated_in_constant_queries(
    expiring: Curriculum, coordinator: User, org_a: Organisation
) -> None:
    make_session(expiring.refresher, municipality_code="LV-067")
    make_session(expiring.course, mode="online")
    client = client_for(coordinator)
    url = reverse("training:expiring")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for index in range(EXPIRING_PAGE_SIZE + 3):
        grant(make_person(f"Vēl {index:02}", org_a), expiring.first_aid, valid_until=days(50))
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)
    rows = html.fromstring(response.content).xpath("//main//table/tbody/tr")
    assert len(rows) == EXPIRING_PAGE_SIZE


@pytest.mark.parametrize("who", ["officer", "admin_a", "member_a", "admin_b", "trainer"])
def test_only_coordinators_see_the_people(
    who: str, request: pytest.FixtureRequest, expiring: Curriculum
) -> None:
    response = client_for(request.getfixturevalue(who)).get(reverse("training:expiring"))
    assert response.status_code == 403
    assert "Pēc mēneša" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(expiring: Curriculum) -> None:
    response = Client().get(reverse("training:expiring"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
