"""Reads of the directory, with the policy's rules applied.

``search_directory`` is the one query behind the directory page, the map's GeoJSON, the exports
and the API list: the same filters everywhere, parsed once by :class:`DirectoryFilters`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Exists, FloatField, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from noturiba.accounts import policy
from noturiba.lib.text import search_terms
from noturiba.network.models import (
    Agreement,
    CapabilityType,
    Institution,
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Person,
    TargetGroup,
)

SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "registration": ("registration_number", "id"),
}
DEFAULT_SORT = "name"
MAX_VALUES = 50


_CONTROL_CHARACTERS = dict.fromkeys(range(32))
MAX_ID = 2**63 - 1


def _text(value: object) -> str:
    """Query text without control characters (PostgreSQL refuses NUL in strings)."""
    return str(value).translate(_CONTROL_CHARACTERS).strip()


def _identifier(value: object) -> int | None:
    """A database id from a query parameter; anything else (``²``, ``-1``, 10**30) is None."""
    text = _text(value)
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def _values(query: Mapping[str, Any], key: str) -> list[str]:
    getlist = getattr(query, "getlist", None)
    raw = getlist(key) if getlist is not None else query.get(key) or []
    if isinstance(raw, str):
        raw = [raw]
    values: list[str] = []
    for item in raw:
        values.extend(part for part in (_text(p) for p in str(item).split(",")) if part)
    return list(dict.fromkeys(values))[:MAX_VALUES]


@dataclass(frozen=True)
class DirectoryFilters:
    """The directory's search and filters, as a bookmarkable query string carries them.

    Within one facet any value matches (``municipality=LV-067&municipality=LV-RIX``); facets
    combine with AND. Unknown codes simply match nothing; an unknown sort falls back to name.
    """

    q: str = ""
    municipalities: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    institution: int | None = None
    has_agreement: bool = False
    sort: str = DEFAULT_SORT
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> DirectoryFilters:
        sort = str(query.get("sort") or DEFAULT_SORT)
        return cls(
            q=_text(query.get("q") or "")[:200],
            municipalities=tuple(
                dict.fromkeys(code.upper() for code in _values(query, "municipality"))
            ),
            target_groups=tuple(_values(query, "target_group")),
            capabilities=tuple(_values(query, "capability")),
            institution=_identifier(query.get("institution") or ""),
            has_agreement=str(query.get("agreement") or "") in {"1", "yes", "on", "true"},
            sort=sort if sort in SORTS else DEFAULT_SORT,
        )

    def as_query(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs (for links to the next page or an export)."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        pairs += [("municipality", code) for code in self.municipalities]
        pairs += [("target_group", code) for code in self.target_groups]
        pairs += [("capability", code) for code in self.capabilities]
        if self.institution is not None:
            pairs.append(("institution", str(self.institution)))
        if self.has_agreement:
            pairs.append(("agreement", "1"))
        if self.sort != DEFAULT_SORT:
            pairs.append(("sort", self.sort))
        return pairs

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.q
            or self.municipalities
            or self.target_groups
            or self.capabilities
            or self.institution
            or self.has_agreement
        )


def organisations_visible_to(actor: policy.Actor) -> QuerySet[Organisation]:
    return Organisation.objects.filter(policy.organisation_filter(actor))


def _having(queryset: QuerySet[Organisation], related: QuerySet[Any], column: str) -> Q:
    """Organisations with a row in ``related`` (whose ``column`` points at the organisation).

    The two databases want this written differently (measured in BENCHMARKS.md):
    PostgreSQL plans an uncorrelated ``id IN (…)`` as a hashed semi-join and starts from the
    most selective facet; SQLite is faster with a correlated ``EXISTS`` that it probes while
    walking the name index, and stops after one page.
    """
    if connections[queryset.db].vendor == "postgresql":
        return Q(pk__in=related.values(column))
    return Q(Exists(related.filter(**{column: OuterRef("pk")})))


def search_directory(actor: policy.Actor, filters: DirectoryFilters) -> QuerySet[Organisation]:
    """Organisations ``actor`` may see that match ``filters``, sorted, not yet paginated."""
    queryset = organisations_visible_to(actor)
    for term in search_terms(filters.q):
        queryset = queryset.filter(search_text__contains=term)
    if filters.municipalities:
        codes = Municipality.objects.filter(code__in=filters.municipalities).values("pk")
        covering = Organisation.municipalities.through.objects.filter(municipality_id__in=codes)
        queryset = queryset.filter(
            _having(queryset, covering, "organisation_id") | Q(municipality_id__in=codes)
        )
    if filters.target_groups:
        serving = Organisation.target_groups.through.objects.filter(
            targetgroup__code__in=filters.target_groups
        )
        queryset = queryset.filter(_having(queryset, serving, "organisation_id"))
    if filters.capabilities and policy.can_see_capabilities(actor):
        offering = OrganisationCapability.objects.filter(
            capability__code__in=filters.capabilities, quantity__gt=0
        )
        queryset = queryset.filter(_having(queryset, offering, "organisation_id"))
    if (filters.institution or filters.has_agreement) and policy.can_filter_by_agreements(actor):
        today = timezone.localdate()
        agreements = Agreement.objects.filter(organisation_id=OuterRef("pk")).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today), signed_on__lte=today
        )
        if filters.institution:
            agreements = agreements.filter(institution_id=filters.institution)
        queryset = queryset.filter(Exists(agreements))
    return queryset.order_by(*SORTS[filters.sort])


def get_organisation_for_user(actor: policy.Actor, pk: int) -> Organisation:
    """The organisation, or 404 when it does not exist or ``actor`` may not see it."""
    organisation = (
        organisations_visible_to(actor).select_related("municipality").filter(pk=pk).first()
    )
    if organisation is None:
        raise Http404
    return organisation


def people_visible_to(actor: policy.Actor) -> QuerySet[Person]:
    return policy.visible_people(actor)


def get_person_for_user(actor: policy.Actor, pk: int) -> Person:
    person = people_visible_to(actor).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def organisation_people(actor: policy.Actor, organisation: Organisation) -> QuerySet[Person]:
    """People of ``organisation`` whose contacts ``actor`` may see (none when not allowed)."""
    if not policy.can_view_contacts(actor, organisation):
        return Person.objects.none()
    return (
        Person.objects.filter(memberships__organisation=organisation)
        .order_by("full_name", "id")
        .distinct()
    )


def institutions_visible_to(actor: policy.Actor) -> QuerySet[Institution]:
    if not policy.can_view_institutions(actor):
        return Institution.objects.none()
    return Institution.objects.all()


def get_institution_for_user(actor: policy.Actor, pk: int) -> Institution:
    institution = institutions_visible_to(actor).filter(pk=pk).first()
    if institution is None:
        raise Http404
    return institution


def agreements_visible_to(actor: policy.Actor) -> QuerySet[Agreement]:
    return Agreement.objects.filter(policy.agreement_filter(actor)).select_related(
        "organisation", "institution"
    )


def get_agreement_for_user(actor: policy.Actor, pk: int) -> Agreement:
    agreement = agreements_visible_to(actor).filter(pk=pk).first()
    if agreement is None:
        raise Http404
    return agreement


def current_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.current()


# --- Pages: the rows a page shows, with what they need in as few queries as possible -----------


def with_directory_details(
    queryset: QuerySet[Organisation], *, with_capabilities: bool = True
) -> QuerySet[Organisation]:
    """The directory rows with their seat, areas, target groups and offered capabilities.

    A fixed number of queries whatever the page size: one for the rows, one per relation.
    Offered capabilities land in ``offered_capabilities`` (only ``with_capabilities``: the
    public does not see them, see ``policy.can_see_capabilities``).
    """
    details = queryset.select_related("municipality").prefetch_related(
        "municipalities", "target_groups"
    )
    if not with_capabilities:
        return details
    return details.prefetch_related(
        Prefetch(
            "capabilities",
            queryset=OrganisationCapability.objects.filter(quantity__gt=0).select_related(
                "capability"
            ),
            to_attr="offered_capabilities",
        ),
    )


def organisation_capabilities(organisation: Organisation) -> QuerySet[OrganisationCapability]:
    return OrganisationCapability.objects.filter(organisation=organisation).select_related(
        "capability"
    )


def organisation_memberships(
    actor: policy.Actor, organisation: Organisation
) -> QuerySet[Membership]:
    """The memberships (person and role) of ``organisation``, none when contacts are hidden."""
    if not policy.can_view_contacts(actor, organisation):
        return Membership.objects.none()
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("person")
        .order_by("person__full_name", "person_id")
    )


def person_memberships(actor: policy.Actor, person: Person) -> QuerySet[Membership]:
    """``person``'s memberships in organisations ``actor`` may see."""
    return (
        Membership.objects.filter(person=person)
        .filter(organisation__in=organisations_visible_to(actor))
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )


