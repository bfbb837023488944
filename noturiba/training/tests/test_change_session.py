"""Changing, publishing and cancelling a session: the sequence rises on each change, places
never below the confirmed, audit entries, and who may."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for
from noturiba.training.forms.sessions import DATETIME_FORMAT
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.tests.sessions_support import enrol, make_session, other_trainer

pytestmark = pytest.mark.django_db


def form_data(session: TrainingSession, **changes: str) -> dict[str, object]:
    def riga(value: datetime.datetime | None) -> str:
        return timezone.localtime(value).strftime(DATETIME_FORMAT) if value else ""

    data: dict[str, object] = {
        "course": session.course_id,
        "title": session.title,
        "starts_at": riga(session.starts_at),
        "ends_at": riga(session.ends_at),
        "mode": session.mode,
        "venue": session.venue,
        "address": session.address,
        "municipality": session.municipality_id or "",
        "online_url": session.online_url,
        "trainers": [trainer.pk for trainer in session.trainers.all()],
        "capacity": session.capacity,
        "language": session.language,
        "accessibility_notes": session.accessibility_notes,
        "registration_deadline": riga(session.registration_deadline),
    }
    data.update(changes)
    return data


def edit_url(session: TrainingSession) -> str:
    return reverse("training:session_edit", args=[session.pk])


def audits(session: TrainingSession) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="training.trainingsession", object_id=str(session.pk)
        ).order_by("id")
    )


def test_its_trainer_changes_it_and_the_sequence_rises(trainer: User) -> None:
    session = make_session(trainers=[trainer])
    client = client_for(trainer)
    assert client.get(edit_url(session)).status_code == 200
    response = client.post(edit_url(session), form_data(session, venue="Ogres tehnikums"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.venue == "Ogres tehnikums" and session.sequence == 1
    [entry] = audits(session)
    assert entry.changes["venue"] == ["Ogres novada kultūras centrs", "Ogres tehnikums"]


def test_saving_without_a_change_keeps_the_sequence(trainer: User) -> None:
    session = make_session(trainers=[trainer])
    response = client_for(trainer).post(edit_url(session), form_data(session))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.sequence == 0 and audits(session) == []


def test_fewer_places_than_confirmed_people_is_refused(
    client_coordinator: Client, english: None
) -> None:
    session = make_session(capacity=10)
    enrol(session, 6)
    enrol(session, 3, Enrolment.Status.WAITLISTED)
    response = client_coordinator.post(edit_url(session), form_data(session, capacity="5"))
    assert response.status_code == 400
    assert "6 people are already confirmed" in " ".join(response.context["form"].errors["capacity"])
    session.refresh_from_db()
    assert session.capacity == 10 and session.sequence == 0
    response = client_coordinator.post(edit_url(session), form_data(session, capacity="6"))
    assert response.status_code == 302


def test_more_places_promote_the_waiting_list(client_coordinator: Client) -> None:
    session = make_session(capacity=2)
    enrol(session, 2)
    enrol(session, 3, Enrolment.Status.WAITLISTED)
    response = client_coordinator.post(edit_url(session), form_data(session, capacity="4"))
    assert response.status_code == 302
    assert session.enrolments.filter(status=Enrolment.Status.CONFIRMED).count() == 4
    assert session.enrolments.filter(status=Enrolment.Status.WAITLISTED).count() == 1


def test_bad_input_on_the_edit_page_changes_nothing(
    client_coordinator: Client, english: None
) -> None:
    session = make_session()
    for changes in (
        {"ends_at": "2000-01-01T00:00"},
        {"capacity": "-1"},
        {"starts_at": "\x00"},
        {"mode": "online"},
    ):
        response = client_coordinator.post(edit_url(session), form_data(session, **changes))
        assert response.status_code == 400, changes
    session.refresh_from_db()
    assert session.sequence == 0 and audits(session) == []


def test_publishing_a_draft(trainer: User, client_member_a: Client) -> None:
    session = make_session(status="draft", trainers=[trainer])
    url = reverse("training:session_publish", args=[session.pk])
    assert client_member_a.post(url).status_code == 404  # a draft does not exist for them
    response = client_for(trainer).post(url)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "published" and session.published_at is not None
    assert session.sequence == 1
    [entry] = audits(session)
    assert entry.changes == {"status": ["draft", "published"]} and entry.actor == trainer
    assert (
        client_member_a.get(reverse("training:session_detail", args=[session.pk])).status_code
        == 200
    )
    client_for(trainer).post(url)  # a second publish changes nothing
    session.refresh_from_db()
    assert session.sequence == 1 and len(audits(session)) == 1
    assert client_for(trainer).get(url).status_code == 405


def test_cancelling_needs_a_reason_and_shows_it(
    client_coordinator: Client, client_member_a: Client, english: None
) -> None:
    session = make_session(title="Atcelšanai")
    url = reverse("training:session_cancel", args=[session.pk])
    assert client_coordinator.get(url).status_code == 200
    response = client_coordinator.post(url, {"reason": "   "})
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.status == "published"
    response = client_coordinator.post(url, {"reason": "Telpas applūdušas."})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "cancelled" and session.cancelled_at is not None
    assert session.sequence == 1
    [entry] = audits(session)
    assert entry.changes["reason"] == [None, "Telpas applūdušas."]
    html = client_member_a.get(reverse("training:session_detail", args=[session.pk])).content
    assert "Telpas applūdušas." in html.decode()
    response = client_coordinator.post(url, {"reason": "Vēlreiz"})
    assert response.status_code == 400  # already cancelled
    assert client_coordinator.get(edit_url(session)).status_code == 302  # no more edits
    assert client_coordinator.post(edit_url(session), form_data(session)).status_code == 302
    session.refresh_from_db()
    assert session.sequence == 1


@pytest.mark.parametrize("who", ["other_trainer", "admin_a", "member_a", "officer"])
def test_people_who_do_not_run_a_published_session_get_403_and_change_nothing(
    who: str, trainer: User, request: pytest.FixtureRequest
) -> None:
    user = other_trainer() if who == "other_trainer" else request.getfixturevalue(who)
    session = make_session(trainers=[trainer])
    client = client_for(user)
    for url in (edit_url(session), reverse("training:session_cancel", args=[session.pk])):
        assert client.get(url).status_code == 403
    assert client.post(edit_url(session), form_data(session, venue="X")).status_code == 403
    assert (
        client.post(
            reverse("training:session_cancel", args=[session.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    session.refresh_from_db()
    assert session.status == "published" and session.venue != "X" and session.sequence == 0
    detail = client.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert edit_url(session) not in detail


@pytest.mark.parametrize("who", ["other_trainer", "admin_a", "member_a", "officer"])
def test_a_draft_is_a_404_on_every_page_for_outsiders(
    who: str, trainer: User, request: pytest.FixtureRequest
) -> None:
    user = other_trainer() if who == "other_trainer" else request.getfixturevalue(who)
    session = make_session(status="draft", title="Slepena", trainers=[trainer])
    client = client_for(user)
    for name in ("session_edit", "session_cancel", "session_detail"):
        response = client.get(reverse(f"training:{name}", args=[session.pk]))
        assert response.status_code == 404 and "Slepena" not in response.content.decode()
    for name in ("session_publish", "session_cancel"):
        assert client.post(reverse(f"training:{name}", args=[session.pk])).status_code == 404


def test_anonymous_visitors_change_nothing(client: Client, reference: None) -> None:
    session = make_session(status="draft")
    for name in ("session_edit", "session_publish", "session_cancel"):
        response = client.post(reverse(f"training:{name}", args=[session.pk]), {"reason": "x"})
        assert response.status_code == 302 and "/login" in response["Location"]
    session.refresh_from_db()
    assert session.status == "draft"


def test_a_session_keeps_a_course_no_longer_in_use(client_coordinator: Client) -> None:
    session = make_session(capacity=10)
    session.course.is_active = False
    session.course.save(update_fields=["is_active"])
    assert client_coordinator.get(edit_url(session)).status_code == 200
    response = client_coordinator.post(edit_url(session), form_data(session, capacity="12"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.capacity == 12
    response = client_coordinator.post(
        reverse("training:session_create"), form_data(session, capacity="12")
    )
    assert response.status_code == 400 and "course" in response.context["form"].errors
