"""Reads of the network's knowledge: learning records, training coverage, the competency matrix,
people whose competencies expire soon, the sessions to invite them to, and the charts' figures.

Words used throughout:

- A competency is **held (valid) on a day** (a Europe/Riga calendar date) when a grant of it was
  acquired on or before that day, is valid until that day or later (or for good: ``valid_until``
  empty), and its certificate, if any, is not revoked. Valid until today is still valid;
  valid until yesterday is expired.
- It **expires soon** when the best such grant (the one valid longest) ends within
  ``EXPIRY_WINDOW_DAYS`` days from today (inclusive). A refresher taken already (a later grant)
  means it does not expire soon.
- **Where a person is**: the seat municipality (``Organisation.municipality``) of each
  organisation they belong to, not the municipalities the organisation serves. A person in two
  organisations in different municipalities counts in both, once in each; a person with no
  organisation (or one without a seat) is in no municipality's figures.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from noturiba.accounts import policy
from noturiba.network.models import Membership, Municipality, Organisation, Person
from noturiba.training.models import (
    Certificate,
    Competency,
    CompetencyGrant,
    CompetencyMatrixSnapshot,
    CourseModule,
    Enrolment,
    Feedback,
    Invitation,
    TrainingSession,
)

EXPIRY_WINDOW_DAYS = 90
FEW_MUNICIPALITIES = 5
CHART_CACHE_SECONDS = 300
CHART_MONTHS = 12
# A far date standing for "never expires" where the best of several grants is taken.
FOREVER = datetime.date(9999, 12, 31)
ATTENDED = (Enrolment.Attendance.PRESENT, Enrolment.Attendance.PARTIAL)
RATINGS = ("overall", "content", "trainer", "relevance")


class GrantState(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"


def today() -> datetime.date:
    """Today in Europe/Riga (validity dates are Riga calendar dates)."""
    return timezone.localdate()


def expiry_window_end(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=EXPIRY_WINDOW_DAYS)


def grant_state(
    valid_until: datetime.date | None, day: datetime.date, *, revoked: bool = False
) -> GrantState:
    """A grant's state on ``day``: revoked, expired (ended before ``day``), expiring (ends
    within the window, ``day`` included) or valid."""
    if revoked:
        return GrantState.REVOKED
    if valid_until is None:
        return GrantState.VALID
    if valid_until < day:
        return GrantState.EXPIRED
    if valid_until <= expiry_window_end(day):
        return GrantState.EXPIRING
    return GrantState.VALID


def revoked_certificate_ids() -> QuerySet[Certificate, Any]:
    return Certificate.objects.filter(revoked_at__isnull=False).values("pk")


def valid_grants(day: datetime.date) -> QuerySet[CompetencyGrant]:
    """Grants held on ``day`` (see the module text)."""
    return (
        CompetencyGrant.objects.filter(acquired_on__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .exclude(certificate__in=revoked_certificate_ids())
    )


def people_in(municipality_ids: Iterable[int]) -> QuerySet[Membership, Any]:
    """Ids of the people in ``municipality_ids`` (by their organisations' seats)."""
    return Membership.objects.filter(
        organisation__municipality_id__in=list(municipality_ids)
    ).values("person_id")


# --- A person's learning record ---------------------------------------------------------------


def get_person_for_record(actor: policy.Actor, person_id: int) -> Person:
    """The person whose learning record ``actor`` asks for; 404 when missing or not theirs to
    see (never says which)."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not policy.can_view_learning_record(actor, person):
        raise Http404
    return person


@dataclass(frozen=True)
class HeldCompetency:
    competency: Competency
    acquired_on: datetime.date
    valid_until: datetime.date | None
    state: GrantState


@dataclass(frozen=True)
class RecordCertificate:
    certificate: Certificate
    state: str  # Certificate.state_on: "valid", "expired" or "revoked"


@dataclass(frozen=True)
class LearningRecord:
    person: Person
    day: datetime.date
    competencies: list[HeldCompetency]
    certificates: list[RecordCertificate]
    sessions: list[Enrolment]


def _best(grants: Sequence[CompetencyGrant], revoked: set[int]) -> tuple[CompetencyGrant, bool]:
    """The grant valid longest among those not revoked (``valid_until`` empty = for good);
    when every grant was revoked, the latest one, marked revoked."""
    standing = [grant for grant in grants if grant.certificate_id not in revoked]
    if not standing:
        return max(grants, key=lambda grant: (grant.acquired_on, grant.pk)), True
    best = max(standing, key=lambda grant: (grant.valid_until or FOREVER, grant.acquired_on))
    return best, False


def learning_record(person: Person, day: datetime.date | None = None) -> LearningRecord:
    """What ``person`` learned: each competency once (its best grant), their certificates and
    the sessions they attended (three queries)."""
    day = day or today()
    grants = list(
        CompetencyGrant.objects.filter(person=person)
        .select_related("competency", "certificate")
        .order_by("competency__sort_order", "competency__code", "-acquired_on", "pk")
    )
    revoked = {
        grant.certificate.pk
        for grant in grants
        if grant.certificate is not None and grant.certificate.revoked_at is not None
    }
    by_competency: dict[int, list[CompetencyGrant]] = defaultdict(list)
    for grant in grants:
        by_competency[grant.competency_id].append(grant)
    held = []
    for same in by_competency.values():
        best, all_revoked = _best(same, revoked)
        held.append(
            HeldCompetency(
                competency=best.competency,
                acquired_on=best.acquired_on,
                valid_until=best.valid_until,
                state=grant_state(best.valid_until, day, revoked=all_revoked),
            )
        )
    certificates = [
        RecordCertificate(certificate, certificate.state_on(day))
        for certificate in Certificate.objects.filter(person=person)
        .select_related("course")
        .order_by("-completed_on", "-pk")
    ]
    sessions = list(
        Enrolment.objects.filter(person=person, attendance__in=ATTENDED)
        .select_related("session__course", "session__municipality")
        .order_by("-session__starts_at", "-pk")
    )
    return LearningRecord(person, day, held, certificates, sessions)


# --- An organisation's training coverage ------------------------------------------------------


def get_organisation_for_coverage(actor: policy.Actor, organisation_id: int) -> Organisation:
    """404 when the organisation does not exist or is hidden from ``actor``; 403 when ``actor``
    sees it but not its coverage."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not policy.can_view_organisation(actor, organisation):
        raise Http404
    if not policy.can_view_training_coverage(actor, organisation):
        raise PermissionDenied
    return organisation


@dataclass(frozen=True)
class CoverageRow:
    competency: Competency
    held: int
    expiring: int
    people: int

    @property
    def percent(self) -> Decimal:
        return percent(self.held, self.people)


def percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def best_validity(
    rows: Iterable[tuple[int, int, datetime.date | None]],
) -> dict[tuple[int, int], datetime.date]:
    """``{(person, competency): the latest valid_until}`` of grant rows (FOREVER for good)."""
    best: dict[tuple[int, int], datetime.date] = {}
    for person_id, competency_id, valid_until in rows:
        key = (person_id, competency_id)
        until = valid_until or FOREVER
        if until > best.get(key, datetime.date.min):
            best[key] = until
    return best


def organisation_people(organisation: Organisation) -> QuerySet[Person]:
    return Person.objects.filter(memberships__organisation=organisation).order_by("full_name", "pk")


def coverage_by_competency(
    organisation: Organisation, day: datetime.date | None = None
) -> tuple[int, list[CoverageRow]]:
    """(number of people, one row per competency): how many of the organisation's people hold
    it today, and how many of those lose it within the window (three queries)."""
    day = day or today()
    people = Membership.objects.filter(organisation=organisation).values("person_id")
    total = people.count()
    best = best_validity(
        valid_grants(day)
        .filter(person_id__in=people)
        .values_list("person_id", "competency_id", "valid_until")
    )
    held: dict[int, int] = defaultdict(int)
    expiring: dict[int, int] = defaultdict(int)
    soon = expiry_window_end(day)
    for (_person_id, competency_id), until in best.items():
        held[competency_id] += 1
        if until <= soon:
            expiring[competency_id] += 1
    rows = [
        CoverageRow(competency, held[competency.pk], expiring[competency.pk], total)
        for competency in Competency.objects.all()
    ]
    return total, rows


def coverage_cells(
    people: Sequence[Person], competencies: Sequence[Competency], day: datetime.date | None = None
) -> list[tuple[Person, list[GrantState | None]]]:
    """The people × competencies table of one page of people (one query): each cell the state
    of the person's best grant, None when they never held it."""
    day = day or today()
    revoked = revoked_certificate_ids()
    rows = (
        CompetencyGrant.objects.filter(person__in=[person.pk for person in people])
        .exclude(certificate__in=revoked)
        .filter(acquired_on__lte=day)
        .values_list("person_id", "competency_id", "valid_until")
    )
    best = best_validity(rows)
    table = []
    for person in people:
        cells: list[GrantState | None] = []
        for competency in competencies:
            until = best.get((person.pk, competency.pk))
            cells.append(
                None if until is None else grant_state(None if until == FOREVER else until, day)
            )
        table.append((person, cells))
    return table


# --- The competency matrix ----------------------------------------------------------------------


class Freshness(StrEnum):
    """How the matrix shown relates to the data: its snapshot was computed from the data as it
    is today (current), from older data or on an earlier day (stale: shown, a refresh asked
    for), or no snapshot exists yet (missing: nothing to show, a refresh asked for)."""

    CURRENT = "current"
    STALE = "stale"
    MISSING = "missing"


@dataclass(frozen=True)
class MatrixCell:
    held: int
    expiring: int
    per_10k: Decimal | None  # None when the municipality's population is unknown
    gap: str  # "" (no gap), "none" (no one) or "low" (below the threshold)


@dataclass(frozen=True)
class MatrixRow:
    municipality: Municipality
    cells: list[MatrixCell]


@dataclass(frozen=True)
class CompetencyMatrix:
    day: datetime.date
    competencies: list[Competency]
    rows: list[MatrixRow]
    threshold: Decimal
    gaps: int = 0
    totals: list[int] = field(default_factory=list)
    freshness: Freshness = Freshness.CURRENT
    computed_at: datetime.datetime | None = None  # of the snapshot shown
    # The network's chart figures from the snapshot (None: no snapshot, or one without them).
    charts: ChartFigures | None = None


def matrix_municipalities(actor: policy.Actor, day: datetime.date) -> list[Municipality]:
    """The current municipalities ``actor`` may see in the matrix, by name."""
    visible = policy.competency_matrix_municipalities(actor).values("pk")
    return list(Municipality.objects.current(day).filter(pk__in=visible).order_by("name_lv", "pk"))


def matrix_counts(
    municipality_ids: Sequence[int], day: datetime.date
) -> dict[tuple[int, int], tuple[int, int]]:
    """``{(municipality, competency): (people holding it, of whom expiring soon)}`` in one
    aggregate query.

    ``best``: one row per (person, competency) held today with its best validity — a person is
    counted once however many grants they have; ``place``: one row per (person, municipality)
    — once however many organisations they have there. The index
    ``(person_id, competency_id, valid_until, acquired_on, certificate_id)`` on the grants lets
    ``best`` be read from the index alone, in its order (BENCHMARKS.md, competency matrix).
    """
    if not municipality_ids:
        return {}
    grant = CompetencyGrant._meta.db_table
    membership = Membership._meta.db_table
    organisation = Organisation._meta.db_table
    certificate = Certificate._meta.db_table
    ops = connection.ops
    placeholders = ", ".join(["%s"] * len(municipality_ids))
    # A jurisdiction of a few municipalities: read only the grants of the people there (through
    # the grants' person index) instead of every grant.
    few = len(municipality_ids) <= FEW_MUNICIPALITIES
    only_there = (
        f"""AND g.person_id IN (
                SELECT m2.person_id FROM {membership} m2
                JOIN {organisation} o2 ON o2.id = m2.organisation_id
                WHERE o2.municipality_id IN ({placeholders}))"""
        if few
        else ""
    )
    sql = f"""
        WITH best AS (
            SELECT g.person_id AS person_id, g.competency_id AS competency_id,
                   MAX(COALESCE(g.valid_until, %s)) AS until
            FROM {grant} g
            WHERE g.acquired_on <= %s
              AND (g.valid_until IS NULL OR g.valid_until >= %s)
              AND (g.certificate_id IS NULL OR g.certificate_id NOT IN (
                    SELECT c.id FROM {certificate} c WHERE c.revoked_at IS NOT NULL))
              {only_there}
            GROUP BY g.person_id, g.competency_id
        ), place AS (
            SELECT DISTINCT m.person_id AS person_id, o.municipality_id AS municipality_id
            FROM {membership} m JOIN {organisation} o ON o.id = m.organisation_id
            WHERE o.municipality_id IN ({placeholders})
        )
        SELECT place.municipality_id, best.competency_id, COUNT(*),
               SUM(CASE WHEN best.until <= %s THEN 1 ELSE 0 END)
        FROM best JOIN place ON place.person_id = best.person_id
        GROUP BY place.municipality_id, best.competency_id
    """  # noqa: S608 - table names from the models, values as parameters
    params: list[Any] = [
        ops.adapt_datefield_value(FOREVER),
        ops.adapt_datefield_value(day),
        ops.adapt_datefield_value(day),
        *(municipality_ids if few else []),
        *municipality_ids,
        ops.adapt_datefield_value(expiry_window_end(day)),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL's estimate of the join is far too high (millions of rows for some
            # 400,000), so it would compile the query first: about 2.7 s of JIT for 0.5 s of
            # work (BENCHMARKS.md, competency matrix). For this transaction only.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return {
            (municipality_id, competency_id): (int(held), int(expiring or 0))
            for municipality_id, competency_id, held, expiring in cursor.fetchall()
        }


def knowledge_version() -> str:
    """What the matrix counts depend on, read cheaply in one query: grants added (the latest
    id) or taken away by a revocation (the latest revocation: revoking a certificate deletes its
    grants), memberships added or deleted (deleting a person deletes theirs), organisations
    changed (their seat). Each is one index lookup but the memberships' count (about 100,000
    rows; counting the grants would read a million)."""
    grant = CompetencyGrant._meta.db_table
    certificate = Certificate._meta.db_table
    membership = Membership._meta.db_table
    organisation = Organisation._meta.db_table
    sql = f"""
        SELECT (SELECT MAX(id) FROM {grant}),
               (SELECT MAX(revoked_at) FROM {certificate} WHERE revoked_at IS NOT NULL),
               (SELECT MAX(id) FROM {membership}), (SELECT COUNT(*) FROM {membership}),
               (SELECT MAX(updated_at) FROM {organisation})
    """  # noqa: S608 - table names from the models
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return ":".join(str(value) for value in row)


def latest_snapshot() -> CompetencyMatrixSnapshot | None:
    return CompetencyMatrixSnapshot.objects.order_by("-computed_at", "-pk").first()


def snapshot_freshness(snapshot: CompetencyMatrixSnapshot | None, day: datetime.date) -> Freshness:
    """Current when computed on ``day`` from the data of the same ``knowledge_version`` (one
    cheap query, skipped when the day alone decides)."""
    if snapshot is None:
        return Freshness.MISSING
    if snapshot.day != day or snapshot.version != knowledge_version():
        return Freshness.STALE
    return Freshness.CURRENT


def snapshot_counts(
    snapshot: CompetencyMatrixSnapshot | None, municipality_ids: Iterable[int]
) -> dict[tuple[int, int], tuple[int, int]]:
    """The snapshot's ``{(municipality, competency): (held, expiring)}`` of ``municipality_ids``
    only (an officer's jurisdiction is taken from the network's counts here, in Python)."""
    if snapshot is None:
        return {}
    found: dict[tuple[int, int], tuple[int, int]] = {}
    for municipality_id in municipality_ids:
        for competency_id, (held, expiring) in snapshot.counts.get(
            str(municipality_id), {}
        ).items():
            found[(municipality_id, int(competency_id))] = (int(held), int(expiring))
    return found


def per_10k(held: int, population: int) -> Decimal | None:
    if population <= 0:
        return None
    return (Decimal(held) * 10_000 / population).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def gap_of(held: int, rate: Decimal | None, threshold: Decimal) -> str:
    if held == 0:
        return "none"
    if rate is not None and rate < threshold:
        return "low"
    return ""


def competency_matrix(
    actor: policy.Actor, *, threshold: Decimal, day: datetime.date | None = None
) -> CompetencyMatrix:
    """Municipalities × competencies for ``actor`` (coordinators: every current municipality;
    officers: their jurisdiction) from the latest snapshot, in four queries whatever the size
    of the network: the aggregate never runs here (the task worker computes the snapshots,
    ``noturiba.training.tasks``). ``freshness`` says whether the caller should ask for a
    refresh; with no snapshot every count is 0 and nothing should be shown as figures."""
    day = day or today()
    municipalities = matrix_municipalities(actor, day)
    competencies = list(Competency.objects.all())
    snapshot = latest_snapshot()
    freshness = snapshot_freshness(snapshot, day)
    counts = snapshot_counts(snapshot, [m.pk for m in municipalities])
    rows = []
    gaps = 0
    totals = [0] * len(competencies)
    for municipality in municipalities:
        cells = []
        for index, competency in enumerate(competencies):
            held, expiring = counts.get((municipality.pk, competency.pk), (0, 0))
            rate = per_10k(held, municipality.population)
            gap = gap_of(held, rate, threshold)
            gaps += bool(gap)
            totals[index] += held
            cells.append(MatrixCell(held, expiring, rate, gap))
        rows.append(MatrixRow(municipality, cells))
    return CompetencyMatrix(
        day,
        competencies,
        rows,
        threshold,
        gaps,
        totals,
        freshness,
        snapshot.computed_at if snapshot else None,
        charts_from_json(snapshot.charts) if snapshot else None,
    )


# --- People whose competencies expire soon ----------------------------------------------------


def expiring_grants(
    day: datetime.date | None = None,
    *,
    competency_id: int | None = None,
    municipality_id: int | None = None,
) -> QuerySet[CompetencyGrant]:
    """One grant per (person, competency) that ends within the window and has no refresher (no
    standing grant of the same competency valid longer), soonest first. Coordinators only (the
    caller checks ``policy.can_view_expiring_people``)."""
    day = day or today()
    revoked = revoked_certificate_ids()
    longer = (
        CompetencyGrant.objects.filter(
            person_id=OuterRef("person_id"), competency_id=OuterRef("competency_id")
        )
        .filter(
            Q(valid_until__isnull=True)
            | Q(valid_until__gt=OuterRef("valid_until"))
            | Q(valid_until=OuterRef("valid_until"), pk__gt=OuterRef("pk"))
        )
        .exclude(certificate__in=revoked)
    )
    grants = (
        valid_grants(day)
        .filter(valid_until__lte=expiry_window_end(day))
        .exclude(Exists(longer))
        .select_related("person", "competency")
        .order_by("valid_until", "person__full_name", "person_id", "competency__sort_order")
    )
    if competency_id is not None:
        grants = grants.filter(competency_id=competency_id)
    if municipality_id is not None:
        grants = grants.filter(person_id__in=people_in([municipality_id]))
    return grants


@dataclass(frozen=True)
class SessionOption:
    session: TrainingSession
    competency_ids: frozenset[int]
    online: bool


def sessions_with_places(now: datetime.datetime | None = None) -> list[SessionOption]:
    """Published sessions still open for registration with a free place, with the competencies
    their course confers, soonest first (two queries)."""
    now = now or timezone.now()
    sessions = list(
        TrainingSession.objects.filter(status=TrainingSession.Status.PUBLISHED, starts_at__gt=now)
        .filter(Q(registration_deadline__isnull=True) | Q(registration_deadline__gte=now))
        .annotate(
            taken=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.CONFIRMED))
        )
        .filter(taken__lt=F("capacity"))
        .select_related("course", "municipality")
        .order_by("starts_at", "pk")
    )
    conferred: dict[int, set[int]] = defaultdict(set)
    for course_id, competency_id in CourseModule.objects.filter(
        course_id__in={session.course_id for session in sessions},
        module__competencies__isnull=False,
    ).values_list("course_id", "module__competencies"):
        conferred[course_id].add(competency_id)
    online = {TrainingSession.Mode.ONLINE, TrainingSession.Mode.HYBRID}
    return [
        SessionOption(session, frozenset(conferred[session.course_id]), session.mode in online)
        for session in sessions
    ]


