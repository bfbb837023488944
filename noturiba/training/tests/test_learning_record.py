"""A person's learning record page: states at their boundaries, the best grant per competency,
certificates and sessions, and who may open it (from the outside)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.network.models import Organisation, Person
from noturiba.training.models import Enrolment
from noturiba.training.selectors.knowledge import GrantState, grant_state, learning_record
from noturiba.training.tests.knowledge_support import (
    Curriculum,
    attend,
    curriculum,
    days,
    grant,
    make_certificate,
    make_session,
    today,
)

pytestmark = pytest.mark.django_db
__all__ = ["curriculum"]  # a fixture


def test_states_at_their_boundaries() -> None:
    day = today()
    assert grant_state(days(0), day) == GrantState.EXPIRING  # valid until today: still held
    assert grant_state(days(-1), day) == GrantState.EXPIRED
    assert grant_state(days(90), day) == GrantState.EXPIRING
    assert grant_state(days(91), day) == GrantState.VALID
    assert grant_state(None, day) == GrantState.VALID
    assert grant_state(days(400), day, revoked=True) == GrantState.REVOKED


def _states(person: Person) -> dict[str, GrantState]:
    return {held.competency.code: held.state for held in learning_record(person).competencies}


def test_record_takes_the_best_grant_of_each_competency(
    curriculum: Curriculum, member_a: User
) -> None:
    person = Person.objects.get(user=member_a)
    grant(person, curriculum.first_aid, valid_until=days(-1))
    grant(person, curriculum.first_aid, valid_until=days(200))  # the refresher
    grant(person, curriculum.psychological, valid_until=days(-1))
    grant(person, curriculum.civil_protection, valid_until=None)
    assert _states(person) == {
        "k-first-aid": GrantState.VALID,
        "k-psy": GrantState.EXPIRED,
        "k-civil": GrantState.VALID,
    }


def test_a_revoked_certificate_revokes_its_grants(curriculum: Curriculum, member_a: User) -> None:
    person = Person.objects.get(user=member_a)
    revoked = make_certificate(person, curriculum.course, revoked=True)
    grant(person, curriculum.first_aid, valid_until=days(300), certificate=revoked)
    grant(person, curriculum.psychological, valid_until=days(300), certificate=revoked)
    grant(person, curriculum.psychological, valid_until=days(10))  # another, standing grant
    assert _states(person) == {
        "k-first-aid": GrantState.REVOKED,
        "k-psy": GrantState.EXPIRING,
    }


def test_page_shows_competencies_certificates_and_sessions(
    curriculum: Curriculum, member_a: User, english: None
) -> None:
    person = Person.objects.get(user=member_a)
    certificate = make_certificate(person, curriculum.course)
    grant(person, curriculum.first_aid, valid_until=days(0), certificate=certificate)
    grant(person, curriculum.psychological, valid_until=days(-1))
    absent = make_session(curriculum.refresher, starts_in_days=-3, title="Missed session")
    attend(absent, person, Enrolment.Attendance.ABSENT, None)
    response = client_for(member_a).get(reverse("training:learning_record", args=[person.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "First aid" in body and "expires soon" in body
    assert "Psychological first aid" in body and "expired" in body
    assert certificate.code in body
    assert "Past k-course" in body  # the session attended
    assert "Missed session" not in body  # absent: not attended


def test_an_organisation_admin_sees_their_people(
    curriculum: Curriculum, admin_a: User, member_a: User
) -> None:
    person = Person.objects.get(user=member_a)
    grant(person, curriculum.first_aid, valid_until=days(100))
    response = client_for(admin_a).get(reverse("training:learning_record", args=[person.pk]))
    assert response.status_code == 200
    assert "Pirmā palīdzība" in response.content.decode()


@pytest.mark.parametrize("who", ["member_a", "admin_b", "officer", "trainer"])
def test_outsiders_get_404_and_no_data(
    who: str,
    request: pytest.FixtureRequest,
    curriculum: Curriculum,
    admin_a: User,
    org_a: Organisation,
) -> None:
    person = Person.objects.get(user=admin_a)
    grant(person, curriculum.first_aid, valid_until=days(100))
    user: User = request.getfixturevalue(who)
    response = client_for(user).get(reverse("training:learning_record", args=[person.pk]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "Anna Ozola" not in body and "Pirmā palīdzība" not in body


def test_unknown_person_is_404(coordinator: User) -> None:
    response = client_for(coordinator).get(reverse("training:learning_record", args=[999_999]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(curriculum: Curriculum, admin_a: User) -> None:
    person = Person.objects.get(user=admin_a)
    response = Client().get(reverse("training:learning_record", args=[person.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_page_reads_a_constant_number_of_queries(
    curriculum: Curriculum,
    coordinator: User,
    member_a: User,
) -> None:
    person = Person.objects.get(user=member_a)
    client = client_for(coordinator)
    url = reverse("training:learning_record", args=[person.pk])
    client.get(url)
    for _ in range(5):
        certificate = make_certificate(person, curriculum.course)
        grant(person, curriculum.first_aid, valid_until=days(100), certificate=certificate)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        certificate = make_certificate(person, curriculum.refresher)
        grant(person, curriculum.psychological, valid_until=days(100), certificate=certificate)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more.captured_queries) == len(few.captured_queries)
