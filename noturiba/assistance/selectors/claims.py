"""Reads of offers and claims, with the policy's rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from noturiba.accounts import policy
from noturiba.assistance.models import AssistanceRequest, Claim, RequestLine


def claims_panel(
    actor: policy.Actor, request: AssistanceRequest, lines: Sequence[RequestLine]
) -> dict[str, Any]:
    """What the request page shows under each line about claims: merged into its context;
    ``assistance/_line_claims.html`` renders it for one ``line``."""
    by_line: dict[int, list[Claim]] = defaultdict(list)
    for claim in (
        Claim.objects.filter(line__in=lines, state__in=Claim.ACTIVE)
        .select_related("organisation")
        .order_by("created_at", "id")
    ):
        by_line[claim.line_id].append(claim)
    return {"claims_by_line": dict(by_line)}
