"""Training API: the curriculum's modules and the sessions of the programme.

The same rules as the pages: every signed-in caller reads the curriculum and the published
sessions; drafts are visible to coordinators and their own trainers only
(``policy.session_filter``, through the selectors), and a session one may not see is a 404.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from noturiba.api.auth import actor_of
from noturiba.api.pagination import Page, PageQuery, paginate
from noturiba.network.api.common import CodeLookup, ObjectPath, responses
from noturiba.training.models import Module, TrainingSession
from noturiba.training.selectors import curriculum as curriculum_selectors
from noturiba.training.selectors import sessions as selectors

router = Router(tags=["training"])

TAGS = ["training"]


# --- Schemas ------------------------------------------------------------------------------------


class CompetencyOut(Schema):
    code: str
    name_lv: str
    name_en: str
    validity_months: int | None = Field(
        description="How long the competency stays valid after training; null: for good."
    )


class ModuleOut(Schema):
    code: str
    name_lv: str
    name_en: str
    summary_lv: str
    summary_en: str
    outcomes_lv: list[str] = Field(description="Learning outcomes in Latvian, one per item.")
    outcomes_en: list[str] = Field(description="Learning outcomes in English, one per item.")
    hours: Decimal = Field(description="Teaching hours (decimal string).")
    competencies: list[CompetencyOut] = Field(description="Competencies the module confers.")


class CourseRef(Schema):
    code: str
    name_lv: str
    name_en: str


class TrainerOut(Schema):
    id: int
    name: str


class OrganisationRef(Schema):
    id: int
    name: str


class AccessibilityOut(Schema):
    step_free_access: bool
    accessible_toilet: bool
    hearing_loop: bool
    notes: str


class SessionModuleOut(Schema):
    code: str
    name_lv: str
    name_en: str
    hours: Decimal


class SessionOut(Schema):
    id: int
    url: str = Field(description="The session's page.")
    title: str = Field(description="The session's title, or its course's name.")
    course: CourseRef
    status: Literal["draft", "published", "cancelled"]
    starts_at: datetime.datetime = Field(description="Start, in Europe/Riga time with offset.")
    ends_at: datetime.datetime
    registration_deadline: datetime.datetime | None
    open_for_registration: bool
    mode: Literal["in_person", "online", "hybrid"]
    venue: str
    address: str
    municipality: str | None = Field(description="ISO 3166-2:LV code of the municipality.")
    online_url: str
    language: str = Field(description="Language of teaching (ISO 639-1).")
    capacity: int
    free_places: int
    waiting_list: int = Field(description="How many people wait for a place.")
    accessibility: AccessibilityOut
    trainers: list[TrainerOut]
    issuing_organisation: OrganisationRef | None = Field(
        description="Named on certificates; null: the network itself."
    )
    sequence: int = Field(description="Raised on every change (the iCalendar SEQUENCE).")


class SessionDetailOut(SessionOut):
    modules: list[SessionModuleOut]
    cancellation_reason: str = Field(description="Why the session was cancelled, if it was.")


class SessionQuery(Schema):
    municipality: str | None = Field(
        None,
        max_length=6,
        description="Only sessions in this municipality (ISO 3166-2:LV code, e.g. `LV-067`).",
    )
    language: Literal["lv", "en", "ru", "uk"] | None = Field(
        None, description="Only sessions taught in this language."
    )
    course: str | None = Field(
        None, max_length=40, pattern=r"^[a-z0-9_-]+$", description="Only sessions of this course."
    )


# --- Presenting ---------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _present_modules(rows: Sequence[Module]) -> list[dict[str, Any]]:
    return [
        {
            "code": module.code,
            "name_lv": module.name_lv,
            "name_en": module.name_en,
            "summary_lv": module.summary_lv,
            "summary_en": module.summary_en,
            "outcomes_lv": _lines(module.outcomes_lv),
            "outcomes_en": _lines(module.outcomes_en),
            "hours": module.hours,
            "competencies": list(module.competencies.all()),
        }
        for module in rows
    ]


def _riga(moment: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(moment) if moment is not None else None


def _present_session(session: TrainingSession, link: str) -> dict[str, Any]:
    organisation = session.issuing_organisation
    return {
        "id": session.pk,
        "url": link.format(session.pk),
        "title": session.display_title,
        "course": session.course,
        "status": session.status,
        "starts_at": _riga(session.starts_at),
        "ends_at": _riga(session.ends_at),
        "registration_deadline": _riga(session.registration_deadline),
        "open_for_registration": session.is_open_for_registration,
        "mode": session.mode,
        "venue": session.venue,
        "address": session.address,
        "municipality": session.municipality.code if session.municipality else None,
        "online_url": session.online_url,
        "language": session.language,
        "capacity": session.capacity,
        "free_places": selectors.free_places(session),
        "waiting_list": getattr(session, "waitlisted_count", 0),
        "accessibility": {
            "step_free_access": session.step_free_access,
            "accessible_toilet": session.accessible_toilet,
            "hearing_loop": session.hearing_loop,
            "notes": session.accessibility_notes,
        },
        "trainers": [
            {"id": trainer.pk, "name": trainer.full_name or trainer.email}
            for trainer in session.trainers.all()
        ],
        "issuing_organisation": (
            {"id": organisation.pk, "name": organisation.name} if organisation else None
        ),
        "sequence": session.sequence,
    }


def _session_link(request: HttpRequest) -> str:
    # One reverse() for the page, not one per row.
    return (
        request.build_absolute_uri(reverse("training:session_detail", args=[0]).removesuffix("0/"))
        + "{}/"
    )


# --- Endpoints ----------------------------------------------------------------------------------


@router.get("/training/modules", response=responses(200, Page[ModuleOut], 401), tags=TAGS)
def list_modules(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """The curriculum's modules in use, in order: outcomes, hours and the competencies they
    confer (with how long each stays valid), in Latvian and English."""
    return paginate(
        request, curriculum_selectors.modules_with_competencies(), paging, present=_present_modules
    )


_MUNICIPALITY_CODE = re.compile(r"^LV-[0-9A-Z]{3}$")


@router.get("/training/sessions", response=responses(200, Page[SessionOut], 401), tags=TAGS)
def list_sessions(
    request: HttpRequest, query: Query[SessionQuery], paging: Query[PageQuery]
) -> dict[str, Any]:
    """Upcoming sessions (not yet ended) the caller may see, soonest first: published ones,
    and drafts for their trainers and coordinators."""
    actor = actor_of(request)
    municipality = ""
    if query.municipality is not None:
        code = query.municipality.strip().upper()
        if not _MUNICIPALITY_CODE.match(code):
            raise ValidationError(
                {"municipality": [_("Give an ISO 3166-2:LV code such as LV-067.")]}
            )
        codes = CodeLookup()
        found = codes.municipality("municipality", code)
        codes.check()
        municipality = found.code if found else code
    filters = selectors.SessionFilters(
        municipality=municipality, language=query.language or "", course=query.course or ""
    )
    rows = (
        selectors.search_sessions(actor, filters)
        .select_related("issuing_organisation")
        .prefetch_related("trainers")
    )
    link = _session_link(request)
    return paginate(
        request, rows, paging, present=lambda page: [_present_session(s, link) for s in page]
    )


@router.get(
    "/training/sessions/{int:session_id}",
    response=responses(200, SessionDetailOut, 401, 404),
    tags=TAGS,
)
def get_session(request: HttpRequest, session_id: int = ObjectPath) -> dict[str, Any]:
    """One session with its course's modules; 404 when the caller may not see it."""
    session = selectors.get_session_for_user(actor_of(request), session_id)
    return {
        **_present_session(session, _session_link(request)),
        "modules": [row.module for row in session.course.course_modules.all()],
        "cancellation_reason": session.cancellation_reason,
    }