def choose_session(
    options: Sequence[SessionOption],
    *,
    competency_id: int,
    municipality_ids: frozenset[int],
    enrolled_session_ids: frozenset[int] = frozenset(),
) -> TrainingSession | None:
    """The next session teaching ``competency_id``: first one in the person's municipalities,
    then one online, then any other; the soonest of the best kind. Sessions the person is
    already enrolled in do not count."""
    best: tuple[int, int] | None = None
    chosen = None
    for position, option in enumerate(options):
        if competency_id not in option.competency_ids:
            continue
        if option.session.pk in enrolled_session_ids:
            continue
        if option.session.municipality_id in municipality_ids:
            kind = 0
        elif option.online:
            kind = 1
        else:
            kind = 2
        if best is None or (kind, position) < best:
            best, chosen = (kind, position), option.session
    return chosen


def municipalities_of(person_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """Each person's municipalities (their organisations' seats), one query."""
    found: dict[int, set[int]] = defaultdict(set)
    for person_id, municipality_id in Membership.objects.filter(
        person_id__in=list(person_ids), organisation__municipality__isnull=False
    ).values_list("person_id", "organisation__municipality_id"):
        found[person_id].add(municipality_id)
    return {person_id: frozenset(ids) for person_id, ids in found.items()}


def enrolled_sessions_of(
    person_ids: Iterable[int], session_ids: Iterable[int]
) -> dict[int, frozenset[int]]:
    """The sessions among ``session_ids`` each person already holds a place in (one query)."""
    found: dict[int, set[int]] = defaultdict(set)
    for person_id, session_id in (
        Enrolment.objects.filter(person_id__in=list(person_ids), session_id__in=list(session_ids))
        .exclude(status=Enrolment.Status.CANCELLED)
        .values_list("person_id", "session_id")
    ):
        found[person_id].add(session_id)
    return {person_id: frozenset(ids) for person_id, ids in found.items()}


@dataclass(frozen=True)
class ExpiringRow:
    grant: CompetencyGrant
    session: TrainingSession | None
    invited: bool


def describe_expiring(grants: Sequence[CompetencyGrant]) -> list[ExpiringRow]:
    """One page of expiring grants with the session each person would be invited to and
    whether they already were (five queries for the page)."""
    options = sessions_with_places()
    person_ids = {grant.person_id for grant in grants}
    places = municipalities_of(person_ids)
    enrolled = enrolled_sessions_of(person_ids, [option.session.pk for option in options])
    chosen = [
        choose_session(
            options,
            competency_id=grant.competency_id,
            municipality_ids=places.get(grant.person_id, frozenset()),
            enrolled_session_ids=enrolled.get(grant.person_id, frozenset()),
        )
        for grant in grants
    ]
    invited = set(
        Invitation.objects.filter(
            person_id__in=person_ids, session_id__in={s.pk for s in chosen if s is not None}
        ).values_list("person_id", "session_id")
    )
    return [
        ExpiringRow(
            grant, session, session is not None and (grant.person_id, session.pk) in invited
        )
        for grant, session in zip(grants, chosen, strict=True)
    ]


# --- Charts -------------------------------------------------------------------------------------


def _attendance_scope(municipality_ids: Sequence[int] | None) -> Q:
    if municipality_ids is None:
        return Q()
    return Q(person_id__in=people_in(municipality_ids))


def months_back(day: datetime.date, months: int) -> datetime.datetime:
    """The start (Riga midnight) of the month ``months - 1`` months before ``day``'s month."""
    year, month = day.year, day.month - (months - 1)
    while month <= 0:
        month += 12
        year -= 1
    return timezone.make_aware(datetime.datetime(year, month, 1))


def month_labels(day: datetime.date, months: int) -> list[datetime.date]:
    first = months_back(day, months).date()
    labels = []
    year, month = first.year, first.month
    for _ in range(months):
        labels.append(datetime.date(year, month, 1))
        month += 1
        if month > 12:
            month, year = 1, year + 1
    return labels


def month_bounds(
    day: datetime.date, months: int
) -> list[tuple[datetime.date, datetime.datetime, datetime.datetime]]:
    """(first day, start, end) of each of the last ``months`` months up to ``day``'s, start and
    end as Riga midnights (a session belongs to the month it starts in, in Riga)."""
    labels = month_labels(day, months)
    following = labels[-1].replace(day=28) + datetime.timedelta(days=4)
    ends = [*labels[1:], following.replace(day=1)]
    return [
        (
            label,
            timezone.make_aware(datetime.datetime.combine(label, datetime.time())),
            timezone.make_aware(datetime.datetime.combine(end, datetime.time())),
        )
        for label, end in zip(labels, ends, strict=True)
    ]


def _in_month(path: str, start: datetime.datetime, end: datetime.datetime) -> Q:
    return Q(**{f"{path}__gte": start, f"{path}__lt": end})


def attendance_by_month(
    municipality_ids: Sequence[int] | None, *, months: int = 12, day: datetime.date | None = None
) -> list[tuple[datetime.date, int]]:
    """Different people attending (present or partly) per month of the session's start, the
    last ``months`` months, in one query (one filtered count per month: no per-row date
    function). ``municipality_ids`` None: the whole network."""
    bounds = month_bounds(day or today(), months)
    counts = Enrolment.objects.filter(
        _attendance_scope(municipality_ids),
        attendance__in=ATTENDED,
        session__starts_at__gte=bounds[0][1],
        session__starts_at__lt=bounds[-1][2],
    ).aggregate(
        **{
            f"m{index}": Count(
                "person_id", distinct=True, filter=_in_month("session__starts_at", start, end)
            )
            for index, (_label, start, end) in enumerate(bounds)
        }
    )
    return [(label, int(counts[f"m{index}"] or 0)) for index, (label, _s, _e) in enumerate(bounds)]


@dataclass(frozen=True)
class FeedbackMonth:
    month: datetime.date
    answers: int
    overall: Decimal | None
    content: Decimal | None
    trainer: Decimal | None
    relevance: Decimal | None


def feedback_by_month(
    municipality_ids: Sequence[int] | None, *, months: int = 12, day: datetime.date | None = None
) -> list[FeedbackMonth]:
    """Answers and average ratings (1–5) per month of the session's start, in one query."""
    bounds = month_bounds(day or today(), months)
    scope = (
        Q() if municipality_ids is None else Q(enrolment__person_id__in=people_in(municipality_ids))
    )
    aggregates: dict[str, Any] = {}
    for index, (_label, start, end) in enumerate(bounds):
        within = _in_month("enrolment__session__starts_at", start, end)
        aggregates[f"answers{index}"] = Count("pk", filter=within)
        for rating_name in RATINGS:
            aggregates[f"{rating_name}{index}"] = Avg(rating_name, filter=within)
    found = Feedback.objects.filter(
        scope,
        enrolment__session__starts_at__gte=bounds[0][1],
        enrolment__session__starts_at__lt=bounds[-1][2],
    ).aggregate(**aggregates)

    def rating(value: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    return [
        FeedbackMonth(
            label,
            int(found[f"answers{index}"] or 0),
            *(rating(found[f"{name}{index}"]) for name in RATINGS),
        )
        for index, (label, _start, _end) in enumerate(bounds)
    ]


ChartFigures = tuple[list[tuple[datetime.date, int]], list["FeedbackMonth"]]


def charts_to_json(figures: ChartFigures) -> dict[str, Any]:
    """The chart figures as the snapshot stores them (dates as ISO text, ratings as text)."""
    attendance, feedback = figures

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "attendance": [[month.isoformat(), people] for month, people in attendance],
        "feedback": [
            [
                row.month.isoformat(),
                row.answers,
                *(text(getattr(row, name)) for name in RATINGS),
            ]
            for row in feedback
        ],
    }


def charts_from_json(stored: dict[str, Any]) -> ChartFigures | None:
    if not stored:
        return None

    def number(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    attendance = [
        (datetime.date.fromisoformat(month), int(people)) for month, people in stored["attendance"]
    ]
    feedback = [
        FeedbackMonth(
            datetime.date.fromisoformat(month), int(answers), *(number(v) for v in ratings)
        )
        for month, answers, *ratings in stored["feedback"]
    ]
    return attendance, feedback


def chart_figures(
    municipality_ids: Sequence[int] | None, *, months: int = 12, day: datetime.date | None = None
) -> ChartFigures:
    """(attendance by month, feedback by month) for the knowledge page, cached for
    ``CHART_CACHE_SECONDS`` per day and scope: monthly figures may lag a few minutes behind
    the attendance being taken, and the two aggregates over a year of enrolments are not
    repeated on every view."""
    day = day or today()
    scope = "all" if municipality_ids is None else ",".join(map(str, sorted(municipality_ids)))
    digest = hashlib.sha256(f"{day}|{months}|{scope}".encode()).hexdigest()
    key = f"training:charts:{digest}"
    found = cache.get(key)
    if found is None:
        found = (
            attendance_by_month(municipality_ids, months=months, day=day),
            feedback_by_month(municipality_ids, months=months, day=day),
        )
        cache.set(key, found, CHART_CACHE_SECONDS)
    return found
