"""Training API: a person's learning record (``GET /api/v1/people/{id}/learning-record``).

The same rules as the page (``policy.can_view_learning_record``: the person, admins of their
organisations, coordinators); anyone else gets the same 404 as for a person who does not exist.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from noturiba.api.auth import actor_of
from noturiba.network.api.common import ObjectPath, responses
from noturiba.training.selectors import knowledge as selectors

router = Router(tags=["training"])


class HeldCompetencyOut(Schema):
    code: str
    name_lv: str
    name_en: str
    acquired_on: datetime.date
    valid_until: datetime.date | None = Field(description="Empty: does not expire.")
    state: str = Field(
        description="`valid`, `expiring` (within 90 days, still valid), `expired` or `revoked`."
    )


class RecordCertificateOut(Schema):
    code: str = Field(description="Verification code (`/verify/{code}`).")
    course_name_lv: str
    course_name_en: str
    completed_on: datetime.date
    valid_until: datetime.date | None
    state: str = Field(description="`valid`, `expired` or `revoked`.")


class AttendedSessionOut(Schema):
    session_id: int
    title: str
    starts_at: datetime.datetime
    attendance: str = Field(description="`present` or `partial`.")
    hours_attended: Decimal | None


class LearningRecordOut(Schema):
    person_id: int
    full_name: str
    as_of: datetime.date = Field(description="The day (Europe/Riga) the states refer to.")
    competencies: list[HeldCompetencyOut]
    certificates: list[RecordCertificateOut]
    sessions: list[AttendedSessionOut]


@router.get(
    "/people/{int:person_id}/learning-record",
    response=responses(200, LearningRecordOut, 401, 404),
)
def learning_record(request: HttpRequest, person_id: int = ObjectPath) -> LearningRecordOut:
    """What the person learned: each competency once (its best grant) with its state, their
    certificates and the sessions they attended."""
    person = selectors.get_person_for_record(actor_of(request), person_id)
    record = selectors.learning_record(person)
    return LearningRecordOut(
        person_id=person.pk,
        full_name=person.full_name,
        as_of=record.day,
        competencies=[
            HeldCompetencyOut(
                code=held.competency.code,
                name_lv=held.competency.name_lv,
                name_en=held.competency.name_en,
                acquired_on=held.acquired_on,
                valid_until=held.valid_until,
                state=str(held.state),
            )
            for held in record.competencies
        ],
        certificates=[
            RecordCertificateOut(
                code=item.certificate.code,
                course_name_lv=item.certificate.course_name_lv,
                course_name_en=item.certificate.course_name_en,
                completed_on=item.certificate.completed_on,
                valid_until=item.certificate.valid_until,
                state=item.state,
            )
            for item in record.certificates
        ],
        sessions=[
            AttendedSessionOut(
                session_id=enrolment.session_id,
                title=enrolment.session.display_title,
                starts_at=enrolment.session.starts_at,
                attendance=enrolment.attendance,
                hours_attended=enrolment.hours_attended,
            )
            for enrolment in record.sessions
        ],
    )
