"""An organisation's training coverage: counts and percentages per competency, the paginated
people × competencies table, its queries, and who may open it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.network.models import Organisation, Person
from noturiba.training.selectors.knowledge import coverage_by_competency
from noturiba.training.tests.knowledge_support import (
    Curriculum,
    curriculum,
    days,
    grant,
    make_certificate,
    make_person,
)
from noturiba.training.views.knowledge import COVERAGE_PAGE_SIZE

pytestmark = pytest.mark.django_db
__all__ = ["curriculum"]  # a fixture


@pytest.fixture
def coverage_a(
    curriculum: Curriculum, org_a: Organisation, admin_a: User, member_a: User
) -> Curriculum:
    """Organisation A: admin_a, member_a and two more people (4 in all)."""
    first_aid, psy, civil = curriculum.competencies
    anna = Person.objects.get(user=admin_a)
    martins = Person.objects.get(user=member_a)
    third = make_person("Trešā Persona", org_a)
    fourth = make_person("Ceturtā Persona", org_a)
    grant(anna, first_aid, valid_until=days(10))  # expiring soon
    grant(martins, first_aid, valid_until=days(300))
    grant(martins, first_aid, valid_until=days(20))  # an older grant: still one person
    grant(third, first_aid, valid_until=days(-1))  # expired
    revoked = make_certificate(fourth, curriculum.course, revoked=True)
    grant(fourth, first_aid, valid_until=days(300), certificate=revoked)  # revoked
    grant(fourth, civil, valid_until=None)
    del psy
    return curriculum


def test_counts_and_percentages(coverage_a: Curriculum, org_a: Organisation) -> None:
    total, rows = coverage_by_competency(org_a)
    assert total == 4
    found = {row.competency.code: (row.held, row.expiring, row.percent) for row in rows}
    assert found == {
        "k-first-aid": (2, 1, Decimal("50.0")),
        "k-psy": (0, 0, Decimal("0")),
        "k-civil": (1, 0, Decimal("25.0")),
    }


def test_the_admin_sees_the_table_of_people(
    coverage_a: Curriculum, org_a: Organisation, admin_a: User, english: None
) -> None:
    response = client_for(admin_a).get(reverse("training:coverage", args=[org_a.pk]))
    assert response.status_code == 200
    page = html.fromstring(response.content)
    [people] = page.xpath('//table[contains(@class, "competency-matrix")]')
    rows = {tr.xpath("th")[0].text_content().strip(): tr for tr in people.xpath("tbody/tr")}
    assert set(rows) == {"Anna Ozola", "Mārtiņš Bērziņš", "Trešā Persona", "Ceturtā Persona"}
    assert "expires soon" in rows["Anna Ozola"].text_content()
    assert "expired" in rows["Trešā Persona"].text_content()
    assert "revoked" not in rows["Ceturtā Persona"].text_content()  # a revoked grant is gone
    assert "never held" in rows["Ceturtā Persona"].text_content()
    assert page.xpath("//svg[@role='img']") or b'role="img"' in response.content


def test_the_people_table_is_paginated_in_constant_queries(
    coverage_a: Curriculum, org_a: Organisation, coordinator: User
) -> None:
    client = client_for(coordinator)
    url = reverse("training:coverage", args=[org_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for index in range(COVERAGE_PAGE_SIZE + 5):
        person = make_person(f"Papildu {index:02}", org_a)
        for competency in coverage_a.competencies:
            grant(person, competency, valid_until=days(index))
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)
    page = html.fromstring(response.content)
    [people] = page.xpath('//table[contains(@class, "competency-matrix")]')
    assert len(people.xpath("tbody/tr")) == COVERAGE_PAGE_SIZE
    second = client.get(url, {"page": 2})
    assert "Trešā Persona" in second.content.decode()


@pytest.mark.parametrize("who", ["member_a", "admin_b", "officer", "trainer"])
def test_others_are_refused_without_data(
    who: str, request: pytest.FixtureRequest, coverage_a: Curriculum, org_a: Organisation
) -> None:
    response = client_for(request.getfixturevalue(who)).get(
        reverse("training:coverage", args=[org_a.pk])
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "Trešā Persona" not in body and "Anna Ozola" not in body


def test_an_unknown_organisation_is_404(coordinator: User) -> None:
    response = client_for(coordinator).get(reverse("training:coverage", args=[999_999]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(coverage_a: Curriculum, org_a: Organisation) -> None:
    response = Client().get(reverse("training:coverage", args=[org_a.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
