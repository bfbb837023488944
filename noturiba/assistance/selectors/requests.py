"""Reading assistance requests with the policy's rules: the board, one request, its lines.

Who sees which request is ``policy.request_filter``: a request one may not see is a 404,
never a hint that it exists. A request's coverage is computed in the database from its lines
(``RequestLine.claimed`` is kept by the claims actions): nothing claimed yet, partly covered,
covered; an open request whose deadline has passed while not covered is overdue.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from noturiba.accounts import policy
from noturiba.assistance.models import AssistanceRequest, RequestLine
from noturiba.network.models import CapabilityType, Municipality

OPEN = AssistanceRequest.State.OPEN
ENDED = (AssistanceRequest.State.CLOSED, AssistanceRequest.State.CANCELLED)

# The board's tabs, in order: ``all`` (every open request) is the default.
TABS = ("all", "open", "partly", "covered", "overdue", "closed")
ANY = "any"  # no tab: every state (the API's list without ``status``)
# A request's coverage, as the board shows it.
UNCOVERED, PARTLY, COVERED = "uncovered", "partly", "covered"

_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def requests_visible_to(actor: policy.Actor) -> QuerySet[AssistanceRequest]:
    """Every request ``actor`` may see, once each. When the policy's filter joins other tables
    (an organisation's invitations, offers and claims), it stays in a ``pk IN`` subquery so
    that rows are not repeated and no DISTINCT is needed."""
    visible = policy.request_filter(actor)
    if not visible:
        return AssistanceRequest.objects.all()
    filtered = AssistanceRequest.objects.filter(visible)
    if len(filtered.query.alias_map) <= 1:  # no join: the filter applies as it is
        return filtered
    return AssistanceRequest.objects.filter(pk__in=filtered.values("pk"))


def _line_sum(field: str) -> Coalesce:
    total = (
        RequestLine.objects.filter(request=OuterRef("pk"))
        .order_by()
        .values("request")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(
        Subquery(total, output_field=DecimalField(max_digits=14, decimal_places=2)), _ZERO
    )


def with_coverage(requests: QuerySet[AssistanceRequest]) -> QuerySet[AssistanceRequest]:
    """Each request with ``total_quantity``, ``total_claimed`` and ``line_count`` (subqueries
    on its lines: no join, no GROUP BY over the requests)."""
    counted = (
        RequestLine.objects.filter(request=OuterRef("pk"))
        .order_by()
        .values("request")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return requests.annotate(
        total_quantity=_line_sum("quantity"),
        total_claimed=_line_sum("claimed"),
        line_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
    )


def _tab_filter(tab: str, now: datetime.datetime, prefix: str = "total_") -> Q:
    """The rows of ``tab`` given per-request sums named ``<prefix>quantity``/``claimed``."""
    quantity, claimed = f"{prefix}quantity", f"{prefix}claimed"
    open_ = Q(state=OPEN)
    if tab == "open":
        return open_ & Q(**{claimed: 0})
    if tab == "partly":
        return open_ & Q(**{f"{claimed}__gt": 0, f"{claimed}__lt": F(quantity)})
    if tab == "covered":
        return open_ & Q(**{f"{claimed}__gte": F(quantity)}) & Q(**{f"{quantity}__gt": 0})
    if tab == "overdue":
        return open_ & Q(deadline__lt=now) & Q(**{f"{claimed}__lt": F(quantity)})
    if tab == "closed":
        return Q(state__in=ENDED)
    if tab == ANY:
        return Q()
    return open_


@dataclass(frozen=True)
class BoardFilters:
    """The board's tab and filters, read leniently: a value that means nothing is ignored."""

    tab: str = "all"
    municipality: str = ""
    capability: str = ""
    urgency: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> BoardFilters:
        def text(name: str, limit: int = 40) -> str:
            value = query.get(name) or ""
            return value.strip()[:limit] if isinstance(value, str) else ""

        tab = text("status") or text("tab")
        urgency = text("urgency")
        return cls(
            tab=tab if tab in TABS else "all",
            municipality=text("municipality").upper(),
            capability=text("capability").lower(),
            urgency=urgency if urgency in AssistanceRequest.UrgencyChoice.values else "",
        )

    def as_query(self, *, tab: bool = True) -> list[tuple[str, str]]:
        pairs = [
            ("status", self.tab if tab and self.tab != "all" else ""),
            ("municipality", self.municipality),
            ("capability", self.capability),
            ("urgency", self.urgency),
        ]
        return [(key, value) for key, value in pairs if value]


def _filtered(actor: policy.Actor, filters: BoardFilters) -> QuerySet[AssistanceRequest]:
    requests = requests_visible_to(actor)
    if filters.municipality:
        requests = requests.filter(municipality__code=filters.municipality)
    if filters.urgency:
        requests = requests.filter(urgency=filters.urgency)
    if filters.capability:
        # ``pk IN`` (evaluated once) rather than EXISTS per row: SQLite's planner turns the
        # latter into a scan of every line for every request in the tabs' aggregate.
        requests = requests.filter(
            pk__in=RequestLine.objects.filter(capability__code=filters.capability).values(
                "request_id"
            )
        )
    return requests


def board_counts(
    actor: policy.Actor, filters: BoardFilters, *, now: datetime.datetime | None = None
) -> dict[str, int]:
    """How many requests each tab holds (with the filters), in one aggregate query: the lines'
    sums per request in a grouped subquery, counted by tab around it."""
    now = now or timezone.now()
    grouped = _filtered(actor, filters).annotate(
        sum_quantity=Coalesce(Sum("lines__quantity"), _ZERO),
        sum_claimed=Coalesce(Sum("lines__claimed"), _ZERO),
    )
    counts = grouped.aggregate(
        **{tab: Count("pk", filter=_tab_filter(tab, now, prefix="sum_")) for tab in TABS}
    )
    return {tab: int(counts[tab] or 0) for tab in TABS}


def board_requests(
    actor: policy.Actor, filters: BoardFilters, *, now: datetime.datetime | None = None
) -> QuerySet[AssistanceRequest]:
    """The requests of the board's tab, soonest deadline first (closed ones: latest closed
    first), each with its coverage sums, municipality and lines (for the rows' coverage)."""
    now = now or timezone.now()
    requests = (
        with_coverage(_filtered(actor, filters))
        .filter(_tab_filter(filters.tab, now))
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=RequestLine.objects.select_related("capability").order_by(
                    "position", "id"
                ),
            )
        )
    )
    if filters.tab == "closed":
        return requests.order_by(F("closed_at").desc(nulls_last=True), "-id")
    return requests.order_by("deadline", "id")


