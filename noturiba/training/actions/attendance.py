"""Writes for attendance, results and feedback.

A *mark* sets a state, it never toggles: sending the same marks twice (a phone retrying after a
lost answer) changes nothing the second time. A batch of marks is saved whole or not at all;
every problem is reported by person (``record_attendance``) or by row (``record_sign_in_sheet``).

Marks are open from midnight (Europe/Riga) of the session's day until its results are closed
(``results_closed_at``, set when certificates are issued); a cancelled session takes none.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.audit.actions import diff, record_audit
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Person
from noturiba.training.mail import send_training_mail
from noturiba.training.models import Enrolment, Feedback, TrainingSession
from noturiba.training.selectors.attendance import (
    ATTENDED,
    QUESTIONS,
    feedback_refusal,
    full_hours,
    marks_open_at,
)
from noturiba.training.sign_in_sheet import (
    Sheet,
    SheetRow,
    compact_hours,
    parse_hours,
    parse_score,
)

Attendance = Enrolment.Attendance
RESULT_FIELDS = ("attendance", "hours_attended", "score")


@dataclass(frozen=True)
class Mark:
    """What the trainer says about one participant.

    ``attendance`` None leaves attendance and hours as they are (a score alone); ``hours`` None
    with PRESENT means the whole course. ``set_score`` says the score is part of the mark
    (``score`` None then clears it). ``marked_at`` (marks kept on a phone while offline): a mark
    taken before the person's last recorded change is stale and does not overwrite it.
    """

    enrolment_id: int
    attendance: str | None = None
    hours: Decimal | None = None
    score: int | None = None
    set_score: bool = False
    marked_at: datetime.datetime | None = None  # when the phone took it (maybe long ago)


@dataclass(frozen=True)
class AttendanceResult:
    marked: int  # people in the batch
    changed: int  # of them, whose attendance, hours or score changed
    stale: tuple[int, ...] = ()  # enrolments whose mark was older than their last change


class SignInSheetError(Exception):
    """Rows of a sign-in sheet that cannot be saved: ``(row number, reason)``, in row order."""

    def __init__(self, rows: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(rows)} bad rows")
        self.rows = rows


def settle_attendance(attendance: str, hours: Decimal | None, full: Decimal) -> tuple[str, Decimal]:
    """The state and hours to store, or ``ValidationError``: absent is 0 hours; present for
    fewer hours than the course is partly present; more hours than the course is refused."""
    if attendance == Attendance.ABSENT:
        return Attendance.ABSENT, Decimal(0)
    if attendance not in (Attendance.PRESENT, Attendance.PARTIAL):
        raise ValidationError(_("Choose present or absent."), code="attendance")
    if hours is None:
        if attendance == Attendance.PARTIAL:
            raise ValidationError(
                _("Write the hours of someone partly present."), code="hours_missing"
            )
        return Attendance.PRESENT, full
    if hours < 0:
        raise ValidationError(_("Hours cannot be negative."), code="hours_negative")
    if hours > full:
        raise ValidationError(
            _("At most %(hours)s hours: the length of the course.")
            % {"hours": formats.number_format(compact_hours(full), use_l10n=True)},
            code="hours_too_many",
        )
    if hours == 0:
        raise ValidationError(_("0 hours: mark the person absent instead."), code="hours_zero")
    exponent = hours.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -1:
        raise ValidationError(_("Hours have at most one decimal place."), code="hours_precision")
    return (Attendance.PRESENT if hours == full else Attendance.PARTIAL), hours


def check_score(score: int | None, pass_mark: int | None) -> int | None:
    if score is None:
        return None
    if pass_mark is None:
        raise ValidationError(_("This course has no assessment."), code="no_assessment")
    if not 0 <= score <= 100:
        raise ValidationError(_("A score is from 0 to 100."), code="score_range")
    return score


def _open_session(
    actor: policy.Actor, session: TrainingSession, now: datetime.datetime
) -> tuple[TrainingSession, Decimal]:
    """The session locked for the batch, after the permission and the time window are checked.

    The lock makes a batch and the closing of results (which locks the session too) happen one
    after the other: no mark is saved after results were closed.
    """
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    trainer_ids = list(locked.trainers.values_list("pk", flat=True))
    if not policy.can_run_session(actor, trainer_ids=trainer_ids):
        raise PermissionDenied
    if locked.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("The session is cancelled."), code="cancelled")
    if locked.results_closed_at is not None:
        raise ValidationError(
            _("The results of this session are closed; attendance can no longer change."),
            code="closed",
        )
    opens = marks_open_at(locked)
    if now < opens:
        raise ValidationError(
            _("Attendance can be marked from %(when)s.")
            % {
                "when": formats.date_format(
                    timezone.localtime(opens, timezone.get_default_timezone()), "DATE_FORMAT"
                )
            },
            code="not_open",
        )
    return locked, full_hours(locked)


def _write(
    actor: policy.Actor,
    session: TrainingSession,
    settled: list[tuple[Enrolment, dict[str, object]]],
    now: datetime.datetime,
) -> int:
    """Save what changed (one UPDATE for all), with one audit entry per changed person."""
    changed: list[Enrolment] = []
    audit: list[AuditEntry] = []
    user = actor if getattr(actor, "is_authenticated", False) else None
    for enrolment, values in settled:
        before = {field: _plain(getattr(enrolment, field)) for field in RESULT_FIELDS}
        for field, value in values.items():
            setattr(enrolment, field, value)
        changes = diff(
            before, {field: _plain(getattr(enrolment, field)) for field in RESULT_FIELDS}
        )
        if not changes:
            continue
        enrolment.attendance_recorded_at = now
        enrolment.attendance_recorded_by = user
        changed.append(enrolment)
        audit.append(
            AuditEntry(
                at=now,
                actor=user,
                actor_label=getattr(user, "email", "") if user else "system",
                action=AuditEntry.Action.UPDATE,
                object_type=Enrolment._meta.label_lower,
                object_id=str(enrolment.pk),
                object_label=f"{enrolment.person.full_name} · {session.display_title}"[:300],
                changes=changes,
            )
        )
    if changed:
        Enrolment.objects.bulk_update(
            changed, [*RESULT_FIELDS, "attendance_recorded_at", "attendance_recorded_by"]
        )
        AuditEntry.objects.bulk_create(audit)
    return len(changed)


def _plain(value: object) -> object:
    """Hours as text with one decimal (``0`` and ``0.0`` from the database are the same)."""
    return str(value.quantize(Decimal("0.1"))) if isinstance(value, Decimal) else value


def _settle(mark: Mark, full: Decimal, pass_mark: int | None) -> dict[str, object]:
    values: dict[str, object] = {}
    problems: list[ValidationError] = []
    if mark.attendance is not None:
        try:
            attendance, hours = settle_attendance(mark.attendance, mark.hours, full)
        except ValidationError as error:
            problems.append(error)
        else:
            values.update(attendance=attendance, hours_attended=hours)
    if mark.set_score:
        try:
            values["score"] = check_score(mark.score, pass_mark)
        except ValidationError as error:
            problems.append(error)
    if problems:
        raise ValidationError(problems)
    return values


@transaction.atomic
def record_attendance(
    actor: policy.Actor,
    *,
    session: TrainingSession,
    marks: Sequence[Mark],
    now: datetime.datetime | None = None,
) -> AttendanceResult:
    """Save a batch of marks; ``ValidationError`` keyed by enrolment id (as text) if any is
    wrong, with nothing saved; a session-wide refusal has a ``code`` (``closed``, ``not_open``,
    ``cancelled``)."""
    now = now or timezone.now()
    locked, full = _open_session(actor, session, now)
    pass_mark = session.course.pass_mark
    ids = [mark.enrolment_id for mark in marks]
    enrolments = {
        enrolment.pk: enrolment
        for enrolment in Enrolment.objects.select_related("person").filter(
            session=locked, pk__in=ids, status=Enrolment.Status.CONFIRMED
        )
    }
    errors: dict[str, list[ValidationError]] = {}
    settled: list[tuple[Enrolment, dict[str, object]]] = []
    seen: set[int] = set()
    stale: list[int] = []
    for mark in marks:
        key = str(mark.enrolment_id)
        enrolment = enrolments.get(mark.enrolment_id)
        if enrolment is None:
            errors[key] = [ValidationError(_("Not a confirmed participant of this session."))]
            continue
        if mark.enrolment_id in seen:
            errors[key] = [ValidationError(_("The same person is marked twice."))]
            continue
        seen.add(mark.enrolment_id)
        try:
            values = _settle(mark, full, pass_mark)
        except ValidationError as error:
            errors[key] = error.error_list
            continue
        if _is_stale(mark, enrolment, now):
            stale.append(enrolment.pk)
            continue
        settled.append((enrolment, values))
    if errors:
        raise ValidationError(errors)  # type: ignore[arg-type]
    return AttendanceResult(
        marked=len(marks), changed=_write(actor, locked, settled, now), stale=tuple(stale)
    )


def _is_stale(mark: Mark, enrolment: Enrolment, now: datetime.datetime) -> bool:
    """A mark taken (by the phone's clock, never later than now) before the person's last
    recorded change: another device changed them meanwhile, and it is not overwritten."""
    if mark.marked_at is None or enrolment.attendance_recorded_at is None:
        return False
    return min(mark.marked_at, now) < enrolment.attendance_recorded_at


# --- Sign-in sheet ----------------------------------------------------------------------------


@transaction.atomic
def record_sign_in_sheet(
    actor: policy.Actor,
    *,
    session: TrainingSession,
    sheet: Sheet,
    now: datetime.datetime | None = None,
) -> AttendanceResult:
    """Save a sign-in sheet whole, or raise ``SignInSheetError`` listing every bad row.

    Each row names one confirmed participant (``person_id`` or ``email``) with their ``hours``
    (0: absent; the course's hours: present; between: partly present) and, where the course has
    an assessment, an optional ``score``. Session-wide refusals are ``ValidationError`` as for
    ``record_attendance``.
    """
    now = now or timezone.now()
    locked, full = _open_session(actor, session, now)
    pass_mark = session.course.pass_mark
    enrolments = list(
        Enrolment.objects.select_related("person").filter(session=locked).order_by("pk")
    )
    by_id = {enrolment.person_id: enrolment for enrolment in enrolments}
    by_email: dict[str, list[Enrolment]] = {}
    for enrolment in enrolments:
        if enrolment.person.email:
            by_email.setdefault(enrolment.person.email.lower(), []).append(enrolment)
    known = _known_people(actor, sheet.rows)

    errors: list[tuple[int, str]] = []
    settled: list[tuple[Enrolment, dict[str, object]]] = []
    first_row: dict[int, int] = {}
    for row in sheet.rows:
        try:
            enrolment = _row_enrolment(row, by_id, by_email, known)
            if enrolment.pk in first_row:
                raise ValidationError(
                    _("The same person as in row %(row)d.") % {"row": first_row[enrolment.pk]}
                )
            first_row[enrolment.pk] = row.number
            settled.append((enrolment, _settle(_row_mark(row, enrolment), full, pass_mark)))
        except ValidationError as error:
            errors.extend((row.number, message) for message in error.messages)
    if errors:
        raise SignInSheetError(errors)
    return AttendanceResult(marked=len(settled), changed=_write(actor, locked, settled, now))


def _known_people(actor: policy.Actor, rows: Sequence[SheetRow]) -> set[str]:
    """Ids (as text) and lower-case emails of the people the rows name that ``actor`` may see
    in the directory: "not enrolled" for them, "unknown person" for everyone else."""
    ids = [int(row.person_id) for row in rows if row.person_id.isdigit()]
    emails = [row.email.lower() for row in rows if row.email and not row.person_id]
    if not ids and not emails:
        return set()
    people = policy.visible_people(
        actor,
        Person.objects.annotate(email_folded=Lower("email")).filter(
            Q(pk__in=ids) | Q(email_folded__in=emails)
        ),
    ).values_list("pk", "email")
    known: set[str] = set()
    for pk, email in people:
        known.update((str(pk), email.lower()))
    return known


def _row_enrolment(
    row: SheetRow,
    by_id: dict[int, Enrolment],
    by_email: dict[str, list[Enrolment]],
    known: set[str],
) -> Enrolment:
    if row.person_id:
        if not row.person_id.isdigit():
            raise ValidationError(
                _("person_id “%(value)s” is not a number.") % {"value": row.person_id[:20]}
            )
        key = row.person_id
        enrolment = by_id.get(int(row.person_id))
        if enrolment is not None and row.email:
            if enrolment.person.email.lower() != row.email.lower():
                raise ValidationError(_("person_id and email name different people."))
    elif row.email:
        key = row.email.lower()
        matches = by_email.get(key, [])
        if len(matches) > 1:
            raise ValidationError(_("Several participants have this email; use person_id instead."))
        enrolment = matches[0] if matches else None
    else:
        raise ValidationError(_("Neither person_id nor email: whose row is it?"))
    if enrolment is None:
        if key in known:
            raise ValidationError(_("Not enrolled in this session."))
        raise ValidationError(_("Unknown person."))
    if enrolment.status != Enrolment.Status.CONFIRMED:
        raise ValidationError(
            _("Not a confirmed participant of this session (%(status)s).")
            % {"status": enrolment.get_status_display()}
        )
    return enrolment


def _row_mark(row: SheetRow, enrolment: Enrolment) -> Mark:
    problems: list[str] = []
    attendance: str | None = None
    hours: Decimal | None = None
    if not row.hours:
        problems.append(_("Hours are missing (write 0 for someone absent)."))
    else:
        try:
            hours = parse_hours(row.hours)
        except ValueError as error:
            problems.append(str(error))
        else:
            attendance = Attendance.ABSENT if hours == 0 else Attendance.PRESENT
    score: int | None = None
    if row.score:
        try:
            score = parse_score(row.score)
        except ValueError as error:
            problems.append(str(error))
    if problems:
        raise ValidationError(problems)
    return Mark(
        enrolment_id=enrolment.pk,
        attendance=attendance,
        hours=hours,
        score=score,
        set_score=bool(row.score),
    )


# --- Feedback ---------------------------------------------------------------------------------


@transaction.atomic
def give_feedback(
    actor: policy.Actor,
    *,
    enrolment: Enrolment,
    ratings: dict[str, int],
    comments: str = "",
    now: datetime.datetime | None = None,
) -> Feedback:
    """The attendee's answer to the survey; answering again replaces the earlier answer.

    No audit entry: trainers see answers only summed up, and the log would tie each answer to
    its author.
    """
    now = now or timezone.now()
    if not policy.can_give_feedback(actor, person_id=enrolment.person_id):
        raise PermissionDenied
    refusal = feedback_refusal(enrolment, now)
    if refusal == "not_ended":
        raise ValidationError(_("The survey opens when the session has ended."), code=refusal)
    if refusal:
        raise ValidationError(
            _("Only people who attended the session answer its survey."), code=refusal
        )
    errors: dict[str, list[str]] = {}
    for question in QUESTIONS:
        value = ratings.get(question)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors[question] = [_("Choose a rating from 1 to 5.")]
    comments = comments.strip()
    max_length = Feedback._meta.get_field("comments").max_length or 4000
    if len(comments) > max_length:
        errors["comments"] = [
            _("At most %(count)d characters.") % {"count": max_length},
        ]
    if errors:
        raise ValidationError(errors)  # type: ignore[arg-type]
    values = {question: ratings[question] for question in QUESTIONS}
    feedback, _created = Feedback.objects.update_or_create(
        enrolment=enrolment,
        defaults={**values, "comments": comments, "updated_at": now},
        create_defaults={**values, "comments": comments, "created_at": now, "updated_at": now},
    )
    return feedback


@transaction.atomic
def invite_to_feedback(
    actor: policy.Actor, *, session: TrainingSession, now: datetime.datetime | None = None
) -> int:
    """Email the survey's link to every attendee who has not answered yet (again, if they were
    invited before: a reminder). Returns how many were sent; people without an email address
    are left out. Only after the session ended."""
    now = now or timezone.now()
    trainer_ids = list(session.trainers.values_list("pk", flat=True))
    if not policy.can_run_session(actor, trainer_ids=trainer_ids):
        raise PermissionDenied
    if session.status == TrainingSession.Status.CANCELLED or session.ends_at > now:
        raise ValidationError(
            _("Attendees can be invited once the session has ended."), code="not_ended"
        )
    attendees = (
        Enrolment.objects.filter(
            session=session,
            status=Enrolment.Status.CONFIRMED,
            attendance__in=ATTENDED,
            feedback__isnull=True,
        )
        .exclude(person__email="")
        .select_related("person")
    )
    sent = 0
    for enrolment in attendees:
        sent += send_training_mail(
            person=enrolment.person,
            template="training/attendance/mail/feedback_invitation",
            context={"session": session},
            key=f"feedback-{enrolment.pk}-{now:%Y%m%d%H%M}",
        )
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=session,
        changes={"feedback_invitations_sent": sent},
    )
    return sent
