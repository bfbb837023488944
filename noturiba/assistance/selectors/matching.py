"""Reads for "who can help": the candidates of a request line, ranked by
:mod:`noturiba.assistance.ranking`.

For one line, one query (two when scores tie around the last place shown) reads every
organisation offering the line's capability with all the ranking needs — coordinates (its own
or its seat municipality's centre), coverage of the request's municipality, training coverage,
people recently "available to help", active claims — and lets the database compute each score
with the ranking's formula, so that only the few that can be among the best shown travel to
Python. Python then ranks those with ``rank``, which alone decides the points and order shown.
No query per organisation.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils import timezone

from noturiba.accounts import policy
from noturiba.alerts.models import Acknowledgement, Alert
from noturiba.alerts.replies import Answer
from noturiba.assistance import ranking
from noturiba.assistance.models import (
    AssistanceRequest,
    Claim,
    Invitation,
    MatchingOffer,
    RequestLine,
)
from noturiba.assistance.ranking import Candidate, Match, Need, Ranking, rank
from noturiba.lib.geo import EARTH_RADIUS_KM
from noturiba.network.models import (
    Membership,
    Organisation,
    OrganisationCapability,
    Unit,
)

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


def candidates_for(
    need: Need, *, now: datetime.datetime | None = None, limit: int | None = None
) -> tuple[list[Candidate], int]:
    """The organisations offering ``need``'s capability, with what ranking needs to know, and
    how many there are in all.

    With ``limit``, only those that can be among the ``limit`` best: the database computes each
    organisation's score with the formula of :mod:`noturiba.assistance.ranking` and returns the
    best ``limit + SQL_MARGIN``; when scores tie around the ``limit``-th (the database may order
    names differently), every organisation within ``SQL_SLACK`` points of it is read instead.
    Those rows are then ranked in Python by ``rank``, which alone decides the order and points
    shown (a test holds this to the ranking of every candidate). Without ``limit``: everyone.
    """
    since = (now or timezone.now()) - datetime.timedelta(hours=need.availability_hours)
    sql, params = _candidates_sql(need, since)
    with connection.cursor() as cursor:
        if limit is None:
            cursor.execute(_named(sql), params)
            rows = cursor.fetchall()
            return [_candidate(need, row) for row in rows], len(rows)
        cursor.execute(_named(f"{sql} ORDER BY score DESC LIMIT %s"), [*params, limit + SQL_MARGIN])
        rows = cursor.fetchall()
        total = rows[0][-1] if rows else 0
        if len(rows) > limit:
            threshold = rows[limit - 1][-2] - SQL_SLACK if limit > 0 else math.inf
            if rows[-1][-2] >= threshold:  # ties may continue past what was read
                cursor.execute(
                    _named(f"SELECT * FROM ({sql}) ranked WHERE score >= %s"),
                    [*params, threshold],
                )
                rows = cursor.fetchall()
            else:
                rows = [row for row in rows if row[-2] >= threshold]
    return [_candidate(need, row) for row in rows], total


# Rows read beyond ``limit``, and the points below the ``limit``-th score still read: far more
# than the difference between the database's and Python's floating-point results (~1e-12).
SQL_MARGIN = 10
SQL_SLACK = 0.05


def _candidate(need: Need, row: tuple[Any, ...]) -> Candidate:
    org_id, name, quantity, startup, lat, lon, at_seat, covers, people, trained = row[:10]
    available, load = row[10], row[11]
    return Candidate(
        org_id,
        name,
        need.capability_id,
        quantity,
        None if startup is None else int(startup),
        lat,
        lon,
        bool(at_seat),
        bool(covers),
        people,
        None if trained is None else int(trained),
        available or 0,
        load or 0,
    )


def _named(sql: str) -> str:
    """``sql``'s candidates (best first) with their organisations' names, read only for them."""
    organisation = Organisation._meta.db_table
    return f"""
        SELECT r.id, o.name, r.quantity, r.startup_hours, r.lat, r.lon, r.at_seat, r.covers,
               r.people, r.trained, r.available, r.load, r.score, r.total
        FROM ({sql}) r JOIN {organisation} o ON o.id = r.id
        ORDER BY r.score DESC
    """  # noqa: S608 - table names from the models


def _candidates_sql(need: Need, since: datetime.datetime) -> tuple[str, list[Any]]:
    """One query: every organisation offering the capability (quantity above zero) with its
    quantity, start-up hours, coordinates (its own, else its seat municipality's centre),
    whether it covers the request's municipality (asked only when no location is known),
    training coverage, people "available to help" recently, active claims on open requests,
    its score by the ranking's formula (not rounded) and the count of all candidates (a
    subquery run once: as a window over the rows, the count made SQLite copy and sort them all
    once more). The names are read afterwards, for the rows kept (``_named``).

    The offers, their quantities, their organisations' places and training coverage are read
    from :class:`~noturiba.assistance.models.MatchingOffer`, the read model the database's
    triggers keep: one table, numbers already floats, instead of joining the offers, the
    organisations, their seats and the coverage and converting decimals for each of thousands
    of candidates (about half of the cost; BENCHMARKS.md, ranking). On PostgreSQL the inner
    query is kept from being merged into the outer one (``OFFSET 0``): merged, each use of a
    value repeated its computation.
    The haversine is written with cosines, ``sin²(x/2) = (1 − cos x) / 2`` (fewer calls; the
    same distance to far better than the points' rounding). The recent answers are read
    through the recent alerts (few): ``IN`` the alerts sent since, so that the
    acknowledgements' (alert, person) index is used and the answers to older alerts (tens of
    thousands each) are never scanned.
    """
    t = {
        "offer": MatchingOffer._meta.db_table,
        "covers": Organisation.municipalities.through._meta.db_table,
        "alert": Alert._meta.db_table,
        "ack": Acknowledgement._meta.db_table,
        "membership": Membership._meta.db_table,
        "claim": Claim._meta.db_table,
        "line": RequestLine._meta.db_table,
        "request": AssistanceRequest._meta.db_table,
    }
    sqlite = connection.vendor == "sqlite"
    smaller = "MIN" if sqlite else "LEAST"  # of two values
    # PostgreSQL merges the inner query into the outer one unless told not to; SQLite's
    # equivalent barrier (LIMIT -1) made it copy every row first, which cost more.
    barrier = "" if sqlite else "OFFSET 0"

    active = ", ".join(f"'{state.value}'" for state in Claim.ACTIVE)
    r = ranking
    a = (
        "(1 - COS(%s - RADIANS(c.lat))) / 2"
        " + COS(RADIANS(c.lat)) * %s * (1 - COS(RADIANS(%s - c.lon))) / 2"
    )
    sql = f"""
        SELECT c.id, c.quantity, c.startup_hours, c.lat, c.lon, c.at_seat, c.covers,
               c.people, c.trained, c.available, c.load,
               CASE WHEN c.quantity >= %s THEN {r.CAPACITY_POINTS}
                   ELSE {r.CAPACITY_POINTS} * c.quantity / %s END
             + CASE WHEN c.lat IS NOT NULL
                   THEN {r.DISTANCE_POINTS} / (1 + 2 * {EARTH_RADIUS_KM}
                        * ASIN(SQRT({smaller}(1, {a}))) / {r.DISTANCE_HALF_KM})
                   WHEN c.covers = 1 THEN {r.COVERAGE_FALLBACK_POINTS} ELSE 0 END
             + CASE WHEN c.startup_hours IS NULL THEN {r.STARTUP_UNKNOWN_POINTS}
                   ELSE {r.STARTUP_POINTS} / (1 + c.startup_hours / {r.STARTUP_HALF_HOURS}) END
             + CASE WHEN c.people > 0 AND c.trained IS NOT NULL
                   THEN {r.TRAINING_POINTS} * {smaller}(1, c.trained / c.people) ELSE 0 END
             + COALESCE(c.available_points, 0) - COALESCE(c.load_points, 0) AS score,
               (SELECT COUNT(*) FROM {t["offer"]} n
                WHERE n.capability_id = %s AND n.quantity > 0) AS total
        FROM (
            SELECT mo.organisation_id AS id, mo.quantity, mo.startup_hours,
                   mo.latitude AS lat, mo.longitude AS lon,
                   CASE WHEN mo.at_seat THEN 1 ELSE 0 END AS at_seat,
                   CASE WHEN mo.latitude IS NULL AND EXISTS (
                       SELECT 1 FROM {t["covers"]} cm
                       WHERE cm.organisation_id = mo.organisation_id
                         AND cm.municipality_id = %s) THEN 1 ELSE 0 END AS covers,
                   mo.people, CAST(mo.trained_people AS DOUBLE PRECISION) AS trained,
                   av.people AS available, av.points AS available_points,
                   ld.claims AS load, ld.points AS load_points
            FROM {t["offer"]} mo
            LEFT JOIN (
                SELECT m.organisation_id, COUNT(*) AS people,
                       {smaller}({r.AVAILABLE_POINTS_MAX}, {r.AVAILABLE_POINTS_EACH} * COUNT(*))
                           AS points
                FROM {t["membership"]} m
                WHERE m.person_id IN (
                    SELECT ack.person_id FROM {t["ack"]} ack
                    WHERE ack.alert_id IN (
                        SELECT al.id FROM {t["alert"]} al WHERE al.sent >= %s)
                      AND ack.answer = %s AND ack.answered_at >= %s)
                GROUP BY m.organisation_id
            ) av ON av.organisation_id = mo.organisation_id
            LEFT JOIN (
                SELECT cl.organisation_id, COUNT(*) AS claims,
                       {smaller}({r.LOAD_POINTS_MAX}, {r.LOAD_POINTS_EACH} * COUNT(*)) AS points
                FROM {t["claim"]} cl
                JOIN {t["line"]} li ON li.id = cl.line_id
                JOIN {t["request"]} rq ON rq.id = li.request_id
                WHERE cl.state IN ({active}) AND rq.state = %s
                GROUP BY cl.organisation_id
            ) ld ON ld.organisation_id = mo.organisation_id
            WHERE mo.capability_id = %s AND mo.quantity > 0
            {barrier}
        ) c
    """  # noqa: S608 - table names and constants from the code, values as parameters
    remaining = float(need.remaining)
    phi = math.radians(need.latitude)
    params: list[Any] = [  # in the order they appear in the text
        remaining,
        remaining,
        phi,
        math.cos(phi),
        need.longitude,
        need.capability_id,
        need.municipality_id,
        since,
        Answer.AVAILABLE.value,
        since,
        AssistanceRequest.State.OPEN.value,
        need.capability_id,
    ]
    return sql, params


def line_ranking(line: RequestLine, *, limit: int | None = None) -> Ranking:
    """The ranking of ``line`` (its request and the request's municipality loaded)."""
    need = need_of(line)
    if need.remaining <= 0:
        return Ranking(matches=[], total=0)
    candidates, total = candidates_for(need, limit=limit)
    ranked = rank(need, candidates, limit=limit)
    return Ranking(matches=ranked.matches, total=total)


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
