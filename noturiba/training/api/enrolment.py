"""Training API: enrolment — enrol a person in a session, cancel an enrolment.

The same rules as the pages (``noturiba.training.actions.enrolment``): a leader enrols themselves,
an organisation admin their own organisation's people, coordinators anyone; a full session puts
the person on its waiting list.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from noturiba.accounts import policy
from noturiba.api.auth import actor_of
from noturiba.api.errors import error_response
from noturiba.network.api.common import ObjectPath, responses
from noturiba.network.schemas import MAX_ID
from noturiba.training.actions import enrolment as actions
from noturiba.training.models import Enrolment
from noturiba.training.selectors import enrolment as selectors

router = Router(tags=["training"])


class EnrolmentIn(Schema):
    person_id: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="Whom to enrol. Empty: the caller's own person record.",
    )


class EnrolmentOut(Schema):
    id: int
    session_id: int
    person_id: int
    status: str = Field(description="`confirmed`, `waitlisted` or `cancelled`.")
    waiting_list_position: int | None = Field(
        description="1 for the first in line; null when not on the waiting list."
    )
    enrolled_at: datetime.datetime
    status_changed_at: datetime.datetime


def _present(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "id": enrolment.pk,
        "session_id": enrolment.session_id,
        "person_id": enrolment.person_id,
        "status": enrolment.status,
        "waiting_list_position": selectors.waitlist_position(enrolment),
        "enrolled_at": enrolment.created_at,
        "status_changed_at": enrolment.status_changed_at,
    }


def _refused(error: ValidationError) -> HttpResponse:
    """409 for a place the person already has; 422 (with the reason's code) otherwise."""
    code = error.code or "invalid"
    status = 409 if code in (selectors.ALREADY_ENROLLED, selectors.ALREADY_CANCELLED) else 422
    return error_response(status, code, " ".join(error.messages))


@router.post(
    "/training/sessions/{int:session_id}/enrolments",
    response=responses(201, EnrolmentOut, 401, 403, 404, 409),
)
def enrol(request: HttpRequest, payload: EnrolmentIn, session_id: int = ObjectPath) -> Any:
    """Enrol a person (default: the caller) in a session: `confirmed` while there are places,
    else `waitlisted` with its place in line. 409 when the person is already enrolled; 422 with
    the reason (`not_published`, `session_cancelled`, `started`, `registration_closed`) when the
    session takes no enrolments; 403 when the caller may not enrol that person."""
    actor = actor_of(request)
    session = selectors.get_session_for_user(actor, session_id)
    if payload.person_id is None:
        person = selectors.person_of(actor)
        if person is None:
            return error_response(
                422,
                "invalid",
                _("Your account has no person record: say whom to enrol."),
                {"person_id": [_("This field is required for your account.")]},
            )
    else:
        person = policy.enrollable_people(actor).filter(pk=payload.person_id).first()
        if person is None:
            raise PermissionDenied
    try:
        enrolment = actions.enrol_person(actor, session=session, person=person)
    except ValidationError as error:
        return _refused(error)
    return Status(201, _present(enrolment))


@router.delete(
    "/training/enrolments/{int:enrolment_id}",
    response=responses(200, EnrolmentOut, 401, 403, 404, 409),
)
def cancel(request: HttpRequest, enrolment_id: int = ObjectPath) -> Any:
    """Cancel an enrolment (the person, their organisation's admins, coordinators, the session's
    trainers). A freed place goes to the first on the waiting list. 409 when it is already
    cancelled; 422 (`started`) once the session has started."""
    actor = actor_of(request)
    enrolment = selectors.get_enrolment_for_user(actor, enrolment_id)
    try:
        actions.cancel_enrolment(actor, enrolment=enrolment)
    except ValidationError as error:
        return _refused(error)
    return _present(enrolment)
