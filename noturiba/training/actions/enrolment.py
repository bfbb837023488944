"""Writes for enrolment: enrolling, cancelling, the waiting list, reminders and calendar feeds.

Capacity holds under concurrency: every write that counts places first locks the session row
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), so two
people asking for the last place at the same moment are counted one after the other — one gets the
place, the other the waiting list.

The waiting list is ordered by ``waitlisted_at`` (then id): whenever a place becomes free (someone
cancels, or :func:`fill_free_places` is called after the capacity was raised) the first in line is
promoted in the same transaction and told by email, with the ``.ics`` attached.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.audit.actions import record_audit
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Organisation, Person
from noturiba.training.calendar import CONTENT_TYPE, session_calendar, with_calendar_data
from noturiba.training.mail import Attachment, mail_language, send_training_mail
from noturiba.training.models import CalendarFeed, Enrolment, TrainingSession
from noturiba.training.selectors.enrolment import (
    ALREADY_CANCELLED,
    ALREADY_ENROLLED,
    STARTED,
    refusal_reason,
    waitlist_position,
)

Status = Enrolment.Status


def _lock_session(session: TrainingSession) -> TrainingSession:
    """The session row, locked until the transaction ends (the capacity count follows)."""
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _trainer_ids(session: TrainingSession) -> list[int]:
    return list(session.trainers.values_list("pk", flat=True))


@transaction.atomic
def enrol_person(actor: policy.Actor, *, session: TrainingSession, person: Person) -> Enrolment:
    """Give ``person`` a place in ``session``, or a place on its waiting list when it is full.

    Raises PermissionDenied when ``actor`` may not enrol ``person``, and ValidationError (with one
    of this module's codes) when the session does not take enrolments or the person already has
    a place. A person who cancelled earlier gets their row back (a new place in the queue).
    """
    if not policy.can_enrol_person(actor, person):
        raise PermissionDenied(_("You may not enrol this person."))
    locked = _lock_session(session)
    now = timezone.now()
    refusal = refusal_reason(locked, now)
    if refusal is not None:
        raise refusal
    _fill_free_places(actor, locked)
    enrolment = Enrolment.objects.filter(session=locked, person=person).first()
    if enrolment is not None and enrolment.status != Status.CANCELLED:
        raise ValidationError(
            _("%(name)s is already enrolled in this session.") % {"name": person.full_name},
            code=ALREADY_ENROLLED,
        )
    confirmed = Enrolment.objects.filter(session=locked, status=Status.CONFIRMED).count()
    status = Status.CONFIRMED if confirmed < locked.capacity else Status.WAITLISTED
    fields = {
        "status": status,
        "enrolled_by": actor if getattr(actor, "is_authenticated", False) else None,
        "waitlisted_at": now if status == Status.WAITLISTED else None,
        "status_changed_at": now,
        "confirmation_sent_at": None,
        "reminder_sent_at": None,
    }
    if enrolment is None:
        enrolment = Enrolment.objects.create(
            session=locked, person=person, created_at=now, **fields
        )
        action = AuditEntry.Action.CREATE
        changes: dict[str, object] = {"status": status, "person": person.pk}
    else:
        previous = enrolment.status
        for name, value in fields.items():
            setattr(enrolment, name, value)
        enrolment.save(update_fields=list(fields))
        action = AuditEntry.Action.UPDATE
        changes = {"status": [previous, status]}
    record_audit(actor, action=action, instance=enrolment, changes=changes)
    _send_enrolment_mail(enrolment, session=locked, now=now)
    return enrolment


@transaction.atomic
def cancel_enrolment(actor: policy.Actor, *, enrolment: Enrolment) -> Enrolment | None:
    """Cancel ``enrolment`` (the person, their organisation's admins, coordinators and the
    session's trainers may). A confirmed place that becomes free goes to the first person on
    the waiting list, who is told by email. Returns that promoted enrolment, if any."""
    session = enrolment.session
    if not (
        policy.can_enrol_person(actor, enrolment.person)
        or policy.can_run_session(actor, trainer_ids=_trainer_ids(session))
    ):
        raise PermissionDenied(_("You may not cancel this enrolment."))
    locked = _lock_session(session)
    current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if current.status == Status.CANCELLED:
        raise ValidationError(_("This enrolment is already cancelled."), code=ALREADY_CANCELLED)
    if locked.starts_at <= timezone.now():
        raise ValidationError(
            _("The session has already started: its enrolments can no longer change."),
            code=STARTED,
        )
    previous = current.status
    current.status = Status.CANCELLED
    current.waitlisted_at = None
    current.status_changed_at = timezone.now()
    current.save(update_fields=["status", "waitlisted_at", "status_changed_at"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=current,
        changes={"status": [previous, Status.CANCELLED]},
    )
    enrolment.status = current.status
    enrolment.waitlisted_at = None
    enrolment.status_changed_at = current.status_changed_at
    promoted = _fill_free_places(actor, locked)
    return promoted[0] if promoted else None


@transaction.atomic
def fill_free_places(actor: policy.Actor, *, session: TrainingSession) -> list[Enrolment]:
    """Promote people from the waiting list into free places (after the capacity was raised).
    Coordinators and the session's trainers may; returns the enrolments promoted."""
    if not policy.can_run_session(actor, trainer_ids=_trainer_ids(session)):
        raise PermissionDenied(_("You may not change this session."))
    return _fill_free_places(actor, _lock_session(session))


def _fill_free_places(actor: policy.Actor, locked: TrainingSession) -> list[Enrolment]:
    """Promote the first of the waiting list while places are free; ``locked`` is locked."""
    if locked.status != TrainingSession.Status.PUBLISHED or locked.starts_at <= timezone.now():
        return []
    confirmed = Enrolment.objects.filter(session=locked, status=Status.CONFIRMED).count()
    free = locked.capacity - confirmed
    if free <= 0:
        return []
    waiting = list(
        Enrolment.objects.filter(session=locked, status=Status.WAITLISTED)
        .select_related("person")
        .order_by("waitlisted_at", "id")[:free]
    )
    now = timezone.now()
    for enrolment in waiting:
        enrolment.status = Status.CONFIRMED
        enrolment.waitlisted_at = None
        enrolment.status_changed_at = now
        enrolment.confirmation_sent_at = now if _send_promotion_mail(enrolment, locked) else None
        enrolment.save(
            update_fields=["status", "waitlisted_at", "status_changed_at", "confirmation_sent_at"]
        )
        record_audit(
            actor,
            action=AuditEntry.Action.UPDATE,
            instance=enrolment,
            changes={"status": [Status.WAITLISTED, Status.CONFIRMED], "promoted": True},
        )
    return waiting


# --- Emails ------------------------------------------------------------------------------------


def ics_attachment(session: TrainingSession, *, language: str) -> Attachment:
    """The session's ``.ics`` as an email attachment, texts in ``language``."""
    full = with_calendar_data(TrainingSession.objects.filter(pk=session.pk)).get()
    return Attachment(
        f"training-{session.pk}.ics",
        session_calendar(full, language=language),
        CONTENT_TYPE.split(";")[0] + "; method=PUBLISH",
    )


def _send_enrolment_mail(
    enrolment: Enrolment, *, session: TrainingSession, now: datetime.datetime
) -> None:
    person = enrolment.person
    if enrolment.status == Status.CONFIRMED:
        sent = send_training_mail(
            person=person,
            template="training/mail/enrolment_confirmed",
            context={"session": session, "enrolment": enrolment},
            attachments=[ics_attachment(session, language=mail_language(person))],
            key=f"enrolment-{enrolment.pk}-confirmed-{now.timestamp():.0f}",
        )
    else:
        sent = send_training_mail(
            person=person,
            template="training/mail/enrolment_waitlisted",
            context={
                "session": session,
                "enrolment": enrolment,
                "position": waitlist_position(enrolment),
            },
            key=f"enrolment-{enrolment.pk}-waitlisted-{now.timestamp():.0f}",
        )
    if sent:
        Enrolment.objects.filter(pk=enrolment.pk).update(confirmation_sent_at=now)
        enrolment.confirmation_sent_at = now


def _send_promotion_mail(enrolment: Enrolment, session: TrainingSession) -> bool:
    person = enrolment.person
    return send_training_mail(
        person=person,
        template="training/mail/enrolment_promoted",
        context={"session": session, "enrolment": enrolment},
        attachments=[ics_attachment(session, language=mail_language(person))],
        key=f"enrolment-{enrolment.pk}-promoted-{enrolment.status_changed_at.timestamp():.0f}",
    )


# Reminders go out this long before a session starts.
REMINDER_BEFORE = datetime.timedelta(hours=24)


def send_due_reminders(now: datetime.datetime | None = None) -> int:
    """Remind every confirmed person of a session starting within ``REMINDER_BEFORE`` (and not
    yet started), once: each enrolment is claimed by setting ``reminder_sent_at`` in the same
    conditional UPDATE that checks it is empty, so two workers never send the same reminder.
    Returns the number of reminders sent."""
    now = now or timezone.now()
    due = list(
        Enrolment.objects.filter(
            status=Status.CONFIRMED,
            reminder_sent_at__isnull=True,
            session__status=TrainingSession.Status.PUBLISHED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + REMINDER_BEFORE,
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in due:
        sent += _remind(pk, now)
    return sent


@transaction.atomic
def _remind(pk: int, now: datetime.datetime) -> int:
    claimed = Enrolment.objects.filter(
        pk=pk, status=Status.CONFIRMED, reminder_sent_at__isnull=True
    ).update(reminder_sent_at=now)
    if not claimed:
        return 0
    enrolment = Enrolment.objects.select_related("person", "session").get(pk=pk)
    person = enrolment.person
    return int(
        send_training_mail(
            person=person,
            template="training/mail/session_reminder",
            context={"session": enrolment.session, "enrolment": enrolment},
            attachments=[ics_attachment(enrolment.session, language=mail_language(person))],
            key=f"enrolment-{pk}-reminder-{enrolment.session.starts_at.timestamp():.0f}",
        )
    )


# --- Calendar feeds ----------------------------------------------------------------------------


def _check_feed_owner(
    actor: policy.Actor, person: Person | None, organisation: Organisation | None
) -> None:
    if (person is None) == (organisation is None):
        raise ValueError("A calendar feed belongs to a person or to an organisation.")
    if not policy.can_manage_calendar_feed(
        actor,
        person_id=person.pk if person is not None else None,
        organisation_id=organisation.pk if organisation is not None else None,
    ):
        raise PermissionDenied(_("You may not manage this calendar feed."))


@transaction.atomic
def replace_calendar_feed(
    actor: policy.Actor, *, person: Person | None = None, organisation: Organisation | None = None
) -> bool:
    """A new secret address for the feed of ``person`` or ``organisation`` (created on first
    use); an old one stops working at once. Returns True when an old address was replaced."""
    _check_feed_owner(actor, person, organisation)
    if person is not None:
        replaced, _counts = CalendarFeed.objects.filter(person=person).delete()
    else:
        replaced, _counts = CalendarFeed.objects.filter(organisation=organisation).delete()
    feed = CalendarFeed.objects.create(person=person, organisation=organisation)
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE if replaced else AuditEntry.Action.CREATE,
        instance=feed,
        changes={"token": "replaced" if replaced else "new"},
    )
    return bool(replaced)
