"""Reads for following the response: the map of needs and responders, the situation report
(sitrep) and the 3W export, with the policy's rules.

- The map shows the open requests ``policy.request_filter`` lets the actor see; the responding
  organisations (active claims) only to those who may see situation reports.
- The sitrep and the 3W export cover the requests of the viewer's area
  (``policy.sitrep_municipalities``) that were live during the period: posted before its end
  and not closed (or cancelled) before its start.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from noturiba.accounts import policy
from noturiba.assistance.models import AssistanceRequest, Claim, RequestLine
from noturiba.network.models import CapabilityType, Municipality, Organisation, Unit

URGENCY_ORDER = [choice.value for choice in AssistanceRequest.UrgencyChoice]
ZERO = Decimal(0)


def riga() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def urgency_rank() -> Case:
    """Most urgent first: immediate, expected, future, unknown."""
    return Case(
        *(When(urgency=value, then=Value(rank)) for rank, value in enumerate(URGENCY_ORDER)),
        default=Value(len(URGENCY_ORDER)),
        output_field=IntegerField(),
    )


# --- The map ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapFilters:
    municipality: Municipality | None = None
    capability: CapabilityType | None = None
    urgency: str = ""

    def as_query(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        if self.municipality is not None:
            pairs.append(("municipality", self.municipality.code))
        if self.capability is not None:
            pairs.append(("capability", self.capability.code))
        if self.urgency:
            pairs.append(("urgency", self.urgency))
        return pairs

    @property
    def is_filtered(self) -> bool:
        return bool(self.as_query())


def map_requests(actor: policy.Actor, filters: MapFilters) -> QuerySet[AssistanceRequest]:
    """The open requests ``actor`` may see that match ``filters``, most urgent and nearest
    deadline first."""
    visible = AssistanceRequest.objects.filter(
        pk__in=AssistanceRequest.objects.filter(policy.request_filter(actor)).values("pk")
    ).filter(state=AssistanceRequest.State.OPEN)
    if filters.municipality is not None:
        visible = visible.filter(municipality=filters.municipality)
    if filters.urgency:
        visible = visible.filter(urgency=filters.urgency)
    if filters.capability is not None:
        visible = visible.filter(
            Exists(
                RequestLine.objects.filter(request=OuterRef("pk"), capability=filters.capability)
            )
        )
    return visible.annotate(urgency_rank=urgency_rank(), uncovered=_not_covered()).order_by(
        "urgency_rank", "deadline", "id"
    )


def with_lines(requests: QuerySet[AssistanceRequest]) -> QuerySet[AssistanceRequest]:
    """``requests`` with their municipality and lines (capabilities) in two more queries."""
    return requests.select_related("municipality").prefetch_related(
        Prefetch(
            "lines",
            queryset=RequestLine.objects.select_related("capability").order_by("position", "id"),
        )
    )


@dataclass
class Responder:
    """An organisation with active claims on the requests shown, and what it is doing."""

    organisation: Organisation
    activities: list[Activity] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.organisation.has_location

    @property
    def latitude(self) -> Decimal | None:
        if self.exact:
            return self.organisation.latitude
        seat = self.organisation.municipality
        return seat.latitude if seat else None

    @property
    def longitude(self) -> Decimal | None:
        if self.exact:
            return self.organisation.longitude
        seat = self.organisation.municipality
        return seat.longitude if seat else None


@dataclass(frozen=True)
class Activity:
    request_id: int
    request_title: str
    capability: str
    unit: str
    quantity: Decimal
    states: tuple[str, ...]

    @property
    def unit_label(self) -> str:
        return str(Unit(self.unit).label)


def responders(
    actor: policy.Actor, requests: QuerySet[AssistanceRequest], *, limit: int | None = None
) -> list[Responder]:
    """The organisations with active claims on ``requests`` (limited to the actor's sitrep
    area), each with its activities; empty for those who may not see situation reports."""
    if not policy.can_view_sitrep(actor):
        return []
    rows = (
        Claim.objects.filter(
            state__in=Claim.ACTIVE,
            line__request__in=requests.values("pk"),
            line__request__municipality__in=policy.sitrep_municipalities(actor).values("pk"),
        )
        .values_list(
            "organisation_id",
            "line__request_id",
            "line__request__title",
            "line__capability_id",
            "line__unit",
            "state",
            "quantity",
        )
        .order_by("organisation_id", "line__request_id", "line__capability_id", "id")
    )
    grouped: dict[tuple[int, int, int, str], tuple[str, Decimal, set[str]]] = {}
    for organisation_id, request_id, title, capability_id, unit, state, quantity in rows:
        key = (organisation_id, request_id, capability_id, unit)
        _title, total, states = grouped.get(key, (title, ZERO, set()))
        states.add(state)
        grouped[key] = (title, total + quantity, states)
    organisation_ids = list(dict.fromkeys(key[0] for key in grouped))
    if limit is not None:
        organisation_ids = organisation_ids[:limit]
    organisations = Organisation.objects.select_related("municipality").in_bulk(organisation_ids)
    capabilities = CapabilityType.objects.in_bulk({key[2] for key in grouped})
    result: dict[int, Responder] = {}
    for (organisation_id, request_id, capability_id, unit), (
        title,
        total,
        states,
    ) in grouped.items():
        organisation = organisations.get(organisation_id)
        if organisation is None:
            continue
        responder = result.setdefault(organisation.pk, Responder(organisation))
        responder.activities.append(
            Activity(
                request_id=request_id,
                request_title=title,
                capability=capabilities[capability_id].name,
                unit=unit,
                quantity=total,
                states=tuple(s for s in Claim.State.values if s in states),
            )
        )
    return sorted(
        result.values(), key=lambda r: (r.organisation.name.casefold(), r.organisation.pk)
    )


# --- The situation report -----------------------------------------------------------------


@dataclass(frozen=True)
class SitrepParams:
    date_from: datetime.date
    date_to: datetime.date
    municipality: Municipality | None = None

    @classmethod
    def default(cls, today: datetime.date | None = None) -> SitrepParams:
        day = today or timezone.localdate(timezone=riga())
        return cls(date_from=day - datetime.timedelta(days=6), date_to=day)

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date_from, datetime.time.min, tzinfo=riga())

    @property
    def end(self) -> datetime.datetime:
        """The moment after the period: midnight (Riga time) after ``date_to``."""
        return datetime.datetime.combine(
            self.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=riga()
        )

    def as_query(self) -> list[tuple[str, str]]:
        pairs = [("date_from", self.date_from.isoformat()), ("date_to", self.date_to.isoformat())]
        if self.municipality is not None:
            pairs.append(("municipality", self.municipality.code))
        return pairs


def sitrep_requests(actor: policy.Actor, params: SitrepParams) -> QuerySet[AssistanceRequest]:
    """The requests of the actor's area (narrowed to ``params.municipality``) live during the
    period; none for those who may not see situation reports."""
    if not policy.can_view_sitrep(actor):
        return AssistanceRequest.objects.none()
    requests = AssistanceRequest.objects.filter(
        municipality__in=policy.sitrep_municipalities(actor).values("pk"),
        created_at__lt=params.end,
    ).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=params.start))
    if params.municipality is not None:
        requests = requests.filter(municipality=params.municipality)
    return requests


@dataclass(frozen=True)
class Headline:
    posted: int
    open: int
    covered: int
    overdue: int


@dataclass(frozen=True)
class CapabilityTotals:
    capability: str
    unit: str
    requested: Decimal
    claimed: Decimal
    done: Decimal

    @property
    def unit_label(self) -> str:
        return str(Unit(self.unit).label)

    @property
    def remaining(self) -> Decimal:
        return self.requested - self.claimed


@dataclass(frozen=True)
class MissingLine:
    line: RequestLine
    request: AssistanceRequest

    @property
    def remaining(self) -> Decimal:
        return self.line.remaining


@dataclass(frozen=True)
class EngagedRow:
    organisation: str
    registration_number: str
    capability: str
    unit: str
    claims: int
    claimed: Decimal
    under_way: Decimal
    done: Decimal
    could_not: Decimal

    @property
    def unit_label(self) -> str:
        return str(Unit(self.unit).label)


@dataclass
class Sitrep:
    params: SitrepParams
    area: list[Municipality]
    generated_at: datetime.datetime
    headline: Headline
    totals: list[CapabilityTotals]
    requests: list[AssistanceRequest]
    requests_total: int
    missing: list[MissingLine]
    missing_total: int
    engaged: list[EngagedRow]


SITREP_ROWS = 500


def _not_covered() -> Exists:
    return Exists(RequestLine.objects.filter(request=OuterRef("pk"), claimed__lt=F("quantity")))


def build_sitrep(actor: policy.Actor, params: SitrepParams, *, rows: int = SITREP_ROWS) -> Sitrep:
    """Everything the situation report shows, in a fixed number of queries; the per-request
    and missing tables hold at most ``rows`` rows each (their totals say how many there are)."""
    now = timezone.now()
    requests = sitrep_requests(actor, params)
    live = requests.exclude(state=AssistanceRequest.State.CANCELLED)
    counts = requests.aggregate(
        posted=Count("pk", filter=Q(created_at__gte=params.start)),
        open=Count("pk", filter=Q(state=AssistanceRequest.State.OPEN)),
    )
    covered = (
        live.exclude(_not_covered())
        .filter(Exists(RequestLine.objects.filter(request=OuterRef("pk"))))
        .count()
    )
    overdue = (
        requests.filter(state=AssistanceRequest.State.OPEN, deadline__lt=now)
        .filter(_not_covered())
        .count()
    )
    headline = Headline(
        posted=counts["posted"], open=counts["open"], covered=covered, overdue=overdue
    )

    zero = Value(ZERO, output_field=DecimalField(max_digits=14, decimal_places=2))
    line_query = (
        RequestLine.objects.filter(request__in=live.values("pk"))
        .values("capability_id", "unit")
        .annotate(
            requested=Coalesce(Sum("quantity"), zero),
            claimed_sum=Coalesce(Sum("claimed"), zero),
            done_sum=Coalesce(Sum("done"), zero),
        )
        .order_by("capability__sort_order", "capability__code", "unit")
    )
    line_rows = list(line_query)
    capabilities = CapabilityType.objects.in_bulk({row["capability_id"] for row in line_rows})
    totals = [
        CapabilityTotals(
            capability=capabilities[row["capability_id"]].name,
            unit=row["unit"],
            requested=row["requested"],
            claimed=row["claimed_sum"],
            done=row["done_sum"],
        )
        for row in line_rows
    ]

    ordered = requests.annotate(urgency_rank=urgency_rank(), uncovered=_not_covered()).order_by(
        "urgency_rank", "deadline", "id"
    )
    request_list = list(with_lines(ordered)[:rows])
    requests_total = len(request_list) if len(request_list) < rows else requests.count()

    missing_lines = (
        RequestLine.objects.filter(
            request__in=requests.filter(state=AssistanceRequest.State.OPEN).values("pk"),
            claimed__lt=F("quantity"),
        )
        .select_related("request__municipality", "capability")
        .annotate(
            urgency_rank=Case(
                *(
                    When(request__urgency=value, then=Value(rank))
                    for rank, value in enumerate(URGENCY_ORDER)
                ),
                default=Value(len(URGENCY_ORDER)),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency_rank", "request__deadline", "request_id", "position", "id")
    )
    missing_page = list(missing_lines[:rows])
    missing_total = len(missing_page) if len(missing_page) < rows else missing_lines.count()

    engaged = engaged_organisations(live)
    return Sitrep(
        params=params,
        area=(
            [params.municipality]
            if params.municipality is not None
            else list(policy.sitrep_municipalities(actor).order_by("name_lv"))
        ),
        generated_at=now,
        headline=headline,
        totals=totals,
        requests=request_list,
        requests_total=requests_total,
        missing=[MissingLine(line, line.request) for line in missing_page],
        missing_total=missing_total,
        engaged=engaged,
    )


def engaged_organisations(requests: QuerySet[AssistanceRequest]) -> list[EngagedRow]:
    """Claims on ``requests`` per organisation and capability: how many, and the quantities by
    state (released and transferred claims are counted where they went)."""
    zero = Value(ZERO, output_field=DecimalField(max_digits=14, decimal_places=2))

    def in_state(state: str) -> Coalesce:
        return Coalesce(Sum("quantity", filter=Q(state=state)), zero)

    rows = (
        Claim.objects.filter(
            line__request__in=requests.values("pk"),
            state__in=[*Claim.ACTIVE, Claim.State.COULD_NOT],
        )
        .values(
            "organisation__name",
            "organisation__registration_number",
            "line__capability_id",
            "line__unit",
        )
        .annotate(
            claims=Count("pk"),
            claimed=in_state(Claim.State.CLAIMED),
            under_way=in_state(Claim.State.UNDER_WAY),
            done_sum=in_state(Claim.State.DONE),
            could_not=in_state(Claim.State.COULD_NOT),
        )
        .order_by("organisation__name", "organisation_id", "line__capability__sort_order")
    )
    rows_list = list(rows)
    capabilities = CapabilityType.objects.in_bulk({row["line__capability_id"] for row in rows_list})
    return [
        EngagedRow(
            organisation=row["organisation__name"],
            registration_number=row["organisation__registration_number"] or "",
            capability=capabilities[row["line__capability_id"]].name,
            unit=row["line__unit"],
            claims=row["claims"],
            claimed=row["claimed"],
            under_way=row["under_way"],
            done=row["done_sum"],
            could_not=row["could_not"],
        )
        for row in rows_list
    ]


# --- 3W -------------------------------------------------------------------------------------


def three_w_claims(requests: QuerySet[AssistanceRequest]) -> Iterable[Claim]:
    """The active claims on ``requests``, with what the 3W export writes of them."""
    return (
        Claim.objects.filter(line__request__in=requests.values("pk"), state__in=Claim.ACTIVE)
        .select_related("organisation", "line__capability", "line__request__municipality")
        .order_by("line__request__deadline", "line__request_id", "line__position", "line_id", "id")
        .iterator(chunk_size=1000)
    )


def three_w_uncovered(requests: QuerySet[AssistanceRequest]) -> Iterable[RequestLine]:
    """The lines of open requests with quantity still to claim."""
    return (
        RequestLine.objects.filter(
            request__in=requests.filter(state=AssistanceRequest.State.OPEN).values("pk"),
            claimed__lt=F("quantity"),
        )
        .select_related("capability", "request__municipality")
        .order_by("request__deadline", "request_id", "position", "id")
        .iterator(chunk_size=1000)
    )
