"""Reads for alerts: who an alert reaches, and over which channel.

The audience is the people who are members of organisations matching every filter given
(municipality covered or seated in, target group served, capability offered, organisation),
optionally only with some membership roles. Each person is reached over their first preferred
channel that they have an address for.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from hashlib import sha256
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from noturiba.accounts import policy
from noturiba.alerts.models import Acknowledgement, Alert, Delivery, SavedList
from noturiba.alerts.replies import Answer
from noturiba.network.models import Membership, Municipality, Organisation, Person

DEFAULT_CHANNEL_ORDER: tuple[str, ...] = ("email", "sms")


@dataclass(frozen=True)
class AudienceFilters:
    """Who receives an alert; an empty filter does not narrow the audience."""

    municipalities: frozenset[int] = field(default_factory=frozenset)
    target_groups: frozenset[int] = field(default_factory=frozenset)
    capabilities: frozenset[int] = field(default_factory=frozenset)
    organisations: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    lists: frozenset[int] = field(default_factory=frozenset)  # saved lists: their people too

    @property
    def has_criteria(self) -> bool:
        """Whether any filter other than the saved lists narrows the audience."""
        return bool(
            self.municipalities
            or self.target_groups
            or self.capabilities
            or self.organisations
            or self.roles
        )

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
            lists=ids("lists"),
        )

    def to_json(self) -> dict[str, list[Any]]:
        return {
            "municipalities": sorted(self.municipalities),
            "target_groups": sorted(self.target_groups),
            "capabilities": sorted(self.capabilities),
            "organisations": sorted(self.organisations),
            "roles": sorted(self.roles),
            "lists": sorted(self.lists),
        }


def alert_filters(alert: Alert) -> AudienceFilters:
    """The alert's audience; without municipalities of its own, it is the people of the area.

    An audience of saved lists alone is just the lists' people, wherever the alert's area is.
    """
    filters = AudienceFilters.from_json(alert.audience or {})
    if filters.lists and not filters.has_criteria or filters.municipalities:
        return filters
    return with_area(filters, alert.municipalities.values_list("id", flat=True))


def with_area(filters: AudienceFilters, area: Iterable[int]) -> AudienceFilters:
    """The audience an alert with ``area`` reaches (``alert_filters``, before it is saved)."""
    if filters.lists and not filters.has_criteria or filters.municipalities:
        return filters
    return replace(filters, municipalities=frozenset(area))


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
    """The people (each once) who are members of the matching organisations, and the people of
    the saved lists; with lists and no other filter, only the lists' people."""
    listed = SavedList.people.through.objects.filter(savedlist_id__in=filters.lists).values(
        "person_id"
    )
    if filters.lists and not filters.has_criteria:
        return Person.objects.filter(pk__in=listed)
    memberships = Membership.objects.filter(
        organisation__in=matching_organisations(filters).values("pk")
    )
    if filters.roles:
        memberships = memberships.filter(role__in=filters.roles)
    if filters.lists:
        return Person.objects.filter(Q(pk__in=memberships.values("person_id")) | Q(pk__in=listed))
    return Person.objects.filter(pk__in=memberships.values("person_id"))


def audience_people(alert: Alert) -> QuerySet[Person]:
    return audience_for(alert_filters(alert))


def choose_channel(
    preferred: Sequence[str] | None, email: str, phone: str
) -> tuple[str, str] | None:
    """The (channel, address) to try first: the preferred order, then email, then SMS."""
    addresses = {"email": email, "sms": phone}
    for kind in channel_order(preferred):
        if addresses[kind]:
            return kind, addresses[kind]
    return None


def channel_order(preferred: Sequence[str] | None) -> tuple[str, ...]:
    """The channels to try, in order: the known preferred ones, then email, then SMS."""
    known = [kind for kind in (preferred or ()) if kind in DEFAULT_CHANNEL_ORDER]
    return (*known, *(kind for kind in DEFAULT_CHANNEL_ORDER if kind not in known))


def _preference_list(text: str | None) -> list[str] | None:
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    return value if isinstance(value, list) else None


@dataclass(frozen=True)
class PlannedDelivery:
    person_id: int
    channel: str
    address: str


