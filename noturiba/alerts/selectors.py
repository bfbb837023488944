"""Reads for alerts: who an alert reaches, and over which channel.

The audience is the people who are members of organisations matching every filter given
(municipality covered or seated in, target group served, capability offered, organisation),
optionally only with some membership roles. Each person is reached over their first preferred
channel that they have an address for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from noturiba.accounts import policy
from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.network.models import Membership, Organisation, Person

DEFAULT_CHANNEL_ORDER: tuple[str, ...] = ("email", "sms")


@dataclass(frozen=True)
class AudienceFilters:
    """Who receives an alert; an empty filter does not narrow the audience."""

    municipalities: frozenset[int] = field(default_factory=frozenset)
    target_groups: frozenset[int] = field(default_factory=frozenset)
    capabilities: frozenset[int] = field(default_factory=frozenset)
    organisations: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AudienceFilters:
        def ids(key: str) -> frozenset[int]:
            return frozenset(int(value) for value in data.get(key, ()))

        return cls(
            municipalities=ids("municipalities"),
            target_groups=ids("target_groups"),
            capabilities=ids("capabilities"),
            organisations=ids("organisations"),
            roles=frozenset(str(role) for role in data.get("roles", ())),
        )

    def to_json(self) -> dict[str, list[Any]]:
        return {
            "municipalities": sorted(self.municipalities),
            "target_groups": sorted(self.target_groups),
            "capabilities": sorted(self.capabilities),
            "organisations": sorted(self.organisations),
            "roles": sorted(self.roles),
        }


def alert_filters(alert: Alert) -> AudienceFilters:
    """The alert's audience; without municipalities of its own, it is the people of the area."""
    filters = AudienceFilters.from_json(alert.audience or {})
    if not filters.municipalities:
        area = frozenset(alert.municipalities.values_list("id", flat=True))
        filters = AudienceFilters(**{**filters.__dict__, "municipalities": area})
    return filters


def matching_organisations(filters: AudienceFilters) -> QuerySet[Organisation]:
    condition = Q()
    if filters.municipalities:
        condition &= Q(
            pk__in=Organisation.objects.filter(
                Q(municipalities__in=filters.municipalities)
                | Q(municipality__in=filters.municipalities)
            ).values("pk")
        )
    if filters.target_groups:
        condition &= Q(
            pk__in=Organisation.objects.filter(target_groups__in=filters.target_groups).values("pk")
        )
    if filters.capabilities:
        condition &= Q(
            pk__in=Organisation.objects.filter(
                capabilities__capability__in=filters.capabilities
            ).values("pk")
        )
    if filters.organisations:
        condition &= Q(pk__in=filters.organisations)
    return Organisation.objects.filter(condition)


def audience_for(filters: AudienceFilters) -> QuerySet[Person]:
    """The people (each once) who are members of the matching organisations."""
    memberships = Membership.objects.filter(
        organisation__in=matching_organisations(filters).values("pk")
    )
    if filters.roles:
        memberships = memberships.filter(role__in=filters.roles)
    return Person.objects.filter(pk__in=memberships.values("person_id"))


def audience_people(alert: Alert) -> QuerySet[Person]:
    return audience_for(alert_filters(alert))


def choose_channel(
    preferred: Sequence[str] | None, email: str, phone: str
) -> tuple[str, str] | None:
    """The (channel, address) to try first: the preferred order, then email, then SMS."""
    addresses = {"email": email, "sms": phone}
    known = [kind for kind in (preferred or ()) if kind in addresses]
    for kind in [*known, *(kind for kind in DEFAULT_CHANNEL_ORDER if kind not in known)]:
        if addresses[kind]:
            return kind, addresses[kind]
    return None


@dataclass(frozen=True)
class PlannedDelivery:
    person_id: int
    channel: str
    address: str


def planned_deliveries(people: QuerySet[Person]) -> Iterator[PlannedDelivery | int]:
    """One planned delivery per person, or the id of a person with no reachable channel."""
    rows: Iterable[tuple[int, str, str, Any]] = people.order_by().values_list(
        "id", "email", "phone", "preferred_channels"
    )
    for person_id, email, phone, preferred in rows:
        chosen = choose_channel(preferred if isinstance(preferred, list) else None, email, phone)
        if chosen is None:
            yield person_id
        else:
            yield PlannedDelivery(person_id, *chosen)


@dataclass(frozen=True)
class AudienceSummary:
    people: int
    by_channel: dict[str, int]
    unreachable: int


def summarise_audience(filters: AudienceFilters) -> AudienceSummary:
    """How many people an audience has, deliveries per first channel, and who cannot be reached."""
    by_channel: Counter[str] = Counter()
    unreachable = 0
    for planned in planned_deliveries(audience_for(filters)):
        if isinstance(planned, PlannedDelivery):
            by_channel[planned.channel] += 1
        else:
            unreachable += 1
    return AudienceSummary(
        people=sum(by_channel.values()) + unreachable,
        by_channel=dict(by_channel),
        unreachable=unreachable,
    )


def get_alert_for_user(actor: policy.Actor, alert_id: int) -> Alert:
    """The alert, or Http404 when it does not exist or ``actor`` may not see it."""
    alert = get_object_or_404(Alert.objects.select_related("created_by"), pk=alert_id)
    area = alert.municipalities.values_list("id", flat=True)
    if not policy.can_view_alert(actor, created_by_id=alert.created_by_id, municipalities=area):
        raise Http404
    return alert


@dataclass(frozen=True)
class AlertProgress:
    deliveries: int
    by_state: dict[str, int]
    by_channel: dict[str, dict[str, int]]  # channel → state → count
    by_answer: dict[str, int]
    acknowledged: int


def alert_progress(alert: Alert) -> AlertProgress:
    """Counts for the alert's dashboard, in two grouped queries."""
    by_state: Counter[str] = Counter()
    by_channel: dict[str, dict[str, int]] = {}
    rows = (
        Delivery.objects.filter(alert=alert)
        .order_by()
        .values("channel", "state")
        .annotate(count=Count("pk"))
        .values_list("channel", "state", "count")
    )
    for channel, state, count in rows:
        by_state[state] += count
        by_channel.setdefault(channel, {})[state] = count
    answers = dict(
        Acknowledgement.objects.filter(alert=alert)
        .order_by()
        .values("answer")
        .annotate(count=Count("pk"))
        .values_list("answer", "count")
    )
    return AlertProgress(
        deliveries=sum(by_state.values()),
        by_state=dict(by_state),
        by_channel=by_channel,
        by_answer=answers,
        acknowledged=sum(answers.values()),
    )
