"""Reads for certificates: who completed a session and why not, one certificate for a signed-in
viewer, and the public verification of a code.

Completion (``completion_of``): a confirmed enrolment completes the course when the hours
attended reach ``course.min_attendance_percent`` % of the course's hours (the sum of its modules'
hours) and, when the course has a pass mark, the score reaches it. Both are compared exactly
(Decimal, no rounding): 80 % of 10 h is 8.0 h, and 7.9 h falls short.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.training.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Certificate,
    Course,
    Enrolment,
    TrainingSession,
)

# Longer input is refused before it is looked at (a code is 12 characters, a person may type
# it with a few spaces or dashes).
MAX_CODE_INPUT = 64
# Crockford's base32 reads the letters people confuse with digits as those digits.
_CROCKFORD = str.maketrans({"I": "1", "L": "1", "O": "0"})


def riga_today() -> datetime.date:
    """Today as a Europe/Riga calendar date (validity dates are Riga dates)."""
    return timezone.localdate(timezone=ZoneInfo(settings.TIME_ZONE))


def riga_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE)).date()


# --- Completion ----------------------------------------------------------------------------


class Shortfall:
    """Why an enrolment did not complete the course (codes; labels in ``SHORTFALL_LABELS``)."""

    NOT_RECORDED = "not_recorded"
    HOURS_SHORT = "hours_short"
    NO_SCORE = "no_score"
    SCORE_BELOW = "score_below"


def shortfall_label(code: str) -> str:
    return {
        Shortfall.NOT_RECORDED: _("attendance not recorded"),
        Shortfall.HOURS_SHORT: _("hours short"),
        Shortfall.NO_SCORE: _("no assessment score recorded"),
        Shortfall.SCORE_BELOW: _("score below the pass mark"),
    }[code]


def course_hours(course: Course) -> Decimal:
    """The course's length: the sum of its modules' hours."""
    total = course.course_modules.aggregate(total=Sum("module__hours"))["total"]
    return total or Decimal(0)


def hours_needed(course: Course, total_hours: Decimal) -> Decimal:
    """The fewest hours (as recorded, to a tenth of an hour) that complete the course."""
    exact = total_hours * course.min_attendance_percent / 100
    return exact.quantize(Decimal("0.1"), rounding=ROUND_CEILING)


def completion_of(enrolment: Enrolment, course: Course, total_hours: Decimal) -> list[str]:
    """The shortfalls of ``enrolment`` (empty: the course is completed)."""
    reasons: list[str] = []
    hours = enrolment.hours_attended
    if hours is None and enrolment.attendance == Enrolment.Attendance.ABSENT:
        hours = Decimal(0)  # marked absent: no hours, whether or not 0 was written
    if hours is None:
        reasons.append(Shortfall.NOT_RECORDED)
    elif hours * 100 < total_hours * course.min_attendance_percent:
        reasons.append(Shortfall.HOURS_SHORT)
    if course.pass_mark is not None:
        if enrolment.score is None:
            reasons.append(Shortfall.NO_SCORE)
        elif enrolment.score < course.pass_mark:
            reasons.append(Shortfall.SCORE_BELOW)
    return reasons


@dataclass(frozen=True)
class Result:
    """One row of a session's results page."""

    enrolment: Enrolment
    shortfalls: list[str]
    certificate: Certificate | None

    @property
    def completed(self) -> bool:
        return not self.shortfalls

    @property
    def shortfall_labels(self) -> list[str]:
        return [shortfall_label(code) for code in self.shortfalls]


