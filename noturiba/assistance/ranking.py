"""Who can help with a request line: the scoring, with the reasons in words (no database).

``rank(need, candidates)`` takes plain dataclasses (filled by
``noturiba.assistance.selectors.matching``) and returns the ranked matches, each with one
:class:`Reason` per factor. Nobody is ranked when nothing of the line remains to be claimed, and
only organisations offering the line's capability (quantity above zero) are ranked.

The score is the sum of the points of six factors (at most 95):

==================  ===========================================================================
capacity            up to 30: ``30 × min(1, offered / still needed)`` — 30 when the organisation
                    offers all that is still needed, a share of it when it offers part.
distance            up to 30: ``30 / (1 + km / 50)`` — 30 on the spot, 15 at 50 km, 7.5 at
                    150 km. Great-circle km from the organisation's coordinates (or its seat
                    municipality's centre) to the request's (or its municipality's centre).
                    With no location known for the organisation at all: 15 (as at 50 km) when it
                    covers the request's municipality, else 0.
start-up time       up to 15: ``15 / (1 + hours / 12)`` — 15 at once, 7.5 within 12 hours; not
                    declared: 5 (as within a day).
training coverage   up to 10: ``10 × share of its people holding a current competency``; not
                    known: 0.
availability        up to 10: 2 per person of the organisation who answered "available to help"
                    to an alert within ``ASSISTANCE_AVAILABILITY_HOURS``, at most 10.
load                down to −15: −3 per active claim the organisation holds on open requests.
==================  ===========================================================================

The score is rounded to two decimals. Matches are ordered by score (highest first), then by
distance (nearest first; unknown last), then by name and id, so the order is deterministic and,
as distance points fall strictly with distance, of two organisations equal in all else the
nearer one is always ranked first. Readiness assessments are not in the platform yet, so they do
not count.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from noturiba.lib.geo import EARTH_RADIUS_KM

CAPACITY_POINTS = 30.0
DISTANCE_POINTS = 30.0
DISTANCE_HALF_KM = 50.0  # the distance at which half the distance points are left
COVERAGE_FALLBACK_POINTS = DISTANCE_POINTS / 2  # no location known, covers the municipality
STARTUP_POINTS = 15.0
STARTUP_HALF_HOURS = 12.0
STARTUP_UNKNOWN_POINTS = 5.0
TRAINING_POINTS = 10.0
AVAILABLE_POINTS_EACH = 2.0
AVAILABLE_POINTS_MAX = 10.0
LOAD_POINTS_EACH = 3.0
LOAD_POINTS_MAX = 15.0


@dataclass(frozen=True)
class Need:
    """What is asked: a request line, where, and how much of it is still to be claimed."""

    capability_id: int
    remaining: Decimal
    unit: str  # the unit's label, for the reasons
    latitude: float
    longitude: float
    municipality_id: int
    at_municipality_centre: bool = False  # the request has no coordinates of its own
    availability_hours: int = 72


@dataclass(slots=True)
class Candidate:
    """An organisation with what it offers of one capability and what is known about it.

    Not frozen: tens of thousands are built per ranking, and a frozen dataclass's ``__init__``
    costs several times more."""

    organisation_id: int
    name: str
    capability_id: int
    quantity: float
    startup_hours: int | None = None
    latitude: float | None = None  # its own, or else its seat municipality's centre
    longitude: float | None = None
    at_seat_centre: bool = False  # the coordinates are its seat municipality's centre
    covers_municipality: bool = False  # covers the request's municipality (M2M)
    people: int | None = None  # training coverage: None when not known
    trained_people: int | None = None
    available_people: int = 0
    active_claims: int = 0


@dataclass(frozen=True)
class Reason:
    """One factor of a score: its code, the value it was computed from, its points, in words."""

    code: str  # capacity, distance, startup, training, availability, load
    value: float | None
    points: float
    text: str


@dataclass(frozen=True)
class Match:
    rank: int
    organisation_id: int
    name: str
    score: float
    distance_km: float | None
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Ranking:
    """The matches asked for, and how many organisations could be ranked at all."""

    matches: list[Match]
    total: int


# --- The points of each factor -----------------------------------------------------------------


def capacity_points(offered: float, remaining: float) -> float:
    if remaining <= 0:
        return 0.0
    return CAPACITY_POINTS * min(1.0, offered / remaining)


def distance_points(km: float) -> float:
    """Strictly falling with distance: nearer is always worth more."""
    return DISTANCE_POINTS / (1.0 + km / DISTANCE_HALF_KM)


def startup_points(hours: int | None) -> float:
    if hours is None:
        return STARTUP_UNKNOWN_POINTS
    return STARTUP_POINTS / (1.0 + hours / STARTUP_HALF_HOURS)


def training_points(people: int | None, trained: int | None) -> float:
    if not people or trained is None:
        return 0.0
    return TRAINING_POINTS * min(1.0, trained / people)


def availability_points(available: int) -> float:
    return min(AVAILABLE_POINTS_MAX, AVAILABLE_POINTS_EACH * max(0, available))


def load_points(active_claims: int) -> float:
    return 0.0 - min(LOAD_POINTS_MAX, LOAD_POINTS_EACH * max(0, active_claims))


def _location_points(distance: float | None, candidate: Candidate) -> float:
    if distance is not None:
        return distance_points(distance)
    return COVERAGE_FALLBACK_POINTS if candidate.covers_municipality else 0.0


def score(need: Need, candidate: Candidate, distance: float | None) -> float:
    """The candidate's score, rounded to two decimals."""
    return _score(float(need.remaining), candidate, distance)