def coverage_of(request: AssistanceRequest) -> str:
    """``uncovered``, ``partly`` or ``covered``, from ``with_coverage``'s sums (or the lines)."""
    quantity = getattr(request, "total_quantity", None)
    claimed = getattr(request, "total_claimed", None)
    if quantity is None or claimed is None:
        lines = list(request.lines.all())
        quantity = sum((line.quantity for line in lines), Decimal(0))
        claimed = sum((line.claimed for line in lines), Decimal(0))
    if claimed <= 0:
        return UNCOVERED
    if claimed >= quantity:
        return COVERED
    return PARTLY


def is_overdue(request: AssistanceRequest, now: datetime.datetime | None = None) -> bool:
    return request.is_overdue(now) and coverage_of(request) != COVERED


def get_request_for_user(actor: policy.Actor, request_id: int) -> AssistanceRequest:
    """One request with everything its page shows; 404 when ``actor`` may not see it."""
    request = (
        requests_visible_to(actor)
        .select_related("municipality", "institution", "alert", "created_by")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=RequestLine.objects.select_related("capability").order_by(
                    "position", "id"
                ),
            )
        )
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise Http404
    return request


def can_manage(actor: policy.Actor, request: AssistanceRequest) -> bool:
    return policy.can_manage_request(
        actor, municipality_id=request.municipality_id, created_by_id=request.created_by_id
    )


def board_municipalities(actor: policy.Actor) -> QuerySet[Municipality]:
    """The municipalities to filter the board by: an officer's jurisdiction, else all current."""
    roles = policy.roles_of(actor)
    if roles.officer and not roles.national_officer and not roles.coordinator:
        return Municipality.objects.filter(pk__in=roles.jurisdiction).order_by("name_lv")
    return Municipality.objects.current().order_by("name_lv")


def postable_municipalities(actor: policy.Actor) -> QuerySet[Municipality]:
    """Where ``actor`` may post: current municipalities, an officer's jurisdiction only."""
    roles = policy.roles_of(actor)
    current = Municipality.objects.current().order_by("name_lv")
    if roles.coordinator or roles.national_officer:
        return current
    if roles.officer:
        return current.filter(pk__in=roles.jurisdiction)
    return current.none()


def capabilities() -> QuerySet[CapabilityType]:
    return CapabilityType.objects.order_by("sort_order", "code")


def search_requests(
    actor: policy.Actor,
    *,
    state: str = "",
    status: str = "",
    municipality: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[AssistanceRequest]:
    """The API's list: the requests ``actor`` may see, by state and by the board's tab."""
    filters = BoardFilters(tab=status or ANY, municipality=municipality)
    requests = board_requests(actor, filters, now=now)
    if state:
        requests = requests.filter(state=state)
    return requests
