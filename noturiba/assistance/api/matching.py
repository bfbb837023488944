"""Assistance requests' API: who can help with a line
(``GET /api/v1/requests/{id}/lines/{line_id}/matches``).

The same rules and ranking as the page: 404 when the caller cannot see the request (or the line
is not its), 403 when they can see it but may not manage it. The best 50 are returned, each with
its score and one structured reason per factor (``noturiba.assistance.ranking``).
"""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from noturiba.api.auth import actor_of
from noturiba.assistance.selectors import matching as selectors
from noturiba.network.api.common import ObjectPath, responses

router = Router(tags=["assistance requests"])


class ReasonOut(Schema):
    code: str = Field(
        description="The factor: `capacity`, `distance`, `startup`, `training`, "
        "`availability` or `load`."
    )
    value: float | None = Field(
        description="What the points were computed from: the quantity offered, km, start-up "
        "hours, the trained share (0–1), people available, active claims; null when not known."
    )
    points: float = Field(description="The factor's points (load counts negative).")
    text: str = Field(description="The reason in words, in the request's language.")


class MatchOut(Schema):
    rank: int
    organisation_id: int
    name: str
    score: float
    distance_km: float | None = Field(description="Null when no location is known.")
    reasons: list[ReasonOut]


class MatchesOut(Schema):
    request_id: int
    line_id: int
    capability: str = Field(description="The capability's code.")
    quantity: Decimal
    remaining: Decimal = Field(description="The quantity not yet claimed.")
    total: int = Field(description="How many organisations could be ranked.")
    matches: list[MatchOut] = Field(description="The best ones (at most 50), best first.")


@router.get(
    "/requests/{int:request_id}/lines/{int:line_id}/matches",
    response=responses(200, MatchesOut, 401, 403, 404),
)
def line_matches(
    request: HttpRequest, request_id: int = ObjectPath, line_id: int = ObjectPath
) -> MatchesOut:
    """The organisations ranked for a request line, with the reasons for each."""
    line = selectors.get_line_to_match(actor_of(request), request_id, line_id)
    ranking = selectors.line_ranking(line, limit=selectors.MATCHES_SHOWN)
    return MatchesOut(
        request_id=line.request_id,
        line_id=line.pk,
        capability=line.capability.code,
        quantity=line.quantity,
        remaining=line.quantity - line.claimed,
        total=ranking.total,
        matches=[
            MatchOut(
                rank=match.rank,
                organisation_id=match.organisation_id,
                name=match.name,
                score=match.score,
                distance_km=None if match.distance_km is None else round(match.distance_km, 1),
                reasons=[
                    ReasonOut(code=r.code, value=r.value, points=r.points, text=r.text)
                    for r in match.reasons
                ],
            )
            for match in ranking.matches
        ],
    )
