"""``GET /api/v1/people/{id}/learning-record``: the same rules as the page, 404 when not visible."""

from __future__ import annotations

import pytest
from django.test import Client

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.network.models import Person
from noturiba.training.tests.knowledge_support import (
    Curriculum,
    curriculum,
    days,
    grant,
    make_certificate,
)

pytestmark = pytest.mark.django_db
__all__ = ["curriculum"]  # a fixture


def url(person: Person | int) -> str:
    return f"/api/v1/people/{getattr(person, 'pk', person)}/learning-record"


@pytest.fixture
def member(curriculum: Curriculum, member_a: User) -> Person:
    person = Person.objects.get(user=member_a)
    certificate = make_certificate(person, curriculum.course)
    grant(person, curriculum.first_aid, valid_until=days(0), certificate=certificate)
    grant(person, curriculum.psychological, valid_until=days(-1))
    grant(person, curriculum.civil_protection, valid_until=None)
    return person


def test_the_person_reads_their_record(member: Person, member_a: User) -> None:
    response = client_for(member_a).get(url(member))
    assert response.status_code == 200
    body = response.json()
    assert body["person_id"] == member.pk
    states = {item["code"]: (item["state"], item["valid_until"]) for item in body["competencies"]}
    assert states == {
        "k-first-aid": ("expiring", days(0).isoformat()),
        "k-psy": ("expired", days(-1).isoformat()),
        "k-civil": ("valid", None),
    }
    [certificate] = body["certificates"]
    assert certificate["state"] == "valid"
    assert [session["attendance"] for session in body["sessions"]] == ["present"]


@pytest.mark.parametrize("who", ["coordinator", "admin_a"])
def test_coordinators_and_the_organisation_admin_read_it(
    who: str, request: pytest.FixtureRequest, member: Person
) -> None:
    response = client_for(request.getfixturevalue(who)).get(url(member))
    assert response.status_code == 200
    assert len(response.json()["competencies"]) == 3


@pytest.mark.parametrize("who", ["admin_b", "officer", "trainer"])
def test_others_get_the_same_404_as_for_nobody(
    who: str, request: pytest.FixtureRequest, member: Person
) -> None:
    client = client_for(request.getfixturevalue(who))
    hidden = client.get(url(member))
    missing = client.get(url(999_999))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert hidden.json()["error"]["code"] == "not_found"
    assert "Bērziņš" not in hidden.content.decode()


def test_a_member_does_not_read_a_colleagues_record(
    member: Person, admin_a: User, member_a: User
) -> None:
    colleague = Person.objects.get(user=admin_a)
    assert client_for(member_a).get(url(colleague)).status_code == 404


def test_anonymous_is_401(member: Person) -> None:
    response = Client().get(url(member))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("bad", ["0", "abc", "-3", "99999999999999999999"])
def test_a_malformed_id_is_404_not_500(bad: str, coordinator: User) -> None:
    response = client_for(coordinator).get(f"/api/v1/people/{bad}/learning-record")
    assert response.status_code == 404


def test_the_endpoint_is_in_the_openapi_document(coordinator: User) -> None:
    document = client_for(coordinator).get("/api/openapi.json").json()
    operation = document["paths"]["/api/v1/people/{person_id}/learning-record"]["get"]
    assert {"200", "401", "404"} <= set(operation["responses"])
