"""Scheduling training sessions: create, change, publish, cancel.

Every change a calendar would show raises the session's ``sequence`` (the iCalendar SEQUENCE),
so calendar programs replace the event they imported. Publishing and cancelling leave audit
entries; a cancellation keeps its reason on the session, which the session page shows.
The rules of a session's facts (end after start, registration closing before the start, an
address for a place, a link for online) live here, so the pages and the API refuse the same.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.accounts.models import User
from noturiba.audit.actions import diff, record_audit, snapshot
from noturiba.audit.models import AuditEntry
from noturiba.training.actions.enrolment import fill_free_places, ics_attachment
from noturiba.training.mail import Attachment, mail_language, send_training_mail
from noturiba.training.models import Enrolment, TrainingSession

# The facts of a session a scheduler sets (trainers apart: a many-to-many field).
SESSION_FIELDS = (
    "course",
    "title",
    "starts_at",
    "ends_at",
    "mode",
    "venue",
    "address",
    "municipality",
    "online_url",
    "capacity",
    "language",
    "step_free_access",
    "accessible_toilet",
    "hearing_loop",
    "accessibility_notes",
    "registration_deadline",
    "issuing_organisation",
)
MAX_REASON = 500
_TEXT_FIELDS = frozenset({"title", "venue", "address", "online_url", "accessibility_notes"})
# A change of these is news for the people enrolled: they are told, with the updated event.
NEWS_FIELDS = ("starts_at", "ends_at", "mode", "venue", "address", "online_url")


def _check_facts(
    data: Mapping[str, Any], trainers: Iterable[User], *, current_course_id: int | None = None
) -> None:
    """Raise a ``ValidationError`` by field for facts that do not fit together. A course no
    longer in use is refused for a new session, kept by one already scheduled with it."""
    errors: dict[str, list[str]] = {}
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts is not None and ends is not None and ends <= starts:
        errors.setdefault("ends_at", []).append(_("The session must end after it starts."))
    deadline = data.get("registration_deadline")
    if deadline is not None and starts is not None and deadline >= starts:
        errors.setdefault("registration_deadline", []).append(
            _("Registration must close before the session starts.")
        )
    mode = data.get("mode")
    if mode in {TrainingSession.Mode.ONLINE, TrainingSession.Mode.HYBRID} and not data.get(
        "online_url"
    ):
        errors.setdefault("online_url", []).append(
            _("An online or hybrid session needs the link participants join by.")
        )
    if mode in {TrainingSession.Mode.IN_PERSON, TrainingSession.Mode.HYBRID} and not data.get(
        "address"
    ):
        errors.setdefault("address", []).append(
            _("A session with a place needs the address participants come to.")
        )
    capacity = data.get("capacity")
    if capacity is not None and capacity < 1:
        errors.setdefault("capacity", []).append(_("A session needs at least one place."))
    course = data.get("course")
    if course is not None and not course.is_active and course.pk != current_course_id:
        errors.setdefault("course", []).append(_("This course is no longer in use."))
    not_trainers = [user for user in trainers if not user.is_trainer or not user.is_active]
    if not_trainers:
        errors.setdefault("trainers", []).append(
            _("Not a trainer: %(names)s") % {"names": ", ".join(str(user) for user in not_trainers)}
        )
    if errors:
        raise ValidationError(errors)


def _facts(session: TrainingSession, trainers: Iterable[User]) -> dict[str, Any]:
    """What the audit log records of a session (times in UTC, so that an equal time typed in
    Riga time is no change)."""
    values = snapshot(session, (*SESSION_FIELDS, "status"))
    for name in ("starts_at", "ends_at", "registration_deadline"):
        moment = getattr(session, name)
        values[name] = moment.astimezone(datetime.UTC).isoformat() if moment else None
    values["trainer_names"] = _trainer_names(trainers)
    return values


def _trainer_names(trainers: Iterable[User]) -> list[str]:
    return sorted(str(user) for user in trainers)


def _with_actor(actor: policy.Actor, trainers: Iterable[User]) -> list[User]:
    """A trainer who schedules a session runs it: they stay among its trainers."""
    chosen = list(trainers)
    if not policy.roles_of(actor).coordinator and actor.pk not in {user.pk for user in chosen}:
        chosen.append(actor)
    return chosen


def _touch(session: TrainingSession) -> None:
    session.sequence += 1
    session.updated_at = timezone.now()


@transaction.atomic
def schedule_session(
    actor: policy.Actor, *, data: Mapping[str, Any], trainers: Iterable[User]
) -> TrainingSession:
    """A new session, as a draft only its trainers and coordinators see until published."""
    if not policy.can_schedule_sessions(actor):
        raise PermissionDenied(_("You may not schedule training sessions."))
    chosen = _with_actor(actor, trainers)
    _check_facts(data, chosen)
    session = TrainingSession(
        **{name: data.get(name) for name in SESSION_FIELDS if name in data},
        created_by=actor,
    )
    for name in _TEXT_FIELDS:
        if getattr(session, name) is None:
            setattr(session, name, "")
    session.save()
    session.trainers.set(chosen)
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=session,
        changes=diff({}, _facts(session, chosen)),
    )
    return session


def _tell_enrolled(session: TrainingSession, *, template: str, context: Mapping[str, Any]) -> int:
    """Email everyone confirmed or waiting for ``session`` (after commit) with the session's
    calendar event as it is now (same UID, raised SEQUENCE: calendars replace their copy)."""
    enrolments = (
        Enrolment.objects.filter(
            session=session,
            status__in=[Enrolment.Status.CONFIRMED, Enrolment.Status.WAITLISTED],
        )
        .select_related("person")
        .order_by("id")
    )
    told = 0
    events: dict[str, Attachment] = {}  # one calendar file per language
    for enrolment in enrolments:
        person = enrolment.person
        language = mail_language(person)
        if language not in events:
            events[language] = ics_attachment(session, language=language)
        told += send_training_mail(
            person=person,
            template=template,
            context={**context, "session": session, "enrolment": enrolment},
            attachments=[events[language]],
            key=f"session-{session.pk}-sequence-{session.sequence}-enrolment-{enrolment.pk}",
        )
    return told


def _lock(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _check_may_run(actor: policy.Actor, session: TrainingSession) -> None:
    trainer_ids = list(session.trainers.values_list("pk", flat=True))
    if not policy.can_run_session(actor, trainer_ids=trainer_ids):
        raise PermissionDenied(_("You may not change this session."))


@transaction.atomic
def update_session(
    actor: policy.Actor,
    *,
    session: TrainingSession,
    data: Mapping[str, Any],
    trainers: Iterable[User],
) -> TrainingSession:
    """Change a session's facts; any change raises its ``sequence``.

    Refused: a cancelled session, and fewer places than people already confirmed. Raising the
    places promotes people from the waiting list into them. When a published session's time,
    format, place or link changes, the people enrolled are told by email.
    """
    locked = _lock(session)
    _check_may_run(actor, locked)
    if locked.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("A cancelled session can no longer be changed."), code="cancelled")
    chosen = _with_actor(actor, trainers)
    _check_facts(data, chosen, current_course_id=locked.course_id)
    confirmed = Enrolment.objects.filter(session=locked, status=Enrolment.Status.CONFIRMED).count()
    capacity = data.get("capacity", locked.capacity)
    if capacity < confirmed:
        raise ValidationError(
            {
                "capacity": _(
                    "%(confirmed)d people are already confirmed: the session cannot have fewer "
                    "places. Cancel enrolments first, or keep at least %(confirmed)d places."
                )
                % {"confirmed": confirmed}
            }
        )
    before = _facts(locked, locked.trainers.all())
    raised = capacity > locked.capacity
    for name in SESSION_FIELDS:
        if name in data:
            value = data[name]
            setattr(locked, name, "" if value is None and name in _TEXT_FIELDS else value)
    after = _facts(locked, chosen)
    changes = diff(before, after)
    if changes:
        _touch(locked)
        locked.save()
        locked.trainers.set(chosen)
        record_audit(actor, action=AuditEntry.Action.UPDATE, instance=locked, changes=changes)
        if locked.status == TrainingSession.Status.PUBLISHED and set(changes) & set(NEWS_FIELDS):
            _tell_enrolled(
                locked,
                template="training/sessions/mail/session_changed",
                context={"changed": sorted(set(changes) & set(NEWS_FIELDS))},
            )
    if raised:
        fill_free_places(actor, session=locked)
    return locked


@transaction.atomic
def publish_session(actor: policy.Actor, *, session: TrainingSession) -> TrainingSession:
    """Show a draft to the network: people may enrol from now on."""
    locked = _lock(session)
    _check_may_run(actor, locked)
    if locked.status != TrainingSession.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."), code="not_draft")
    locked.status = TrainingSession.Status.PUBLISHED
    locked.published_at = timezone.now()
    _touch(locked)
    locked.save(update_fields=["status", "published_at", "sequence", "updated_at"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        changes={"status": [TrainingSession.Status.DRAFT, TrainingSession.Status.PUBLISHED]},
    )
    return locked


@transaction.atomic
def cancel_session(
    actor: policy.Actor, *, session: TrainingSession, reason: str
) -> TrainingSession:
    """Cancel a draft or a published session, saying why (the session page shows the reason).

    Enrolments stay as they are, so the enrolled can still see what they had enrolled in; they
    are told by email, with the reason and the cancelled calendar event.
    """
    locked = _lock(session)
    _check_may_run(actor, locked)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled.")})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("At most %(limit)d characters, please.") % {"limit": MAX_REASON}}
        )
    if locked.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("This session is already cancelled."), code="cancelled")
    if locked.ends_at <= timezone.now():
        raise ValidationError(_("A session that has ended cannot be cancelled."), code="ended")
    before = locked.status
    locked.status = TrainingSession.Status.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.cancellation_reason = reason
    _touch(locked)
    locked.save(
        update_fields=["status", "cancelled_at", "cancellation_reason", "sequence", "updated_at"]
    )
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        changes={"status": [before, locked.status], "reason": [None, reason]},
    )
    _tell_enrolled(
        locked, template="training/sessions/mail/session_cancelled", context={"reason": reason}
    )
    return locked