def institution_officers(actor: policy.Actor, institution: Institution) -> QuerySet[Person]:
    """Officers of ``institution`` whose contacts ``actor`` may see."""
    return people_visible_to(actor).filter(institution=institution).order_by("full_name", "id")


def capability_catalogue() -> QuerySet[CapabilityType]:
    return CapabilityType.objects.all()


def target_groups() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.all()


@dataclass(frozen=True)
class MapPoint:
    """One organisation on the map; ``exact`` is False when placed at its seat municipality.

    Coordinates are floats: they only feed GeoJSON, and thousands of Decimals cost time.
    """

    id: int
    name: str
    longitude: float
    latitude: float
    municipality: str
    exact: bool


def map_points(
    actor: policy.Actor, filters: DirectoryFilters, *, limit: int
) -> tuple[list[MapPoint], int]:
    """The directory's matches that can be placed on a map (at most ``limit``) and their total.

    An organisation without coordinates, or one the actor may not see precisely, is placed at
    its seat municipality's centre.
    """
    exact_allowed = policy.can_view_exact_locations(actor)
    placeable = Q(municipality__isnull=False)
    if exact_allowed:
        placeable |= Q(latitude__isnull=False, longitude__isnull=False)
    queryset = search_directory(actor, filters).filter(placeable)
    english = (get_language() or "lv").startswith("en")
    rows = list(
        queryset.annotate(
            own_lat=Cast("latitude", FloatField()),
            own_lon=Cast("longitude", FloatField()),
            seat_lat=Cast("municipality__latitude", FloatField()),
            seat_lon=Cast("municipality__longitude", FloatField()),
        ).values_list(
            "id",
            "name",
            "own_lat",
            "own_lon",
            "seat_lat",
            "seat_lon",
            "municipality__name_en" if english else "municipality__name_lv",
        )[: limit + 1]
    )
    points: list[MapPoint] = []
    for pk, name, lat, lon, seat_lat, seat_lon, seat_name in rows[:limit]:
        exact = exact_allowed and lat is not None and lon is not None
        points.append(
            MapPoint(
                id=pk,
                name=name,
                latitude=lat if exact else seat_lat,
                longitude=lon if exact else seat_lon,
                municipality=seat_name or "",
                exact=exact,
            )
        )
    total = len(points) if len(rows) <= limit else queryset.count()
    return points, total
