"""Reading training sessions with the policy's rules: who sees which session, filtered lists.

Published sessions (and cancelled ones that were published) are visible to everyone signed in;
drafts to coordinators and the session's own trainers (``policy.session_filter``). A session
the caller may not see is a 404, never a hint that it exists.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import timezone

from noturiba.accounts import policy
from noturiba.network.models import Municipality, Person
from noturiba.training.models import CourseModule, Enrolment, TrainingSession

LANGUAGES = frozenset(Person.Language.values)
MODES = frozenset(TrainingSession.Mode.values)


def _count_of(status: str) -> Coalesce:
    counted = (
        Enrolment.objects.filter(session=OuterRef("pk"), status=status)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_counts(sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """Each session with ``confirmed_count``, ``waitlisted_count`` and ``free_place_count``
    (subqueries, no join)."""
    return sessions.annotate(
        confirmed_count=_count_of(Enrolment.Status.CONFIRMED),
        waitlisted_count=_count_of(Enrolment.Status.WAITLISTED),
    ).annotate(
        free_place_count=Greatest(
            ExpressionWrapper(F("capacity") - F("confirmed_count"), output_field=IntegerField()),
            Value(0),
            output_field=IntegerField(),
        )
    )


def sessions_visible_to(actor: policy.Actor) -> QuerySet[TrainingSession]:
    """Every session ``actor`` may see, once each (the trainers' join stays in a subquery)."""
    visible = TrainingSession.objects.filter(policy.session_filter(actor)).values("pk")
    return TrainingSession.objects.filter(pk__in=visible)


@dataclass(frozen=True)
class SessionFilters:
    """The session list's filters, read leniently: a value that means nothing is ignored."""

    municipality: str = ""
    language: str = ""
    course: str = ""
    mode: str = ""
    free_places: bool = False
    past: bool = False

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> SessionFilters:
        def text(name: str, limit: int = 40) -> str:
            value = query.get(name) or ""
            return value.strip()[:limit] if isinstance(value, str) else ""

        language = text("language")
        mode = text("mode") or text("format")
        return cls(
            municipality=text("municipality").upper(),
            language=language if language in LANGUAGES else "",
            course=text("course"),
            mode=mode if mode in MODES else "",
            free_places=text("free_places") in {"1", "on", "true", "yes"},
            past=text("past") in {"1", "on", "true", "yes"},
        )

    def as_query(self) -> list[tuple[str, str]]:
        pairs = [
            ("municipality", self.municipality),
            ("language", self.language),
            ("course", self.course),
            ("mode", self.mode),
            ("free_places", "1" if self.free_places else ""),
            ("past", "1" if self.past else ""),
        ]
        return [(key, value) for key, value in pairs if value]


def search_sessions(
    actor: policy.Actor, filters: SessionFilters, *, now: datetime.datetime | None = None
) -> QuerySet[TrainingSession]:
    """The sessions ``actor`` may see matching ``filters``: upcoming (not yet ended) soonest
    first, or past ones latest first; with their enrolment counts, course and municipality."""
    now = now or timezone.now()
    sessions = with_counts(sessions_visible_to(actor)).select_related("course", "municipality")
    if filters.past:
        sessions = sessions.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    else:
        sessions = sessions.filter(ends_at__gt=now).order_by("starts_at", "id")
    if filters.municipality:
        sessions = sessions.filter(municipality__code=filters.municipality)
    if filters.language:
        sessions = sessions.filter(language=filters.language)
    if filters.course:
        sessions = sessions.filter(course__code=filters.course)
    if filters.mode:
        sessions = sessions.filter(mode=filters.mode)
    if filters.free_places:
        sessions = sessions.filter(
            status=TrainingSession.Status.PUBLISHED,
            free_place_count__gt=0,  # type: ignore[misc]
        )
    return sessions


def get_session_for_user(actor: policy.Actor, session_id: int) -> TrainingSession:
    """One session with everything its page shows; 404 when ``actor`` may not see it."""
    session = (
        with_counts(sessions_visible_to(actor))
        .select_related("course", "municipality", "issuing_organisation")
        .prefetch_related(
            "trainers",
            Prefetch(
                "course__course_modules",
                queryset=CourseModule.objects.select_related("module").order_by("position", "id"),
            ),
        )
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    return session


def trainer_ids(session: TrainingSession) -> list[int]:
    """The session's trainers (user ids), from the prefetch when there is one."""
    return [trainer.pk for trainer in session.trainers.all()]


def session_municipalities() -> QuerySet[Municipality]:
    """The municipalities to filter sessions by: the current ones."""
    return Municipality.objects.current().order_by("name_lv")


def free_places(session: TrainingSession) -> int:
    """Places not yet confirmed to anyone (from ``with_counts`` when the row has it)."""
    free = getattr(session, "free_place_count", None)
    if free is None:
        confirmed = session.enrolments.filter(status=Enrolment.Status.CONFIRMED).count()
        free = max(session.capacity - confirmed, 0)
    return int(free)
