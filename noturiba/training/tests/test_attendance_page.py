"""The attendance page without JavaScript: one form, one submit, POST-redirect-GET."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.tests.attendance_support import enrol, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(trainer: User) -> TrainingSession:
    return make_session(trainers=[trainer])


@pytest.fixture
def client(trainer: User) -> Client:
    return client_for(trainer)


def url(session: TrainingSession) -> str:
    return reverse("training:attendance", args=[session.pk])


def test_the_page_lists_confirmed_participants_only(
    client: Client, session: TrainingSession
) -> None:
    enrol(session, name="Apstiprināta Persona")
    enrol(session, name="Gaidītāja Persona", status=Enrolment.Status.WAITLISTED)
    enrol(session, name="Atteikusies Persona", status=Enrolment.Status.CANCELLED)
    page = client.get(url(session)).content.decode()
    assert "Apstiprināta Persona" in page
    assert "Gaidītāja Persona" not in page and "Atteikusies Persona" not in page
    assert 'id="attendance-form"' in page
    assert "training/attendance.js" in page


def test_one_submit_saves_everyone_and_says_how_many(
    client: Client, session: TrainingSession, english: None
) -> None:
    present, partial, absent, untouched = (enrol(session, name=f"P{i}") for i in range(4))
    response = client.post(
        url(session),
        {
            f"mark_{present.pk}": "present",
            f"hours_{present.pk}": "6",
            f"mark_{partial.pk}": "present",
            f"hours_{partial.pk}": "3,5",
            f"mark_{absent.pk}": "absent",
            f"hours_{absent.pk}": "6",
            f"hours_{untouched.pk}": "6",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url(session)
    page = client.get(response["Location"]).content.decode()
    assert "Saved attendance of 3 people." in page
    values = {
        e.pk: (e.attendance, e.hours_attended) for e in Enrolment.objects.filter(session=session)
    }
    assert values == {
        present.pk: ("present", Decimal(6)),
        partial.pk: ("partial", Decimal("3.5")),
        absent.pk: ("absent", Decimal(0)),
        untouched.pk: ("", None),
    }
    assert "partly present · 3.5 h" in page


def test_a_bad_hours_value_shows_the_error_and_saves_nothing(
    client: Client, session: TrainingSession, english: None
) -> None:
    good, bad = enrol(session, name="Laba"), enrol(session, name="Slikta")
    response = client.post(
        url(session),
        {
            f"mark_{good.pk}": "present",
            f"hours_{good.pk}": "6",
            f"mark_{bad.pk}": "present",
            f"hours_{bad.pk}": "8",
        },
    )
    assert response.status_code == 400
    assert "At most 6 hours: the length of the course." in response.content.decode()
    assert not Enrolment.objects.exclude(attendance="").exists()


def test_a_word_for_hours_is_a_clear_error(
    client: Client, session: TrainingSession, english: None
) -> None:
    enrolment = enrol(session)
    response = client.post(
        url(session), {f"mark_{enrolment.pk}": "present", f"hours_{enrolment.pk}": "daudz"}
    )
    assert response.status_code == 400
    assert "is not a number of hours" in response.content.decode()


def test_scores_are_entered_on_the_same_form(
    client: Client, session: TrainingSession, english: None
) -> None:
    enrolment = enrol(session)
    response = client.post(
        url(session),
        {
            f"mark_{enrolment.pk}": "present",
            f"hours_{enrolment.pk}": "6",
            f"score_{enrolment.pk}": "85",
        },
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.score == 85
    assert "passed (85%)" in client.get(url(session)).content.decode()


def test_the_page_reads_in_a_fixed_number_of_queries(
    client: Client, session: TrainingSession
) -> None:
    enrol(session, name="Pirmā")
    client.get(url(session))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(session)).status_code == 200
    for number in range(10):
        enrol(session, name=f"Vēl {number}", attendance="present", hours_attended=Decimal(6))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(session)).status_code == 200
    assert len(many) == len(few)
