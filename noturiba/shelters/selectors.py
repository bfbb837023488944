"""Reads of shelters with their rules: the public list, the managers' list, one shelter.

Every read starts from ``policy.shelter_filter`` (what the actor may see) or from the public
filter (``is_public``); the public page and the public exports use the public filter even for a
signed-in user, so that what the public sees is the same for everyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Value
from django.http import Http404

from noturiba.accounts import policy
from noturiba.network.models import Municipality
from noturiba.shelters.models import (
    ACCESSIBILITY_FIELDS,
    FACILITY_FIELDS,
    SHORT_STAY_M2_PER_PERSON,
    Shelter,
    ShelterUpdate,
)

# The public page shows shelters that are (or are about to be) usable.
PUBLIC_STATUSES = (Shelter.Status.OPEN, Shelter.Status.OPENING, Shelter.Status.FULL)


@dataclass(frozen=True)
class ShelterFilters:
    """The filters of the lists, the exports and the API, parsed leniently (unknown → ignored)."""

    municipality: str = ""
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()  # accessibility fields that must be present
    facilities: tuple[str, ...] = ()
    with_free_places: bool = False
    search: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, object]) -> ShelterFilters:
        """From a ``QueryDict`` (or a plain mapping of lists/strings)."""

        def values(name: str) -> list[str]:
            getlist = getattr(query, "getlist", None)
            if getlist is not None:
                raw = getlist(name)
            else:
                value = query.get(name)
                raw = (
                    value if isinstance(value, list | tuple) else ([] if value is None else [value])
                )
            return [str(item).strip() for item in raw if str(item).strip()]

        statuses = set(Shelter.Status.values)
        kinds = set(Shelter.Kind.values)
        municipality = (values("municipality") or [""])[0].upper()[:6]
        return cls(
            municipality=municipality,
            statuses=tuple(sorted({v for v in values("status") if v in statuses})),
            kinds=tuple(sorted({v for v in values("kind") if v in kinds})),
            needs=tuple(v for v in ACCESSIBILITY_FIELDS if v in values("need")),
            facilities=tuple(v for v in FACILITY_FIELDS if v in values("facility")),
            with_free_places=(values("free") or [""])[0] in ("1", "true", "on", "yes"),
            search=(values("q") or [""])[0][:100],
        )

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.municipality
            or self.statuses
            or self.kinds
            or self.needs
            or self.facilities
            or self.with_free_places
            or self.search
        )

    def apply(self, shelters: QuerySet[Shelter]) -> QuerySet[Shelter]:
        if self.municipality:
            shelters = shelters.filter(municipality__code=self.municipality)
        if self.statuses:
            shelters = shelters.filter(status__in=self.statuses)
        if self.kinds:
            shelters = shelters.filter(kind__in=self.kinds)
        for need in self.needs:
            if need == "wheelchair_spaces":
                shelters = shelters.filter(wheelchair_spaces__gt=0)
            else:
                shelters = shelters.filter(**{need: True})
        for facility in self.facilities:
            shelters = shelters.filter(**{facility: True})
        if self.with_free_places:
            # floor(area / 0.75) > occupancy ⇔ area >= (occupancy + 1) × 0.75
            needed = ExpressionWrapper(
                (F("occupancy") + 1) * Value(SHORT_STAY_M2_PER_PERSON),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
            shelters = shelters.filter(status=Shelter.Status.OPEN, floor_area__gte=needed)
        if self.search:
            shelters = shelters.filter(
                Q(name__icontains=self.search) | Q(address__icontains=self.search)
            )
        return shelters


def _with_relations(shelters: QuerySet[Shelter]) -> QuerySet[Shelter]:
    return shelters.select_related("municipality", "operator_organisation", "operator_institution")


def public_shelters(filters: ShelterFilters | None = None) -> QuerySet[Shelter]:
    """Shelters the public sees on the public page: public, and open, opening or full."""
    shelters = Shelter.objects.filter(is_public=True, status__in=PUBLIC_STATUSES)
    if filters is not None:
        shelters = filters.apply(shelters)
    return _with_relations(shelters)


def shelters_visible_to(actor: policy.Actor) -> QuerySet[Shelter]:
    return _with_relations(Shelter.objects.filter(policy.shelter_filter(actor)))


def search_shelters(actor: policy.Actor, filters: ShelterFilters) -> QuerySet[Shelter]:
    """The managers' list: every shelter ``actor`` may see, whatever its status."""
    return filters.apply(shelters_visible_to(actor))


def get_public_shelter(pk: int) -> Shelter:
    """A public shelter (any status); 404 for the rest."""
    shelter = _with_relations(Shelter.objects.filter(pk=pk, is_public=True)).first()
    if shelter is None:
        raise Http404
    return shelter


def get_shelter_for_user(actor: policy.Actor, pk: int) -> Shelter:
    """A shelter ``actor`` may see; 404 otherwise (existence is not revealed)."""
    shelter = shelters_visible_to(actor).filter(pk=pk).first()
    if shelter is None:
        raise Http404
    return shelter


def recent_updates(shelter: Shelter, limit: int = 10) -> list[ShelterUpdate]:
    return list(shelter.updates.select_related("author")[:limit])


def filter_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.current().order_by("name_lv")


def can_update(actor: policy.Actor, shelter: Shelter) -> bool:
    return policy.can_update_shelter(
        actor,
        municipality_id=shelter.municipality_id,
        operator_organisation_id=shelter.operator_organisation_id,
        operator_institution_id=shelter.operator_institution_id,
    )


def can_manage(actor: policy.Actor, shelter: Shelter) -> bool:
    return policy.can_manage_shelters_in(actor, shelter.municipality_id)
