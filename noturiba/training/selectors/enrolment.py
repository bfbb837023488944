"""Reads for enrolment: a session's places, the enrolment list, a person's trainings, feeds.

Anything the user may not see is a 404 (``Http404``), never a hint that it exists.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.network.models import Organisation, Person
from noturiba.training.calendar import with_calendar_data
from noturiba.training.models import CalendarFeed, Enrolment, TrainingSession

Status = Enrolment.Status
MAX_ID = 2**63 - 1  # the largest id a database column holds
FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,40}")  # what secrets.token_urlsafe gives

# Why an enrolment is refused: the ``code`` of the ValidationError (the API answers 409 for
# ALREADY_ENROLLED and 422 for the others).
NOT_PUBLISHED = "not_published"
SESSION_CANCELLED = "session_cancelled"
STARTED = "started"
REGISTRATION_CLOSED = "registration_closed"
ALREADY_ENROLLED = "already_enrolled"
ALREADY_CANCELLED = "already_cancelled"
NO_EMAIL = "no_email"


def refusal_reason(session: TrainingSession, now: datetime.datetime) -> ValidationError | None:
    """Why nobody can enrol in ``session`` at ``now``, or None when registration is open."""
    if session.status == TrainingSession.Status.CANCELLED:
        return ValidationError(_("This session has been cancelled."), code=SESSION_CANCELLED)
    if session.status != TrainingSession.Status.PUBLISHED:
        return ValidationError(_("This session is not open for enrolment yet."), code=NOT_PUBLISHED)
    if session.starts_at <= now:
        return ValidationError(_("This session has already started."), code=STARTED)
    if session.registration_deadline is not None and now > session.registration_deadline:
        return ValidationError(
            _("Registration for this session has closed."), code=REGISTRATION_CLOSED
        )
    return None


def trainer_ids_of(session: TrainingSession) -> list[int]:
    return list(session.trainers.values_list("pk", flat=True))


def get_session_for_user(user: policy.Actor, pk: int) -> TrainingSession:
    """The session ``pk`` when ``user`` may see it (``policy.session_filter``), else 404."""
    if not 1 <= pk <= MAX_ID:
        raise Http404
    session = (
        TrainingSession.objects.filter(policy.session_filter(user))
        .select_related("course")
        .filter(pk=pk)
        .distinct()
        .first()
    )
    if session is None:
        raise Http404
    return session


def person_of(user: policy.Actor) -> Person | None:
    """The person record of the signed-in ``user`` (None for an account without one)."""
    person_id = policy.roles_of(user).person_id
    if person_id is None:
        return None
    return Person.objects.filter(pk=person_id).first()


@dataclass(frozen=True)
class SessionBox:
    """What the enrolment box of a session page shows to one user."""

    session: TrainingSession
    confirmed: int
    waitlisted: int
    free_places: int
    open_reason: str  # empty when registration is open, else why not
    person: Person | None
    mine: Enrolment | None  # the user's own enrolment, when not cancelled
    position: int | None  # on the waiting list
    may_enrol_others: bool
    may_see_list: bool

    @property
    def is_open(self) -> bool:
        return not self.open_reason

    @property
    def started(self) -> bool:
        return self.session.starts_at <= timezone.now()


def session_box(user: policy.Actor, session: TrainingSession) -> SessionBox:
    counts = Enrolment.objects.filter(session=session).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )
    refusal = refusal_reason(session, timezone.now())
    roles = policy.roles_of(user)
    person = person_of(user)
    mine = None
    position = None
    if person is not None:
        mine = (
            Enrolment.objects.filter(session=session, person=person)
            .exclude(status=Status.CANCELLED)
            .first()
        )
        if mine is not None:
            position = waitlist_position(mine)
    return SessionBox(
        session=session,
        confirmed=counts["confirmed"],
        waitlisted=counts["waitlisted"],
        free_places=max(session.capacity - counts["confirmed"], 0),
        open_reason="" if refusal is None else str(refusal.message),
        person=person,
        mine=mine,
        position=position,
        may_enrol_others=roles.coordinator or bool(roles.admin_of),
        may_see_list=policy.can_run_session(user, trainer_ids=trainer_ids_of(session)),
    )


def waitlist_position(enrolment: Enrolment) -> int | None:
    """1 for the first in line; None when the enrolment is not on the waiting list."""
    if enrolment.status != Status.WAITLISTED or enrolment.waitlisted_at is None:
        return None
    return (
        Enrolment.objects.filter(session_id=enrolment.session_id, status=Status.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=enrolment.waitlisted_at)
            | Q(waitlisted_at=enrolment.waitlisted_at, pk__lte=enrolment.pk)
        )
        .count()
    )


def check_may_see_enrolments(user: policy.Actor, session: TrainingSession) -> None:
    """The enrolment list of a session: coordinators and its trainers (PermissionDenied)."""
    if not policy.can_run_session(user, trainer_ids=trainer_ids_of(session)):
        raise PermissionDenied


def session_enrolments(session: TrainingSession, status: str) -> QuerySet[Enrolment]:
    """The enrolments of ``session`` with ``status``, in list order (the waiting list by place)."""
    enrolments = Enrolment.objects.filter(session=session, status=status).select_related(
        "person", "enrolled_by"
    )
    if status == Status.WAITLISTED:
        return enrolments.order_by("waitlisted_at", "id")
    if status == Status.CANCELLED:
        return enrolments.order_by("-status_changed_at", "id")
    return enrolments.order_by("person__full_name", "id")


def enrolment_counts(session: TrainingSession) -> dict[str, int]:
    rows = (
        Enrolment.objects.filter(session=session)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(Status.values, 0)
    counts.update(dict(rows))
    return counts


def get_enrolment_for_user(user: policy.Actor, pk: int) -> Enrolment:
    """An enrolment ``user`` may act on (the person, their organisation's admins, coordinators,
    the session's trainers), else 404."""
    if not 1 <= pk <= MAX_ID:
        raise Http404
    enrolment = (
        Enrolment.objects.select_related("person", "session", "session__course")
        .filter(pk=pk)
        .first()
    )
    if enrolment is None:
        raise Http404
    if not (
        policy.can_enrol_person(user, enrolment.person)
        or policy.can_run_session(user, trainer_ids=trainer_ids_of(enrolment.session))
    ):
        raise Http404
    return enrolment


def enrollable_for_session(user: policy.Actor, session: TrainingSession) -> QuerySet[Person]:
    """People ``user`` may enrol, each annotated with ``enrolment_status`` in ``session`` (empty
    when not enrolled or cancelled)."""
    people = policy.enrollable_people(user).order_by("full_name", "id")
    taken = Enrolment.objects.filter(session=session).exclude(status=Status.CANCELLED)
    return people.exclude(pk__in=taken.values("person_id"))


def already_enrolled_of(user: policy.Actor, session: TrainingSession) -> QuerySet[Enrolment]:
    """The enrolments in ``session`` of the people ``user`` may enrol (the admin's view)."""
    people = policy.enrollable_people(user).values("pk")
    return (
        Enrolment.objects.filter(session=session, person_id__in=people)
        .exclude(status=Status.CANCELLED)
        .select_related("person")
        .order_by("person__full_name", "id")
    )


def my_enrolments(
    person: Person, *, upcoming: bool, now: datetime.datetime | None = None
) -> QuerySet[Enrolment]:
    """A person's enrolments in sessions still to end (``upcoming``) or already ended."""
    now = now or timezone.now()
    enrolments = Enrolment.objects.filter(person=person).select_related(
        "session", "session__course"
    )
    if upcoming:
        return enrolments.filter(session__ends_at__gt=now).order_by("session__starts_at", "id")
    return enrolments.filter(session__ends_at__lte=now).order_by("-session__starts_at", "-id")


# --- Calendar feeds ----------------------------------------------------------------------------


def feed_by_token(token: str) -> CalendarFeed:
    """The feed at a secret address; anything else (wrong, malformed) is a 404."""
    if not FEED_TOKEN.fullmatch(token):
        raise Http404
    feed = CalendarFeed.objects.select_related("person", "organisation").filter(token=token).first()
    if feed is None:
        raise Http404
    return feed


def feed_sessions(feed: CalendarFeed) -> QuerySet[TrainingSession]:
    """The sessions of a feed: the person's (or the organisation's people's) confirmed and
    waiting-list places, in published or cancelled-after-publishing sessions."""
    places = Enrolment.objects.filter(status__in=[Status.CONFIRMED, Status.WAITLISTED])
    if feed.person_id is not None:
        places = places.filter(person_id=feed.person_id)
    elif feed.organisation_id is not None:
        places = places.filter(person__memberships__organisation_id=feed.organisation_id)
    else:
        places = places.none()
    sessions = TrainingSession.objects.filter(pk__in=places.values("session_id")).filter(
        Q(status=TrainingSession.Status.PUBLISHED)
        | Q(status=TrainingSession.Status.CANCELLED, published_at__isnull=False)
    )
    return with_calendar_data(sessions.order_by("starts_at", "id"))


def feeds_of(
    *, person: Person | None, organisations: QuerySet[Organisation]
) -> dict[tuple[str, int], CalendarFeed]:
    """The existing feeds of ``person`` and ``organisations``, keyed ("person"|"organisation",
    id)."""
    q = Q(organisation__in=organisations)
    if person is not None:
        q |= Q(person=person)
    feeds: dict[tuple[str, int], CalendarFeed] = {}
    for feed in CalendarFeed.objects.filter(q):
        if feed.person_id is not None:
            feeds[("person", feed.person_id)] = feed
        elif feed.organisation_id is not None:
            feeds[("organisation", feed.organisation_id)] = feed
    return feeds


def feed_owner_organisations(user: policy.Actor) -> QuerySet[Organisation]:
    """Organisations whose feed ``user`` manages (their admins; coordinators see them via the
    organisation's own page)."""
    return Organisation.objects.filter(pk__in=policy.roles_of(user).admin_of).order_by("name")


def session_for_calendar(pk: int) -> TrainingSession:
    """One session with what its calendar event shows (visibility is checked by the caller)."""
    return with_calendar_data(TrainingSession.objects.filter(pk=pk)).get()
