"""Reads for "who can help": the candidates of a request line, read in a few set-based queries,
ranked by :mod:`noturiba.assistance.ranking`.

For one line: one query for the organisations offering its capability (with their coordinates
and seat municipality's centre), one for their training coverage, one for the people who answered
"available to help" recently, one for their active claims, and — only when some have no location
at all — one for which of those cover the request's municipality. Distances are computed in
Python. No query per organisation.
"""

from __future__ import annotations

import datetime
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from noturiba.accounts import policy
from noturiba.alerts.models import Acknowledgement, Alert
from noturiba.alerts.replies import Answer
from noturiba.assistance.models import AssistanceRequest, Claim, Invitation, RequestLine
from noturiba.assistance.ranking import Candidate, Match, Need, Ranking, rank
from noturiba.network.models import (
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Unit,
)
from noturiba.training.models import OrganisationTrainingCoverage

# The page and the API show at most this many matches.
MATCHES_SHOWN = 50


def get_line_to_match(actor: policy.Actor, request_id: int, line_id: int) -> RequestLine:
    """The line, with its request, capability and the request's municipality, for someone who
    may manage the request: 404 when the request is not visible to ``actor`` (or the line is not
    its), 403 when visible but not theirs to manage."""
    line = (
        RequestLine.objects.select_related("request__municipality", "capability")
        .filter(pk=line_id, request_id=request_id)
        .first()
    )
    if line is None:
        raise Http404
    visible = AssistanceRequest.objects.filter(policy.request_filter(actor), pk=request_id)
    if not visible.exists():
        raise Http404
    request = line.request
    if not policy.can_manage_request(
        actor, municipality_id=request.municipality_id, created_by_id=request.created_by_id
    ):
        raise PermissionDenied
    return line


def need_of(line: RequestLine) -> Need:
    request = line.request
    at_centre = request.latitude is None or request.longitude is None
    place = request.municipality if at_centre else request
    return Need(
        capability_id=line.capability_id,
        remaining=line.quantity - line.claimed,
        unit=str(Unit(line.unit).label),
        latitude=float(place.latitude),  # type: ignore[arg-type]
        longitude=float(place.longitude),  # type: ignore[arg-type]
        municipality_id=request.municipality_id,
        at_municipality_centre=at_centre,
        availability_hours=settings.ASSISTANCE_AVAILABILITY_HOURS,
    )