def _score(remaining: float, candidate: Candidate, distance: float | None) -> float:
    # The factors' functions inlined: this runs for every candidate (tens of thousands).
    total = CAPACITY_POINTS * min(1.0, candidate.quantity / remaining)
    if distance is not None:
        total += DISTANCE_POINTS / (1.0 + distance / DISTANCE_HALF_KM)
    elif candidate.covers_municipality:
        total += COVERAGE_FALLBACK_POINTS
    hours = candidate.startup_hours
    total += (
        STARTUP_UNKNOWN_POINTS
        if hours is None
        else STARTUP_POINTS / (1.0 + hours / STARTUP_HALF_HOURS)
    )
    people, trained = candidate.people, candidate.trained_people
    if people and trained is not None:
        total += TRAINING_POINTS * min(1.0, trained / people)
    if candidate.available_people > 0:
        total += min(AVAILABLE_POINTS_MAX, AVAILABLE_POINTS_EACH * candidate.available_people)
    if candidate.active_claims > 0:
        total -= min(LOAD_POINTS_MAX, LOAD_POINTS_EACH * candidate.active_claims)
    return round(total, 2)


# --- Ranking -------------------------------------------------------------------------------------


def is_candidate(need: Need, candidate: Candidate) -> bool:
    return candidate.capability_id == need.capability_id and candidate.quantity > 0


def _order(item: tuple[float, float, str, int, Candidate, float | None]) -> tuple[Any, ...]:
    """Score (highest first), distance (nearest first, unknown last), name, id."""
    return item[:4]


def rank(need: Need, candidates: Iterable[Candidate], *, limit: int | None = None) -> Ranking:
    """The organisations able to help with ``need``, best first, with their reasons.

    Only the first ``limit`` matches (all when None) are returned with their reasons; ``total``
    counts every organisation that could be ranked.
    """
    if need.remaining <= 0:
        return Ranking(matches=[], total=0)
    keyed: list[tuple[float, float, str, int, Candidate, float | None]] = []
    append = keyed.append
    remaining = float(need.remaining)
    capability = need.capability_id
    # The haversine of noturiba.lib.geo.distance_km with the need's side computed once; the
    # same operations in the same order, so the same floats (this loop runs 10,000 times).
    phi2 = math.radians(need.latitude)
    cos_phi2 = math.cos(phi2)
    lon2 = need.longitude
    radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
    for candidate in candidates:
        if candidate.capability_id != capability or candidate.quantity <= 0:
            continue
        if candidate.latitude is None or candidate.longitude is None:
            distance = None
            sort_km = math.inf
        else:
            phi1 = radians(candidate.latitude)
            half_dphi = (phi2 - phi1) / 2
            half_dlambda = radians(lon2 - candidate.longitude) / 2
            a = sin(half_dphi) ** 2 + cos(phi1) * cos_phi2 * sin(half_dlambda) ** 2
            distance = sort_km = 2 * EARTH_RADIUS_KM * asin(sqrt(min(1.0, a)))
        points = _score(remaining, candidate, distance)
        append((-points, sort_km, candidate.name, candidate.organisation_id, candidate, distance))
    chosen = (
        sorted(keyed, key=_order)
        if limit is None
        else heapq.nsmallest(max(0, limit), keyed, key=_order)
    )
    matches = [
        Match(
            rank=position,
            organisation_id=candidate.organisation_id,
            name=candidate.name,
            score=-negative,
            distance_km=distance,
            reasons=reasons(need, candidate, distance),
        )
        for position, (negative, _km, _name, _id, candidate, distance) in enumerate(chosen, 1)
    ]
    return Ranking(matches=matches, total=len(keyed))