def planned_deliveries(people: QuerySet[Person]) -> Iterator[PlannedDelivery | int]:
    """One planned delivery per person, or the id of a person with no reachable channel.

    The preferences are read as JSON text and decoded once per distinct value (an audience has
    only a few), not once per person: a national alert plans 100,000 people.
    """
    rows: Iterable[tuple[int, str, str, str | None]] = (
        people.order_by()
        .annotate(preferred_text=Cast("preferred_channels", TextField()))
        .values_list("id", "email", "phone", "preferred_text")
    )
    orders: dict[str | None, tuple[str, ...]] = {}
    for person_id, email, phone, text in rows:
        order = orders.get(text)
        if order is None:
            order = orders[text] = channel_order(_preference_list(text))
        for kind in order:
            address = email if kind == "email" else phone
            if address:
                yield PlannedDelivery(person_id, kind, address)
                break
        else:
            yield person_id


@dataclass(frozen=True)
class AudienceSummary:
    people: int
    by_channel: dict[str, int]
    unreachable: int
    second_contact_only: int = 0


def summarise_audience(filters: AudienceFilters) -> AudienceSummary:
    """How many people an audience has, deliveries per first channel, who is reached only
    through their second contact (no channel of their own) and who cannot be reached at all."""
    by_channel: Counter[str] = Counter()
    without_own_channel = 0
    for planned in planned_deliveries(audience_for(filters)):
        if isinstance(planned, PlannedDelivery):
            by_channel[planned.channel] += 1
        else:
            without_own_channel += 1
    second_contact_only = 0
    if without_own_channel:
        second_contact_only = (
            audience_for(filters)
            .filter(email="", phone="")
            .exclude(second_contact_email="", second_contact_phone="")
            .count()
        )
    return AudienceSummary(
        people=sum(by_channel.values()) + without_own_channel,
        by_channel=dict(by_channel),
        unreachable=without_own_channel - second_contact_only,
        second_contact_only=second_contact_only,
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


def unreachable_people(filters: AudienceFilters) -> QuerySet[Person]:
    """The audience's people who cannot be reached at all: neither an email address nor a phone
    number of their own or of a second contact; by name."""
    return (
        audience_for(filters)
        .filter(email="", phone="", second_contact_email="", second_contact_phone="")
        .order_by("full_name", "id")
    )


def saved_lists_for(actor: policy.Actor) -> QuerySet[SavedList]:
    """The saved lists ``actor`` may use: their own; coordinators every list."""
    if not policy.can_write_alerts(actor):
        return SavedList.objects.none()
    if policy.roles_of(actor).coordinator:
        return SavedList.objects.all()
    return SavedList.objects.filter(created_by=actor)


def get_saved_list_for_user(actor: policy.Actor, list_id: int) -> SavedList:
    """The saved list, or Http404 when it does not exist or ``actor`` may not use it."""
    saved = get_object_or_404(SavedList, pk=list_id)
    if not policy.can_use_saved_list(actor, created_by_id=saved.created_by_id):
        raise Http404
    return saved


# --- Following alerts: the alerts list and one alert's dashboard -----------------------------


def visible_alerts(actor: policy.Actor) -> QuerySet[Alert]:
    """The alerts ``actor`` may follow (``policy.can_view_alert``, as one query)."""
    return Alert.objects.filter(policy.alert_filter(actor))


def alerts_with_counts(actor: policy.Actor, *, state: str = "") -> QuerySet[Alert]:
    """``visible_alerts``, newest first, each with its delivery and answer counts (one query
    for a page: the counts are subqueries, so a page never asks again per alert)."""

    def count_of(model: type[Delivery] | type[Acknowledgement]) -> Coalesce:
        rows = (
            model.objects.filter(alert=OuterRef("pk"))
            .order_by()
            .values("alert")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    alerts = visible_alerts(actor)
    if state:
        alerts = alerts.filter(state=state)
    return alerts.annotate(
        delivery_count=count_of(Delivery), acknowledged_count=count_of(Acknowledgement)
    ).order_by("-created_at", "-id")


def _people_ids(alert: Alert) -> QuerySet[Any]:
    """The ids of the people an alert went to (deliveries to webhooks have no person)."""
    return Delivery.objects.filter(alert=alert, person__isnull=False).values("person_id")


def _answered_ids(alert: Alert, answer: str | None = None) -> QuerySet[Any]:
    answers = Acknowledgement.objects.filter(alert=alert)
    if answer is not None:
        answers = answers.filter(answer=answer)
    return answers.values("person_id")


def _failed_ids(alert: Alert) -> QuerySet[Any]:
    """The people every message to whom failed, who have not answered either."""
    delivered = Delivery.objects.filter(alert=alert, person__isnull=False).exclude(
        state=Delivery.State.FAILED
    )
    return (
        Delivery.objects.filter(alert=alert, person__isnull=False, state=Delivery.State.FAILED)
        .exclude(person_id__in=delivered.values("person_id"))
        .exclude(person_id__in=_answered_ids(alert))
        .values("person_id")
    )


def _placing_memberships(alert: Alert, filters: AudienceFilters | None) -> QuerySet[Membership]:
    """The memberships that place an alert's people on the map: those in the organisations
    that make up the alert's audience (with its roles, if any). ``filters``: the alert's
    ``alert_filters``, when the caller has them already."""
    filters = alert_filters(alert) if filters is None else filters
    # EXISTS, not "person IN (…)": with two IN lists SQLite probes every pair (person × org).
    memberships = Membership.objects.filter(
        Exists(Delivery.objects.filter(alert=alert, person=OuterRef("person_id"))),
        organisation__in=matching_organisations(filters).values("pk"),
    )
    if filters.roles:
        memberships = memberships.filter(role__in=filters.roles)
    return memberships


DASHBOARD_CHANNELS: tuple[str, ...] = ("email", "sms", "webhook")
DASHBOARD_STATES: tuple[str, ...] = tuple(Delivery.State.values)


@dataclass(frozen=True)
class ChannelCounts:
    channel: str
    by_state: dict[str, int]
    acknowledged: int

    @property
    def total(self) -> int:
        return sum(self.by_state.values())

    def cells(self) -> list[int]:
        """The counts in ``DASHBOARD_STATES`` order, then the answers (for a table row)."""
        return [self.by_state.get(state, 0) for state in DASHBOARD_STATES] + [self.acknowledged]


@dataclass(frozen=True)
class DashboardCounts:
    """An alert's counts for its dashboard: people, answers, deliveries by channel and state."""

    people: int
    by_answer: dict[str, int]
    failed: int  # people every message to whom failed, without an answer
    deliveries: int
    channels: list[ChannelCounts]
    latest_answer: Any = None  # when the latest answer was given (or changed)

    @property
    def answered(self) -> int:
        return sum(self.by_answer.values())

    @property
    def unanswered(self) -> int:
        return max(self.people - self.answered, 0)

    @property
    def percent(self) -> int:
        return (100 * self.answered) // self.people if self.people else 0

    @property
    def signature(self) -> str:
        """Changes whenever a count the summary line reads out changes."""
        answers = ".".join(str(self.by_answer.get(answer, 0)) for answer in Answer.values)
        return f"{self.people}-{answers}-{self.failed}-{self.deliveries}"

    @property
    def version(self) -> str:
        """Changes whenever anything the live region shows may have changed: any count, any
        delivery state, any answer given or changed."""
        states = ".".join(
            f"{channel.channel}:{','.join(map(str, channel.cells()))}" for channel in self.channels
        )
        latest = self.latest_answer.timestamp() if self.latest_answer else 0
        return sha256(f"{self.signature}|{states}|{latest}".encode()).hexdigest()[:16]


def dashboard_counts(alert: Alert) -> DashboardCounts:
    """The dashboard's counts in three grouped queries, whatever the number of deliveries."""
    by_channel: dict[str, dict[str, int]] = {channel: {} for channel in DASHBOARD_CHANNELS}
    rows = (
        Delivery.objects.filter(alert=alert)
        .order_by()
        .values("channel", "state")
        .annotate(count=Count("pk"))
        .values_list("channel", "state", "count")
    )
    for channel, state, count in rows:
        by_channel.setdefault(channel, {})[state] = count
    by_answer: Counter[str] = Counter()
    acknowledged: Counter[str] = Counter()
    answers = (
        Acknowledgement.objects.filter(alert=alert)
        .order_by()
        .values("answer", "delivery__channel")
        .annotate(count=Count("pk"), latest=Max("answered_at"))
        .values_list("answer", "delivery__channel", "count", "latest")
    )
    latest_answer = None
    for answer, channel, count, latest in answers:
        latest_answer = max(latest_answer or latest, latest)
        by_answer[answer] += count
        if channel:
            acknowledged[channel] += count
    people = Person.objects.filter(pk__in=_people_ids(alert)).aggregate(
        people=Count("pk"), failed=Count("pk", filter=Q(pk__in=_failed_ids(alert)))
    )
    channels = [
        ChannelCounts(channel=channel, by_state=states, acknowledged=acknowledged[channel])
        for channel, states in by_channel.items()
    ]
    return DashboardCounts(
        people=people["people"],
        by_answer={answer: by_answer[answer] for answer in Answer.values},
        failed=people["failed"],
        deliveries=sum(channel.total for channel in channels),
        channels=channels,
        latest_answer=latest_answer,
    )


@dataclass(frozen=True)
class MunicipalityProgress:
    """One municipality's row of the dashboard table (``municipality_id`` None: not recorded)."""

    municipality_id: int | None
    name: str
    latitude: float | None
    longitude: float | None
    people: int
    safe: int
    need_help: int
    available: int
    failed: int

    @property
    def answered(self) -> int:
        return self.safe + self.need_help + self.available

    @property
    def unanswered(self) -> int:
        return max(self.people - self.answered, 0)


def progress_by_municipality(
    alert: Alert, *, filters: AudienceFilters | None = None
) -> list[MunicipalityProgress]:
    """People reached, answers and failures per municipality, in two aggregated queries.

    A person's municipality is the seat municipality of their organisations within the alert's
    audience; a member of organisations seated in two municipalities counts once in each. People
    none of whose audience organisations has a seat recorded (or reached only through a saved
    list, outside the audience's organisations) make one row without a municipality.
    """

    def counts(person: str) -> dict[str, Count]:
        def among(ids: QuerySet[Any]) -> Count:
            return Count(person, distinct=True, filter=Q(**{f"{person}__in": ids}))

        return {
            "people": Count(person, distinct=True),
            "safe": among(_answered_ids(alert, Answer.SAFE)),
            "need_help": among(_answered_ids(alert, Answer.NEED_HELP)),
            "available": among(_answered_ids(alert, Answer.AVAILABLE)),
            "failed": among(_failed_ids(alert)),
        }

    seated = _placing_memberships(alert, filters).filter(organisation__municipality__isnull=False)
    rows = (
        seated.order_by()
        .values(
            "organisation__municipality_id",
            "organisation__municipality__name_lv",
            "organisation__municipality__name_en",
            "organisation__municipality__latitude",
            "organisation__municipality__longitude",
        )
        .annotate(**counts("person_id"))
    )
    english = (get_language() or "lv").startswith("en")
    result = [
        MunicipalityProgress(
            municipality_id=row["organisation__municipality_id"],
            name=row[f"organisation__municipality__name_{'en' if english else 'lv'}"],
            latitude=_float(row["organisation__municipality__latitude"]),
            longitude=_float(row["organisation__municipality__longitude"]),
            people=row["people"],
            safe=row["safe"],
            need_help=row["need_help"],
            available=row["available"],
            failed=row["failed"],
        )
        for row in rows
    ]
    result.sort(key=lambda row: (row.name.casefold(), row.municipality_id))
    unplaced = (
        Person.objects.filter(pk__in=_people_ids(alert))
        .exclude(pk__in=seated.values("person_id"))
        .aggregate(**counts("pk"))
    )
    if unplaced["people"]:
        result.append(
            MunicipalityProgress(
                municipality_id=None, name="", latitude=None, longitude=None, **unplaced
            )
        )
    return result


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def unreached_people(alert: Alert) -> QuerySet[Person]:
    """The people who have not answered, those every message to whom failed first
    (``all_failed``), then by name. Page or chunk it, then ``describe_unreached`` the slice:
    sorting and paging stay cheap for 100,000 people."""
    not_failed = Delivery.objects.filter(alert=alert, person=OuterRef("pk")).exclude(
        state=Delivery.State.FAILED
    )
    return (
        Person.objects.filter(pk__in=_people_ids(alert))
        .exclude(pk__in=_answered_ids(alert))
        .annotate(all_failed=~Exists(not_failed))
        .order_by("-all_failed", "full_name", "pk")
    )


def organisation_names(
    alert: Alert, person_ids: Iterable[int], *, filters: AudienceFilters | None = None
) -> dict[int, str]:
    """Each person's first (by name) organisation within the alert's audience, in one query.
    ``filters`` (here and below): the alert's ``alert_filters``, when the caller has them."""
    filters = alert_filters(alert) if filters is None else filters
    memberships = Membership.objects.filter(
        person_id__in=list(person_ids),
        organisation__in=matching_organisations(filters).values("pk"),
    )
    if filters.roles:
        memberships = memberships.filter(role__in=filters.roles)
    names: dict[int, str] = {}
    rows = memberships.order_by("person_id", "organisation__name", "organisation_id").values_list(
        "person_id", "organisation__name"
    )
    for person_id, name in rows:
        names.setdefault(person_id, name)
    return names


def describe_unreached(
    alert: Alert, people: Sequence[Person], *, filters: AudienceFilters | None = None
) -> list[Person]:
    """``people`` (a page of ``unreached_people``) with ``organisation_name`` and the
    ``last_error`` of their latest failed message set: two queries, whatever their number."""
    ids = [person.pk for person in people]
    errors: dict[int, str] = {}
    failed = (
        Delivery.objects.filter(alert=alert, person_id__in=ids, state=Delivery.State.FAILED)
        .order_by("person_id", "-id")
        .values_list("person_id", "last_error")
    )
    for person_id, error in failed:
        errors.setdefault(person_id, error)
    names = organisation_names(alert, ids, filters=filters)
    for person in people:
        person.organisation_name = names.get(person.pk, "")  # type: ignore[attr-defined]
        person.last_error = errors.get(person.pk, "")  # type: ignore[attr-defined]
    return list(people)


def people_needing_help(alert: Alert) -> QuerySet[Acknowledgement]:
    """The answers "need help", those with a note first, newest first, with the person (their
    organisations: ``organisation_names`` for the page)."""
    return (
        Acknowledgement.objects.filter(alert=alert, answer=Answer.NEED_HELP)
        .select_related("person")
        .annotate(has_note=Case(When(note="", then=Value(0)), default=Value(1)))
        .order_by("-has_note", "-answered_at", "-id")
    )


def alert_area_choices(actor: policy.Actor) -> QuerySet[Municipality]:
    """The municipalities ``actor`` may alert: every current one, or an officer's jurisdiction."""
    if policy.roles_of(actor).coordinator:
        return Municipality.objects.current()
    if not policy.can_write_alerts(actor):
        return Municipality.objects.none()
    return policy.officer_jurisdiction(actor)


def audience_organisations(actor: policy.Actor) -> QuerySet[Organisation]:
    """Organisations offered as an audience: all, or those working in an officer's area."""
    roles = policy.roles_of(actor)
    organisations = Organisation.objects.only("id", "name").order_by("name", "id")
    if roles.coordinator or roles.national_officer:
        return organisations
    if not policy.can_write_alerts(actor):
        return organisations.none()
    inside = Organisation.objects.filter(
        Q(municipalities__in=roles.jurisdiction) | Q(municipality__in=roles.jurisdiction)
    ).values("pk")
    return organisations.filter(pk__in=inside)


def saved_lists_with_counts(actor: policy.Actor) -> QuerySet[SavedList]:
    """``saved_lists_for`` with each list's number of people and author, in one query."""
    return (
        saved_lists_for(actor)
        .select_related("created_by")
        .annotate(people_count=Count("people", distinct=True))
        .order_by("name", "id")
    )