def candidates_for(need: Need, *, now: datetime.datetime | None = None) -> list[Candidate]:
    """Every organisation offering ``need``'s capability, with what ranking needs to know."""
    rows = offering_rows(need.capability_id)
    if not rows:
        return []
    since = (now or timezone.now()) - datetime.timedelta(hours=need.availability_hours)
    available = available_people(need.capability_id, since)
    load = dict(
        Claim.objects.filter(
            state__in=Claim.ACTIVE,
            line__request__state=AssistanceRequest.State.OPEN,
            organisation__capabilities__capability_id=need.capability_id,
            organisation__capabilities__quantity__gt=0,
        )
        .values_list("organisation_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    # Seat municipalities' centres: a few dozen rows, cheaper than a join for every organisation.
    centres = {
        pk: (float(lat), float(lon))
        for pk, lat, lon in Municipality.objects.values_list("pk", "latitude", "longitude")
    }
    # Organisations with no location at all: whether they cover the request's municipality.
    unplaced = [row[0] for row in rows if row[4] is None and row[6] not in centres]
    covering: set[int] = set()
    if unplaced:
        covering = set(
            Organisation.municipalities.through.objects.filter(
                organisation_id__in=unplaced, municipality_id=need.municipality_id
            ).values_list("organisation_id", flat=True)
        )
    capability = need.capability_id
    candidates: list[Candidate] = []
    append = candidates.append
    for org_id, name, quantity, startup, lat, lon, seat, people, trained in rows:
        at_seat = lat is None and seat in centres
        if at_seat:
            lat, lon = centres[seat]
        append(
            Candidate(
                org_id,
                name,
                capability,
                quantity,
                startup,
                lat,
                lon,
                at_seat,
                org_id in covering,
                people,
                trained,
                available.get(org_id, 0),
                load.get(org_id, 0),
            )
        )
    return candidates


def offering_rows(capability_id: int) -> list[tuple[Any, ...]]:
    """One row per organisation offering the capability: id, name, quantity, start-up hours,
    its own latitude and longitude (NULL when unknown), its seat municipality, and its training
    coverage (people, trained people; NULL when not known).

    Raw SQL, numbers cast to floats in the database: the ORM's per-value conversion of 10,000
    rows (Decimal, then float) cost more than all the rest of the ranking (BENCHMARKS.md).
    """
    offer = OrganisationCapability._meta.db_table
    organisation = Organisation._meta.db_table
    coverage = OrganisationTrainingCoverage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT oc.organisation_id, o.name,
                   CAST(oc.quantity AS DOUBLE PRECISION), oc.startup_hours,
                   CAST(o.latitude AS DOUBLE PRECISION), CAST(o.longitude AS DOUBLE PRECISION),
                   o.municipality_id, cov.people, cov.trained_people
            FROM {offer} oc
            JOIN {organisation} o ON o.id = oc.organisation_id
            LEFT JOIN {coverage} cov ON cov.organisation_id = oc.organisation_id
            WHERE oc.capability_id = %s AND oc.quantity > 0
            """,  # noqa: S608 - table names from the models, values as parameters
            [capability_id],
        )
        return cursor.fetchall()


def available_people(capability_id: int, since: datetime.datetime) -> dict[int, int]:
    """``{organisation: people}`` who answered "available to help" since ``since`` to an alert
    sent since then, for the organisations offering the capability.

    Driven from the recent alerts (few) through the acknowledgements' (alert, person) index,
    then each person's memberships and the organisation's offer of the capability: an
    ``IN (recent answers)`` filter on the memberships instead made SQLite probe every member of
    every offering organisation against the whole list (BENCHMARKS.md, ranking).
    """
    alert = Alert._meta.db_table
    acknowledgement = Acknowledgement._meta.db_table
    membership = Membership._meta.db_table
    offer = OrganisationCapability._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT m.organisation_id, COUNT(DISTINCT m.person_id)
            FROM {alert} al
            JOIN {acknowledgement} a ON a.alert_id = al.id
            JOIN {membership} m ON m.person_id = a.person_id
            JOIN {offer} oc ON oc.organisation_id = m.organisation_id
            WHERE al.sent >= %s AND a.answer = %s AND a.answered_at >= %s
              AND oc.capability_id = %s AND oc.quantity > 0
            GROUP BY m.organisation_id
            """,  # noqa: S608 - table names from the models, values as parameters
            [since, Answer.AVAILABLE.value, since, capability_id],
        )
        return dict(cursor.fetchall())


def line_ranking(line: RequestLine, *, limit: int | None = None) -> Ranking:
    """The ranking of ``line`` (its request and the request's municipality loaded)."""
    need = need_of(line)
    if need.remaining <= 0:
        return Ranking(matches=[], total=0)
    with _collector_paused():
        return rank(need, candidates_for(need), limit=limit)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the candidates are read and ranked.

    Ranking allocates some 30,000 short-lived objects (rows, candidates, sort keys) and no
    cycles; each burst would otherwise trigger collections that walk every object of the
    process — the slowest runs of the benchmark (BENCHMARKS.md, ranking). Reference counting
    still frees everything at once; the collector resumes as it was.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def rank_line(line: RequestLine, *, limit: int | None = None) -> list[Match]:
    """The organisations able to help with ``line``, best first, with the reasons."""
    return line_ranking(line, limit=limit).matches


@dataclass(frozen=True)
class LineMatches:
    """What the matches page shows for a line."""

    line: RequestLine
    remaining: Decimal
    ranking: Ranking
    offered_by_anyone: bool  # some organisation offers the capability (for the empty note)
    invited: frozenset[int]  # organisations already invited to the line

    @property
    def shown_all(self) -> bool:
        return len(self.ranking.matches) >= self.ranking.total


def line_matches(line: RequestLine, *, limit: int = MATCHES_SHOWN) -> LineMatches:
    ranking = line_ranking(line, limit=limit)
    remaining = line.quantity - line.claimed
    offered = ranking.total > 0 or (
        OrganisationCapability.objects.filter(
            capability_id=line.capability_id, quantity__gt=0
        ).exists()
    )
    invited = frozenset(
        Invitation.objects.filter(line=line).values_list("organisation_id", flat=True)
    )
    return LineMatches(
        line=line,
        remaining=remaining,
        ranking=ranking,
        offered_by_anyone=offered,
        invited=invited,
    )
