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
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from noturiba.accounts import policy
from noturiba.alerts.models import Acknowledgement
from noturiba.alerts.replies import Answer
from noturiba.assistance.models import AssistanceRequest, Claim, Invitation, RequestLine
from noturiba.assistance.ranking import Candidate, Match, Need, Ranking, rank
from noturiba.network.models import Membership, Organisation, OrganisationCapability, Unit
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
    rows = list(
        OrganisationCapability.objects.filter(
            capability_id=need.capability_id, quantity__gt=0
        ).values_list(
            "organisation_id",
            "organisation__name",
            "quantity",
            "startup_hours",
            "organisation__latitude",
            "organisation__longitude",
            "organisation__municipality__latitude",
            "organisation__municipality__longitude",
        )
    )
    if not rows:
        return []
    coverage = {
        organisation_id: (people, trained)
        for organisation_id, people, trained in OrganisationTrainingCoverage.objects.filter(
            organisation__capabilities__capability_id=need.capability_id,
            organisation__capabilities__quantity__gt=0,
        ).values_list("organisation_id", "people", "trained_people")
    }
    since = (now or timezone.now()) - datetime.timedelta(hours=need.availability_hours)
    recently_available = Acknowledgement.objects.filter(
        answer=Answer.AVAILABLE, answered_at__gte=since
    ).values("person_id")
    available = dict(
        Membership.objects.filter(
            person_id__in=recently_available,
            organisation__capabilities__capability_id=need.capability_id,
            organisation__capabilities__quantity__gt=0,
        )
        .values_list("organisation_id")
        .annotate(count=Count("person_id", distinct=True))
        .order_by()
    )
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
    # Organisations with no location at all: whether they cover the request's municipality.
    unplaced = [row[0] for row in rows if row[4] is None and row[6] is None]
    covering: set[int] = set()
    if unplaced:
        covering = set(
            Organisation.municipalities.through.objects.filter(
                organisation_id__in=unplaced, municipality_id=need.municipality_id
            ).values_list("organisation_id", flat=True)
        )
    candidates = []
    for org_id, name, quantity, startup, lat, lon, seat_lat, seat_lon in rows:
        own = lat is not None and lon is not None
        if not own:
            lat, lon = seat_lat, seat_lon
        people, trained = coverage.get(org_id, (None, None))
        candidates.append(
            Candidate(
                organisation_id=org_id,
                name=name,
                capability_id=need.capability_id,
                quantity=quantity,
                startup_hours=startup,
                latitude=None if lat is None else float(lat),
                longitude=None if lon is None else float(lon),
                at_seat_centre=not own and lat is not None,
                covers_municipality=org_id in covering,
                people=people,
                trained_people=trained,
                available_people=available.get(org_id, 0),
                active_claims=load.get(org_id, 0),
            )
        )
    return candidates


def line_ranking(line: RequestLine, *, limit: int | None = None) -> Ranking:
    """The ranking of ``line`` (its request and the request's municipality loaded)."""
    need = need_of(line)
    if need.remaining <= 0:
        return Ranking(matches=[], total=0)
    return rank(need, candidates_for(need), limit=limit)


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
