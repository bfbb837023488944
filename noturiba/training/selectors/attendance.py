"""Reads for attendance, results and feedback: the session a user runs, its attendance list,
and the feedback summaries (each one aggregate query in the database).

A session the user may not see is a 404 (``session_filter``); a session they may see but not
run is a 403 (``can_run_session``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from noturiba.accounts import policy
from noturiba.accounts.models import User
from noturiba.training.models import CourseModule, Enrolment, Feedback, TrainingSession

QUESTIONS = ("overall", "content", "trainer", "relevance")
RATINGS = (1, 2, 3, 4, 5)
ATTENDED = (Enrolment.Attendance.PRESENT, Enrolment.Attendance.PARTIAL)


@dataclass(frozen=True)
class SessionToRun:
    """A session its user may run, with what attendance needs to know about it."""

    session: TrainingSession
    trainer_ids: frozenset[int]
    full_hours: Decimal  # the most hours anyone can attend: the course's hours
    pass_mark: int | None

    @property
    def marks_open_at(self) -> datetime.datetime:
        return marks_open_at(self.session)

    @property
    def is_closed(self) -> bool:
        return self.session.results_closed_at is not None

    def is_open_for_marks(self, now: datetime.datetime | None = None) -> bool:
        """Marks may be saved: not cancelled, the session's day has begun, results not closed."""
        now = now or timezone.now()
        return (
            self.session.status != TrainingSession.Status.CANCELLED
            and not self.is_closed
            and now >= self.marks_open_at
        )


