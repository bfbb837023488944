"""Scheduling a session on its page: a draft in Riga time, the rules of its facts, who may."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for
from noturiba.network.models import Municipality
from noturiba.training.models import TrainingSession
from noturiba.training.tests.sessions_support import curriculum, other_trainer

pytestmark = pytest.mark.django_db

URL = reverse("training:session_create")


def good(**changes: Any) -> dict[str, Any]:
    course = curriculum()
    data = {
        "course": str(course.pk),
        "title": "Krīzes gatavība Ogrē",
        "starts_at": "2027-03-27T10:00",
        "ends_at": "2027-03-27T16:00",
        "mode": "in_person",
        "venue": "Ogres novada kultūras centrs",
        "address": "Brīvības iela 15, Ogre",
        "municipality": str(Municipality.objects.get(code="LV-067").pk),
        "online_url": "",
        "capacity": "25",
        "language": "lv",
        "step_free_access": "on",
        "accessibility_notes": "",
        "registration_deadline": "2027-03-25T18:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_trainer_schedules_a_draft_in_riga_time(trainer: User) -> None:
    response = client_for(trainer).post(URL, good())
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:session_detail", args=[session.pk])
    assert session.status == TrainingSession.Status.DRAFT and session.published_at is None
    # 27 March 2027 is winter time in Riga (UTC+2); summer time starts on the 28th.
    assert session.starts_at == datetime.datetime(2027, 3, 27, 8, 0, tzinfo=datetime.UTC)
    assert session.registration_deadline == datetime.datetime(
        2027, 3, 25, 16, 0, tzinfo=datetime.UTC
    )
    assert list(session.trainers.all()) == [trainer]  # who schedules runs it
    assert session.step_free_access and not session.hearing_loop
    assert session.created_by == trainer
    entry = AuditEntry.objects.get(object_type="training.trainingsession")
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == trainer


def test_a_coordinator_names_the_trainers(client_coordinator: Client, trainer: User) -> None:
    second = other_trainer()
    response = client_coordinator.post(URL, good(trainers=[str(trainer.pk), str(second.pk)]))
    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert set(session.trainers.all()) == {trainer, second}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": "2027-03-27T09:00"}, "ends_at", "must end after it starts"),
        ({"ends_at": "2027-03-27T10:00"}, "ends_at", "must end after it starts"),
        (
            {"registration_deadline": "2027-03-27T11:00"},
            "registration_deadline",
            "close before the session starts",
        ),
        ({"mode": "online", "address": ""}, "online_url", "needs the link"),
        ({"mode": "hybrid", "online_url": ""}, "online_url", "needs the link"),
        ({"address": ""}, "address", "needs the address"),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"capacity": "many"}, "capacity", "whole number"),
        ({"starts_at": "tomorrow"}, "starts_at", "valid date"),
        ({"starts_at": "2027-03-28T03:30", "ends_at": "2027-03-28T05:00"}, "starts_at", ""),
        ({"course": "999999"}, "course", "valid choice"),
        ({"mode": "teleport"}, "mode", "valid choice"),
        ({"language": "xx"}, "language", "valid choice"),
        ({"online_url": "not a link", "mode": "online"}, "online_url", "valid URL"),
        ({"trainers": ["abc"]}, "trainers", ""),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_saved(
    client_coordinator: Client, english: None, changes: dict[str, Any], field: str, message: str
) -> None:
    response = client_coordinator.post(URL, good(**changes))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert not TrainingSession.objects.exists()


def test_only_people_who_are_trainers_can_be_named(
    client_coordinator: Client, member_a: User, english: None
) -> None:
    response = client_coordinator.post(URL, good(trainers=[str(member_a.pk)]))
    assert response.status_code == 400
    assert "trainers" in response.context["form"].errors
    assert not TrainingSession.objects.exists()


def test_the_form_shows_riga_time_fields(client_coordinator: Client, english: None) -> None:
    curriculum()
    html = client_coordinator.get(URL).content.decode()
    assert 'type="datetime-local"' in html and "Riga time" in html
    assert "Crisis readiness for CSO leaders" in html


@pytest.mark.parametrize("who", ["admin_a", "member_a", "officer"])
def test_people_who_do_not_train_may_not_schedule(who: str, request: pytest.FixtureRequest) -> None:
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, good()).status_code == 403
    assert not TrainingSession.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, reference: None) -> None:
    response = client.post(URL, {})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"course": "99999999999999999999999"},
        {"municipality": "-1"},
        {"issuing_organisation": "99999999999999999999999"},
        {"trainers": ["99999999999999999999999"]},
        {"title": "a\x00b"},
        {"capacity": "99999999999999999999999"},
        {"registration_deadline": "9999-12-31T23:59"},
        {"starts_at": "0001-01-01T00:00"},
        {"title": "x" * 5000},
    ],
)
def test_hostile_input_is_a_400_not_a_500(
    client_coordinator: Client, changes: dict[str, Any]
) -> None:
    response = client_coordinator.post(URL, good(**changes))
    assert response.status_code == 400
    assert not TrainingSession.objects.exists()