# --- The reasons in words ---------------------------------------------------------------------


def _number(value: Decimal | float, places: int | None = 0) -> str:
    """``value`` in the active language's format: ``places`` decimals (none when the rounded
    value is whole); ``None``: a quantity, as stored (at most two decimals)."""
    value = float(value)
    if places is None:
        return str(number_format(int(value) if value.is_integer() else value))
    rounded = round(value, places)
    if places == 0 or rounded.is_integer():
        return str(number_format(int(round(value)), 0))
    return str(number_format(rounded, places))


def reasons(need: Need, candidate: Candidate, distance: float | None) -> tuple[Reason, ...]:
    return (
        _capacity_reason(need, candidate),
        _distance_reason(need, candidate, distance),
        _startup_reason(candidate),
        _training_reason(candidate),
        _availability_reason(need, candidate),
        _load_reason(candidate),
    )


def _capacity_reason(need: Need, candidate: Candidate) -> Reason:
    points = capacity_points(candidate.quantity, float(need.remaining))
    values = {
        "offered": _number(candidate.quantity, None),
        "remaining": _number(need.remaining, None),
        "unit": need.unit,
    }
    if candidate.quantity >= need.remaining:
        text = _("Offers %(offered)s %(unit)s: covers all %(remaining)s still needed") % values
    else:
        share = candidate.quantity / float(need.remaining)
        text = _("Offers %(offered)s %(unit)s: %(share)s%% of the %(remaining)s still needed") % {
            **values,
            "share": _number(share * 100),
        }
    return Reason("capacity", float(candidate.quantity), round(points, 2), text)


def _distance_reason(need: Need, candidate: Candidate, distance: float | None) -> Reason:
    points = _location_points(distance, candidate)
    if distance is None:
        text = (
            _("No location known; covers the request's municipality")
            if candidate.covers_municipality
            else _("No location known, and does not cover the request's municipality")
        )
        return Reason("distance", None, round(points, 2), text)
    km = _number(distance, 1 if distance < 10 else 0)
    if candidate.at_seat_centre and need.at_municipality_centre:
        text = _(
            "%(km)s km away (from its seat municipality's centre to the request's "
            "municipality's centre)"
        ) % {"km": km}
    elif candidate.at_seat_centre:
        text = _("%(km)s km away (from its seat municipality's centre)") % {"km": km}
    elif need.at_municipality_centre:
        text = _("%(km)s km away (to the centre of the request's municipality)") % {"km": km}
    else:
        text = _("%(km)s km away") % {"km": km}
    return Reason("distance", round(distance, 1), round(points, 2), text)


def _startup_reason(candidate: Candidate) -> Reason:
    points = startup_points(candidate.startup_hours)
    hours = candidate.startup_hours
    if hours is None:
        text = _("Start-up time not declared")
    elif hours == 0:
        text = _("Can start at once")
    else:
        text = ngettext(
            "Can start within %(hours)s hour", "Can start within %(hours)s hours", hours
        ) % {"hours": hours}
    return Reason("startup", None if hours is None else float(hours), round(points, 2), text)


def _training_reason(candidate: Candidate) -> Reason:
    people, trained = candidate.people, candidate.trained_people
    if not people or trained is None:
        return Reason("training", None, 0.0, _("Training coverage not known"))
    share = min(1.0, trained / people)
    text = ngettext(
        "%(trained)s of %(people)s person holds a current competency (%(share)s%%)",
        "%(trained)s of %(people)s people hold a current competency (%(share)s%%)",
        people,
    ) % {"trained": trained, "people": people, "share": _number(share * 100)}
    return Reason("training", round(share, 4), round(training_points(people, trained), 2), text)


def _availability_reason(need: Need, candidate: Candidate) -> Reason:
    count = candidate.available_people
    values = {"count": count, "hours": need.availability_hours}
    if count:
        text = (
            ngettext(
                '%(count)s person answered "available to help" to an alert in the last '
                "%(hours)s hours",
                '%(count)s people answered "available to help" to an alert in the last '
                "%(hours)s hours",
                count,
            )
            % values
        )
    else:
        text = _('Nobody answered "available to help" to an alert in the last %(hours)s hours') % (
            values
        )
    return Reason("availability", float(count), round(availability_points(count), 2), text)


def _load_reason(candidate: Candidate) -> Reason:
    count = candidate.active_claims
    if count:
        text = ngettext(
            "Holds %(count)s active claim on open requests",
            "Holds %(count)s active claims on open requests",
            count,
        ) % {"count": count}
    else:
        text = _("No active claims on open requests")
    return Reason("load", float(count), round(load_points(count), 2), text)