def marks_open_at(session: TrainingSession) -> datetime.datetime:
    """Attendance opens at midnight (Europe/Riga) of the session's first day: the trainer may
    sign people in as they arrive before the start, never the day before (a mark says someone
    came)."""
    local = timezone.localtime(session.starts_at, timezone.get_default_timezone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def full_hours(session: TrainingSession) -> Decimal:
    """The course's hours (sum of its modules); a course without modules: the session's length
    in whole half hours."""
    total = CourseModule.objects.filter(course_id=session.course_id).aggregate(
        hours=Sum("module__hours")
    )["hours"]
    if total:
        return Decimal(total)
    seconds = Decimal((session.ends_at - session.starts_at).total_seconds())
    halves = (seconds / Decimal(1800)).quantize(Decimal(1), rounding=ROUND_DOWN)
    return max(halves / 2, Decimal("0.5"))


def _visible_session(actor: policy.Actor, session_id: int) -> TrainingSession:
    visible = TrainingSession.objects.filter(policy.session_filter(actor)).values("pk")
    session = (
        TrainingSession.objects.select_related("course")
        .filter(pk=session_id, pk__in=visible)
        .first()
    )
    if session is None:
        raise Http404
    return session


def get_session_to_run(actor: policy.Actor, session_id: int) -> SessionToRun:
    """The session for its attendance, results and feedback summary pages."""
    session = _visible_session(actor, session_id)
    trainer_ids = frozenset(session.trainers.values_list("pk", flat=True))
    if not policy.can_run_session(actor, trainer_ids=trainer_ids):
        raise PermissionDenied
    return SessionToRun(
        session=session,
        trainer_ids=trainer_ids,
        full_hours=full_hours(session),
        pass_mark=session.course.pass_mark,
    )


def attendance_list(session: TrainingSession) -> QuerySet[Enrolment]:
    """The confirmed participants, by name (bounded by the session's capacity: one page)."""
    return (
        Enrolment.objects.filter(session=session, status=Enrolment.Status.CONFIRMED)
        .select_related("person")
        .only(
            "id",
            "session_id",
            "attendance",
            "hours_attended",
            "score",
            "attendance_recorded_at",
            "person__id",
            "person__full_name",
            "person__email",
        )
        .order_by("person__full_name", "id")
    )


# --- Feedback ---------------------------------------------------------------------------------


def get_enrolment_for_feedback(actor: policy.Actor, session_id: int) -> Enrolment:
    """The actor's own confirmed enrolment in the session (404 for anyone else: never says
    whether the session exists)."""
    roles = policy.roles_of(actor)
    if roles.person_id is None or not policy.can_give_feedback(actor, person_id=roles.person_id):
        raise Http404
    enrolment = (
        Enrolment.objects.select_related("session__course")
        .filter(
            session_id=session_id,
            person_id=roles.person_id,
            status=Enrolment.Status.CONFIRMED,
        )
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def feedback_of(enrolment: Enrolment) -> Feedback | None:
    return Feedback.objects.filter(enrolment=enrolment).first()


@dataclass(frozen=True)
class QuestionSummary:
    question: str
    average: Decimal | None
    counts: tuple[int, ...]  # answers with rating 1, 2, 3, 4, 5


@dataclass(frozen=True)
class FeedbackSummary:
    answers: int
    questions: tuple[QuestionSummary, ...]


def _summary_aggregates() -> dict[str, Any]:
    aggregates: dict[str, Any] = {"answers": Count("pk")}
    for question in QUESTIONS:
        aggregates[f"{question}_avg"] = Avg(question)
        for rating in RATINGS:
            aggregates[f"{question}_{rating}"] = Count("pk", filter=Q(**{question: rating}))
    return aggregates


def _summary(values: dict[str, Any]) -> FeedbackSummary:
    def average(value: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(Decimal("0.01"))

    return FeedbackSummary(
        answers=values["answers"] or 0,
        questions=tuple(
            QuestionSummary(
                question=question,
                average=average(values[f"{question}_avg"]),
                counts=tuple(values[f"{question}_{rating}"] or 0 for rating in RATINGS),
            )
            for question in QUESTIONS
        ),
    )


def session_feedback_summary(session: TrainingSession) -> FeedbackSummary:
    """Averages and distribution of every question, in one query."""
    return _summary(
        Feedback.objects.filter(enrolment__session=session).aggregate(**_summary_aggregates())
    )


def session_feedback_comments(session: TrainingSession) -> QuerySet[Feedback]:
    """The comments alone: no names, no ratings beside them (paginated by the view)."""
    return (
        Feedback.objects.filter(enrolment__session=session)
        .exclude(comments="")
        .only("id", "comments")
        .order_by("-updated_at", "-id")
    )


def get_trainer(actor: policy.Actor, user_id: int) -> User:
    """A trainer's feedback page: the trainer and coordinators (``can_view_trainer_feedback``).
    Refused before the user is read, so existence is never told."""
    if not policy.can_view_trainer_feedback(actor, trainer_id=user_id):
        raise PermissionDenied
    trainer = (
        User.objects.filter(pk=user_id)
        .filter(Q(is_trainer=True) | Q(training_sessions_led__isnull=False))
        .distinct()
        .first()
    )
    if trainer is None:
        raise Http404
    return trainer


def _trainer_feedback(trainer: User) -> QuerySet[Feedback]:
    return Feedback.objects.filter(enrolment__session__trainers=trainer)


def trainer_feedback_summary(trainer: User) -> FeedbackSummary:
    """Every answer about every session the trainer led, in one query."""
    return _summary(_trainer_feedback(trainer).aggregate(**_summary_aggregates()))


def trainer_sessions_feedback(trainer: User) -> QuerySet[TrainingSession]:
    """The trainer's sessions that have answers, newest first, each with its answers and
    averages (one query per page)."""
    return (
        TrainingSession.objects.filter(trainers=trainer, enrolments__feedback__isnull=False)
        .select_related("course")
        .annotate(
            answers=Count("enrolments__feedback"),
            **{
                f"{question}_avg": Avg(f"enrolments__feedback__{question}")
                for question in QUESTIONS
            },
        )
        .order_by("-starts_at", "-id")
    )


def feedback_refusal(enrolment: Enrolment, now: datetime.datetime | None = None) -> str:
    """Why this enrolment cannot answer the survey yet ("" when it can): ``not_attended``
    (no attendance recorded as present or partly present) or ``not_ended``."""
    now = now or timezone.now()
    session = enrolment.session
    if (
        enrolment.status != Enrolment.Status.CONFIRMED
        or session.status == TrainingSession.Status.CANCELLED
    ):
        return "not_attended"
    if session.ends_at > now:
        return "not_ended"
    if enrolment.attendance not in ATTENDED:
        return "not_attended"
    return ""