def get_session_to_run(actor: policy.Actor, session_id: int) -> TrainingSession:
    """A session whose results ``actor`` may see and close (its trainers, coordinators); 404
    for anyone else, whether or not the session exists."""
    session = (
        TrainingSession.objects.select_related("course", "issuing_organisation")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    trainer_ids = session.trainers.values_list("id", flat=True)
    if not policy.can_run_session(actor, trainer_ids=trainer_ids):
        raise Http404
    return session


def session_enrolments(session: TrainingSession) -> QuerySet[Enrolment]:
    """The confirmed enrolments of ``session`` with their person and certificate, by name."""
    return (
        Enrolment.objects.filter(session=session, status=Enrolment.Status.CONFIRMED)
        .select_related("person", "certificate")
        .order_by("person__full_name", "id")
    )


def results_of(
    session: TrainingSession, enrolments: list[Enrolment], total_hours: Decimal
) -> list[Result]:
    course = session.course
    return [
        Result(
            enrolment=enrolment,
            shortfalls=completion_of(enrolment, course, total_hours),
            certificate=getattr(enrolment, "certificate", None),
        )
        for enrolment in enrolments
    ]


# --- Certificates for signed-in people ------------------------------------------------------


def get_certificate_for_user(actor: policy.Actor, code: str) -> Certificate:
    """The certificate with ``code`` if ``actor`` may see it (its holder, admins of the holder's
    organisations, coordinators); 404 otherwise, whether or not it exists."""
    certificate = (
        Certificate.objects.select_related("person", "revoked_by").filter(code=code).first()
    )
    if certificate is None or not policy.can_view_certificate(actor, certificate.person):
        raise Http404
    return certificate


def certificates_of_person(actor: policy.Actor) -> QuerySet[Certificate]:
    """The signed-in person's own certificates, newest first."""
    person_id = policy.roles_of(actor).person_id
    if person_id is None:
        return Certificate.objects.none()
    return Certificate.objects.filter(person_id=person_id).order_by("-issued_at", "id")


# --- Public verification --------------------------------------------------------------------


class MalformedCode(ValueError):
    """The input cannot be a verification code; ``reason`` says why, for the person typing."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise_code(raw: str) -> str:
    """A typed or scanned code as stored: upper case, without spaces and dashes, Crockford's
    look-alikes read as digits (I and L as 1, O as 0). Raises ``MalformedCode``."""
    if len(raw) > MAX_CODE_INPUT:
        raise MalformedCode(
            _("That is too long for a verification code (%(length)d characters).")
            % {"length": len(raw)}
        )
    code = "".join(raw.split()).replace("-", "").upper().translate(_CROCKFORD)
    if not code:
        raise MalformedCode(_("Type the verification code printed on the certificate."))
    wrong = sorted({character for character in code if character not in CODE_ALPHABET})
    if wrong:
        shown = [character for character in wrong if character.isprintable()][:10]
        raise MalformedCode(
            _(
                "A verification code has only the digits 0–9 and the letters A–Z except U; "
                "these characters do not belong: %(characters)s"
            )
            % {"characters": " ".join(shown) if shown else _("invisible characters")}
        )
    if len(code) != CODE_LENGTH:
        raise MalformedCode(
            _("A verification code has %(expected)d characters; this one has %(length)d.")
            % {"expected": CODE_LENGTH, "length": len(code)}
        )
    return code


@dataclass(frozen=True)
class Verification:
    """What the public page shows: the certificate's own snapshot and its state today."""

    certificate: Certificate
    state: str  # "valid", "expired" or "revoked"
    revoked_on: datetime.date | None


def verify_code(code: str) -> Verification | None:
    """The certificate with ``code`` (already normalised) and its state on today's Riga date;
    None when there is none. Only the snapshot fields are read."""
    certificate = (
        Certificate.objects.filter(code=code)
        .only(
            "code",
            "holder_name",
            "course_name_lv",
            "course_name_en",
            "modules",
            "hours",
            "trainer_names",
            "issuer_name",
            "completed_on",
            "valid_until",
            "revoked_at",
        )
        .first()
    )
    if certificate is None:
        return None
    revoked_on = riga_date(certificate.revoked_at) if certificate.revoked_at else None
    return Verification(
        certificate=certificate, state=certificate.state_on(riga_today()), revoked_on=revoked_on
    )
