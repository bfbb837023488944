"""Enrolment through the API: ``POST /api/v1/training/sessions/{id}/enrolments`` and
``DELETE /api/v1/training/enrolments/{id}``."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.api.tests.conftest import ApiClient, api_for, error_of
from noturiba.network.models import Membership, Organisation, Person
from noturiba.training.actions.enrolment import enrol_person
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.tests.enrolment_support import make_session, person_of

pytestmark = pytest.mark.django_db


def colleague_of(organisation: Organisation) -> Person:
    person = Person.objects.create(full_name="Kolēģe Ilga")
    Membership.objects.create(person=person, organisation=organisation, role="member")
    return person


def url(session: TrainingSession) -> str:
    return f"/training/sessions/{session.pk}/enrolments"


def test_a_member_enrols_themself_by_default(member_a: User) -> None:
    session = make_session()

    response = api_for(member_a).post(url(session), {})

    assert response.status_code == 201
    body = response.json()
    enrolment = Enrolment.objects.get()
    assert body["id"] == enrolment.pk
    assert body["person_id"] == person_of(member_a).pk
    assert body["session_id"] == session.pk
    assert (body["status"], body["waiting_list_position"]) == ("confirmed", None)


def test_a_full_session_answers_waitlisted_with_the_place(
    coordinator: User, admin_a: User, org_a: Organisation
) -> None:
    session = make_session(capacity=1)
    enrol_person(coordinator, session=session, person=Person.objects.create(full_name="X"))

    response = api_for(admin_a).post(url(session), {"person_id": colleague_of(org_a).pk})

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["waiting_list_position"]) == (
        "waitlisted",
        1,
    )


def test_enrolling_twice_is_a_409(member_a: User) -> None:
    session = make_session()
    api = api_for(member_a)
    api.post(url(session), {})

    response = api.post(url(session), {})

    assert response.status_code == 409
    assert error_of(response)["code"] == "already_enrolled"
    assert Enrolment.objects.count() == 1


def test_a_member_may_not_enrol_a_colleague_and_an_admin_not_another_organisations_people(
    member_a: User, admin_b: User, org_a: Organisation
) -> None:
    session = make_session()
    colleague = colleague_of(org_a)

    for user in (member_a, admin_b):
        response = api_for(user).post(url(session), {"person_id": colleague.pk})
        assert response.status_code == 403
        assert error_of(response)["code"] == "forbidden"
        assert "Kolēģe" not in response.content.decode()
    assert not Enrolment.objects.exists()


def test_an_unknown_person_is_a_403_like_a_hidden_one(member_a: User) -> None:
    response = api_for(member_a).post(url(make_session()), {"person_id": 999999})

    assert response.status_code == 403


def test_a_session_the_caller_may_not_see_is_a_404(member_a: User) -> None:
    draft = make_session(status=TrainingSession.Status.DRAFT, published_at=None)

    for session_id in (draft.pk, 999999):
        response = api_for(member_a).post(f"/training/sessions/{session_id}/enrolments", {})
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": TrainingSession.Status.CANCELLED}, "session_cancelled"),
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "started"),
        (
            {"registration_deadline": timezone.now() - datetime.timedelta(hours=1)},
            "registration_closed",
        ),
    ],
)
def test_a_closed_session_is_a_422_with_the_reason(
    member_a: User, fields: dict[str, object], code: str
) -> None:
    response = api_for(member_a).post(url(make_session(**fields)), {})

    assert response.status_code == 422
    assert error_of(response)["code"] == code
    assert not Enrolment.objects.exists()


def test_a_coordinator_asking_for_a_draft_gets_not_published(coordinator: User) -> None:
    draft = make_session(status=TrainingSession.Status.DRAFT, published_at=None)
    someone = Person.objects.create(full_name="Kāds")

    response = api_for(coordinator).post(url(draft), {"person_id": someone.pk})

    assert response.status_code == 422
    assert error_of(response)["code"] == "not_published"


def test_an_account_without_a_person_must_name_one(trainer: User) -> None:
    response = api_for(trainer).post(url(make_session()), {})

    assert response.status_code == 422
    assert "person_id" in error_of(response)["fields"]


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        '{"person_id": "abc"}',
        '{"person_id": -1}',
        '{"person_id": 99999999999999999999999}',
        '{"person_id": 1.5}',
    ],
)
def test_bad_input_is_a_clear_error_never_a_500(member_a: User, raw: str) -> None:
    response = api_for(member_a).post(url(make_session()), raw=raw)

    assert response.status_code in (400, 422)
    error_of(response)
    assert not Enrolment.objects.exists()


def test_a_bad_session_id_is_a_404(member_a: User) -> None:
    api = api_for(member_a)
    for path in ("/training/sessions/0/enrolments", "/training/sessions/abc/enrolments"):
        assert api.post(path, {}).status_code == 404


def test_anonymous_is_a_401(reference: None) -> None:
    response = ApiClient().post(url(make_session()), {})

    assert response.status_code == 401


def test_cancelling_promotes_the_waiting_list(
    coordinator: User, member_a: User, org_a: Organisation
) -> None:
    session = make_session(capacity=1)
    mine = enrol_person(member_a, session=session, person=person_of(member_a))
    waiting = enrol_person(coordinator, session=session, person=colleague_of(org_a))
    api = api_for(member_a)

    response = api.delete(f"/training/enrolments/{mine.pk}")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Enrolment.objects.get(pk=waiting.pk).status == "confirmed"
    again = api.delete(f"/training/enrolments/{mine.pk}")
    assert again.status_code == 409
    assert error_of(again)["code"] == "already_cancelled"


def test_someone_elses_enrolment_is_a_404_to_cancel(
    coordinator: User, admin_b: User, org_a: Organisation
) -> None:
    enrolment = enrol_person(coordinator, session=make_session(), person=colleague_of(org_a))

    for enrolment_id in (enrolment.pk, 999999, 0):
        response = api_for(admin_b).delete(f"/training/enrolments/{enrolment_id}")
        assert response.status_code == 404
    assert Enrolment.objects.get().status == "confirmed"
