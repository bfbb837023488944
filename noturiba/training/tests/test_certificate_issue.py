"""close_results: certificates for those who completed, with their snapshot, competency grants,
once only, audited, by the session's trainers and coordinators."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Organisation
from noturiba.training.actions.certificates import close_results
from noturiba.training.models import Certificate, CompetencyGrant, Enrolment, TrainingSession
from noturiba.training.tests.certificate_support import (
    Mailbox,
    enrol,
    mailbox,
    make_course,
    make_person,
    make_session,
)

__all__ = ["mailbox"]

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def session(trainer: User) -> TrainingSession:
    # Ends 14:00 UTC on 10 June 2026 = 17:00 in Riga (summer time), the same calendar day.
    return make_session(
        make_course(),
        trainers=(trainer,),
        ends_at=datetime.datetime(2026, 6, 10, 14, 0, tzinfo=UTC),
    )


def test_only_completed_enrolments_get_a_certificate(
    trainer: User, session: TrainingSession
) -> None:
    passed = enrol(session, make_person("Jānis Bērziņš"), hours="8", score=60)
    enrol(session, make_person("Short Hours"), hours="7.9", score=90)
    enrol(session, make_person("Low Score"), hours="10", score=59)
    enrol(session, make_person("Not Recorded"), hours=None, score=None)
    enrol(session, make_person("On The List"), status=Enrolment.Status.WAITLISTED)
    enrol(session, make_person("Cancelled"), status=Enrolment.Status.CANCELLED)

    issued = close_results(trainer, session=session)

    assert [certificate.enrolment_id for certificate in issued] == [passed.pk]
    assert Certificate.objects.count() == 1
    session.refresh_from_db()
    assert session.results_closed_at is not None


def test_the_certificate_is_a_snapshot(
    trainer: User, coordinator: User, session: TrainingSession
) -> None:
    session.trainers.add(coordinator)
    enrol(session, make_person("Jānis Bērziņš"), hours="9.5", score=75)

    [certificate] = close_results(trainer, session=session)
    certificate.refresh_from_db()

    assert certificate.holder_name == "Jānis Bērziņš"
    assert certificate.course_name_lv == "Civilā aizsardzība kopienā"
    assert certificate.course_name_en == "Civil protection in the community"
    assert certificate.modules == [
        {
            "code": "civil-protection-m0",
            "name_lv": "Modulis 0: trauksmes celšana un patvertnes",
            "name_en": "Module 0: public alerting and shelters",
            "hours": "6.0",
        },
        {
            "code": "civil-protection-m1",
            "name_lv": "Modulis 1: trauksmes celšana un patvertnes",
            "name_en": "Module 1: public alerting and shelters",
            "hours": "4.0",
        },
    ]
    assert certificate.hours == Decimal("9.5")
    assert certificate.trainer_names == "Ilze Koordinatore, Laura Trenere"
    assert certificate.issuer_name == "Noturība"  # no issuing organisation: the network
    assert certificate.completed_on == datetime.date(2026, 6, 10)
    # The first module's competency lasts 24 months, the second's for good.
    assert certificate.valid_until == datetime.date(2028, 6, 10)
    assert len(certificate.code) == 12


def test_the_issuer_is_the_sessions_issuing_organisation(
    trainer: User, org_a: Organisation
) -> None:
    session = make_session(make_course(), trainers=(trainer,), issuing_organisation=org_a)
    enrol(session, make_person())

    [certificate] = close_results(trainer, session=session)

    assert certificate.issuer_name == "Ogres Samariešu biedrība"


def test_the_network_name_setting_names_the_issuer(
    trainer: User, session: TrainingSession, settings: Any
) -> None:
    settings.NETWORK_NAME = "Pilsoniskās noturības tīkls"
    enrol(session, make_person())

    [certificate] = close_results(trainer, session=session)

    assert certificate.issuer_name == "Pilsoniskās noturības tīkls"


def test_one_grant_per_competency_of_the_course(trainer: User, session: TrainingSession) -> None:
    enrol(session, make_person())

    [certificate] = close_results(trainer, session=session)

    grants = sorted(
        CompetencyGrant.objects.filter(certificate=certificate).values_list(
            "competency__code", "acquired_on", "valid_until", "person_id"
        )
    )
    assert grants == [
        (
            "civil-protection-c0",
            datetime.date(2026, 6, 10),
            datetime.date(2028, 6, 10),
            certificate.person_id,
        ),
        ("civil-protection-c1", datetime.date(2026, 6, 10), None, certificate.person_id),
    ]


def test_a_competency_shared_by_two_modules_is_granted_once(
    trainer: User, session: TrainingSession
) -> None:
    first, second = (cm.module for cm in session.course.course_modules.order_by("position"))
    second.competencies.add(*first.competencies.all())
    enrol(session, make_person())

    [certificate] = close_results(trainer, session=session)

    assert certificate.grants.count() == 2


def test_no_competency_expires_no_valid_until(trainer: User) -> None:
    session = make_session(make_course(validity_months=(None, None)), trainers=(trainer,))
    enrol(session, make_person())

    [certificate] = close_results(trainer, session=session)

    assert certificate.valid_until is None


def test_closing_twice_issues_nothing_twice(trainer: User, session: TrainingSession) -> None:
    enrol(session, make_person("First"))
    late = enrol(session, make_person("Corrected Later"), score=10)
    close_results(trainer, session=session)
    session.refresh_from_db()
    first_closed = session.results_closed_at

    assert close_results(trainer, session=session) == []
    late.score = 80
    late.save(update_fields=["score"])
    [second] = close_results(trainer, session=session)

    assert second.enrolment_id == late.pk
    assert Certificate.objects.count() == 2
    assert CompetencyGrant.objects.count() == 4
    session.refresh_from_db()
    assert session.results_closed_at == first_closed


def test_issue_and_closing_are_audited(trainer: User, session: TrainingSession) -> None:
    enrol(session, make_person())

    [certificate] = close_results(trainer, session=session)

    issued = AuditEntry.objects.get(
        object_type="training.certificate", object_id=str(certificate.pk)
    )
    assert issued.action == AuditEntry.Action.CREATE
    assert issued.actor == trainer
    closed = AuditEntry.objects.get(object_type="training.trainingsession")
    assert closed.changes["issued"] == 1


@pytest.mark.parametrize("who", ["admin_a", "member_a", "officer", "other_trainer"])
def test_only_the_sessions_trainers_and_coordinators_close(
    who: str, request: pytest.FixtureRequest, session: TrainingSession
) -> None:
    if who == "other_trainer":
        actor = User.objects.create_user("other@noturiba.example", "x", is_trainer=True)
    else:
        actor = request.getfixturevalue(who)
    enrol(session, make_person())

    with pytest.raises(PermissionDenied):
        close_results(actor, session=session)

    assert Certificate.objects.count() == 0
    session.refresh_from_db()
    assert session.results_closed_at is None


def test_a_coordinator_closes_any_session(coordinator: User, session: TrainingSession) -> None:
    enrol(session, make_person())

    assert len(close_results(coordinator, session=session)) == 1


def test_a_session_not_yet_ended_cannot_close(trainer: User) -> None:
    session = make_session(
        make_course(), trainers=(trainer,), ends_at=timezone.now() + datetime.timedelta(hours=1)
    )
    enrol(session, make_person())

    with pytest.raises(ValidationError) as error:
        close_results(trainer, session=session)

    assert error.value.code == "not_ended"
    assert Certificate.objects.count() == 0


def test_a_cancelled_session_cannot_close(trainer: User, session: TrainingSession) -> None:
    session.status = TrainingSession.Status.CANCELLED
    session.save(update_fields=["status"])
    enrol(session, make_person())

    with pytest.raises(ValidationError):
        close_results(trainer, session=session)

    assert Certificate.objects.count() == 0


def test_holders_with_an_email_address_are_told(
    trainer: User,
    session: TrainingSession,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with_email = make_person("Jānis Bērziņš")
    with_email.email = "janis@example.lv"
    with_email.save(update_fields=["email"])
    enrol(session, with_email)
    enrol(session, make_person("No Address"))

    with django_capture_on_commit_callbacks(execute=True):
        [certificate, _other] = sorted(
            close_results(trainer, session=session), key=lambda c: c.holder_name
        )

    assert mailbox.recipients() == ["janis@example.lv"]
    [message] = mailbox.messages()
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert certificate.code in body
    assert f"/verify/{certificate.code}" in body
