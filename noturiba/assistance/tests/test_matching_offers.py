"""The ranking's read model of the offers (``MatchingOffer``) is kept by the database's
triggers: after any write to the offers, the organisations, the municipalities or the training
coverage — through ``save()``, ``update()``, ``bulk_create()``, ``bulk_update()``, a delete or
the coverage refresh — it holds exactly what the offers, the organisations' coordinates, their
seats' centres and their coverage say."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from noturiba.assistance.models import MatchingOffer
from noturiba.network.models import (
    CapabilityType,
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Person,
)
from noturiba.training.coverage import refresh_organisation_coverage
from noturiba.training.models import OrganisationTrainingCoverage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference")]

Row = tuple[
    int, int, int, float, float | None, float | None, float | None, bool, int | None, int | None
]


def _number(value: Decimal | float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def expected() -> list[Row]:
    """What the read model must hold, computed from the sources with the ORM."""
    rows = []
    coverage = {
        row.organisation_id: (row.people, row.trained_people)
        for row in OrganisationTrainingCoverage.objects.all()
    }
    for offer in OrganisationCapability.objects.select_related("organisation__municipality"):
        organisation = offer.organisation
        seat = organisation.municipality
        if organisation.latitude is not None and organisation.longitude is not None:
            at: tuple[Decimal | None, Decimal | None] = (
                organisation.latitude,
                organisation.longitude,
            )
            at_seat = False
        elif seat is not None:
            at, at_seat = (seat.latitude, seat.longitude), True
        else:
            at, at_seat = (None, None), False
        rows.append(
            (
                offer.pk,
                organisation.pk,
                offer.capability_id,
                float(offer.quantity),
                _number(offer.startup_hours),
                _number(at[0]),
                _number(at[1]),
                at_seat,
                *coverage.get(organisation.pk, (None, None)),
            )
        )
    return sorted(rows)


def actual() -> list[Row]:
    return sorted(
        (
            row.offer_id,
            row.organisation_id,
            row.capability_id,
            row.quantity,
            _number(row.startup_hours),
            _number(row.latitude),
            _number(row.longitude),
            bool(row.at_seat),
            row.people,
            row.trained_people,
        )
        for row in MatchingOffer.objects.all()
    )


def capabilities() -> list[CapabilityType]:
    return list(CapabilityType.objects.order_by("pk")[:4])


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def organisation(name: str, *, at: tuple[str, str] | None, seat: str | None) -> Organisation:
    return Organisation.objects.create(
        name=name,
        latitude=Decimal(at[0]) if at else None,
        longitude=Decimal(at[1]) if at else None,
        municipality=municipality(seat) if seat else None,
    )


def test_new_offers_take_the_organisations_own_place_else_its_seats_centre() -> None:
    kinds = capabilities()
    located = organisation("Own place", at=("56.81620", "24.61400"), seat="LV-RIX")
    seated = organisation("Seat only", at=None, seat="LV-LPX")
    nowhere = organisation("Nowhere", at=None, seat=None)
    half = organisation("Latitude only", at=None, seat="LV-067")
    Organisation.objects.filter(pk=half.pk).update(latitude=Decimal("57.00000"))
    for number, owner in enumerate((located, seated, nowhere, half)):
        OrganisationCapability.objects.create(
            organisation=owner,
            capability=kinds[number % len(kinds)],
            quantity=Decimal("12.50"),
            startup_hours=None if number % 2 else 6,
        )

    rows = {row.organisation_id: row for row in MatchingOffer.objects.all()}
    assert rows[located.pk].latitude == pytest.approx(56.8162) and not rows[located.pk].at_seat
    liepaja = municipality("LV-LPX")
    assert rows[seated.pk].latitude == pytest.approx(float(liepaja.latitude))
    assert rows[seated.pk].at_seat
    assert rows[nowhere.pk].latitude is None and not rows[nowhere.pk].at_seat
    assert rows[half.pk].at_seat  # half a coordinate is no place: the seat's centre
    assert rows[located.pk].quantity == 12.5 and rows[located.pk].startup_hours == 6
    assert actual() == expected()


def test_changes_to_offers_organisations_and_seats_are_followed() -> None:
    kinds = capabilities()
    first = organisation("First", at=("56.94960", "24.10520"), seat="LV-RIX")
    second = organisation("Second", at=None, seat="LV-067")
    offer = OrganisationCapability.objects.create(
        organisation=first, capability=kinds[0], quantity=Decimal(5)
    )
    other = OrganisationCapability.objects.create(
        organisation=second, capability=kinds[1], quantity=Decimal(1), startup_hours=2
    )

    offer.quantity, offer.startup_hours = Decimal(40), 0
    offer.save()
    OrganisationCapability.objects.filter(pk=other.pk).update(quantity=Decimal(0))
    OrganisationCapability.objects.filter(pk=other.pk).update(organisation=first)
    assert actual() == expected()

    first.latitude = first.longitude = None
    first.save()
    assert actual() == expected()
    Organisation.objects.filter(pk=first.pk).update(municipality=municipality("LV-LPX"))
    assert actual() == expected()
    second.latitude, second.longitude = Decimal("56.50000"), Decimal("21.00000")
    Organisation.objects.bulk_update([second], ["latitude", "longitude"])
    assert actual() == expected()

    Municipality.objects.filter(code="LV-LPX").update(latitude=Decimal("56.40000"))
    assert actual() == expected()
    assert MatchingOffer.objects.get(offer_id=offer.pk).latitude == pytest.approx(56.4)

    other.delete()
    assert actual() == expected()
    first.delete()
    assert MatchingOffer.objects.count() == 0
    assert actual() == expected()


def test_bulk_writes_are_followed() -> None:
    kinds = capabilities()
    seats = list(Municipality.objects.order_by("pk")[:5])
    created = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bulk {number}",
            municipality=seats[number % len(seats)] if number % 3 else None,
            latitude=Decimal("56.5") + Decimal(number) / 100 if number % 2 else None,
            longitude=Decimal("24.1") + Decimal(number) / 100 if number % 2 else None,
        )
        for number in range(30)
    )
    OrganisationCapability.objects.bulk_create(
        OrganisationCapability(
            organisation=owner,
            capability=kinds[number % len(kinds)],
            quantity=Decimal(number),
            startup_hours=number % 5 or None,
        )
        for number, owner in enumerate(created)
    )
    assert len(actual()) == 30
    assert actual() == expected()
    OrganisationCapability.objects.filter(quantity__lt=10).delete()
    Organisation.objects.filter(pk__in=[o.pk for o in created[:10]]).update(
        latitude=None, longitude=None
    )
    assert actual() == expected()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_sequence_of_writes_is_followed(seed: int) -> None:
    """Random writes of every kind, checked after each one."""
    generator = random.Random(seed)
    kinds = capabilities()
    seats = list(Municipality.objects.order_by("pk")[:6])
    owners = [organisation(f"Random {n}", at=None, seat=None) for n in range(6)]

    def write() -> None:
        owner = generator.choice(owners)
        offers = list(OrganisationCapability.objects.all())
        choice = generator.randrange(9)
        if choice == 0 or not offers:
            kind = generator.choice(kinds)
            if not OrganisationCapability.objects.filter(
                organisation=owner, capability=kind
            ).exists():
                OrganisationCapability.objects.create(
                    organisation=owner,
                    capability=kind,
                    quantity=Decimal(generator.randint(0, 60)),
                    startup_hours=generator.choice([None, 0, 3, 48]),
                )
        elif choice == 1:
            offer = generator.choice(offers)
            offer.quantity = Decimal(generator.randint(0, 60))
            offer.save()
        elif choice == 2:
            generator.choice(offers).delete()
        elif choice == 3:
            owner.latitude = Decimal(f"{generator.uniform(55.7, 58.0):.5f}")
            owner.longitude = Decimal(f"{generator.uniform(21.0, 28.0):.5f}")
            owner.save()
        elif choice == 4:
            Organisation.objects.filter(pk=owner.pk).update(latitude=None, longitude=None)
        elif choice == 5:
            seat = generator.choice([*seats, None])
            Organisation.objects.filter(pk=owner.pk).update(municipality=seat)
        elif choice == 6:
            people = generator.randint(0, 9)
            OrganisationTrainingCoverage.objects.update_or_create(
                organisation=owner,
                defaults={"people": people, "trained_people": generator.randint(0, people)},
            )
        elif choice == 7:
            OrganisationTrainingCoverage.objects.filter(organisation=owner).delete()
        else:
            Municipality.objects.filter(pk=generator.choice(seats).pk).update(
                latitude=Decimal(f"{generator.uniform(55.7, 58.0):.5f}")
            )

    for _ in range(40):
        write()
        assert actual() == expected()


def test_the_coverage_refresh_is_followed() -> None:
    kinds = capabilities()
    owners = [organisation(f"Trained {n}", at=None, seat="LV-067") for n in range(3)]
    for owner in owners:
        OrganisationCapability.objects.create(
            organisation=owner, capability=kinds[0], quantity=Decimal(4)
        )
    people = [Person.objects.create(full_name=f"Person {n}") for n in range(4)]
    Membership.objects.bulk_create(
        Membership(person=person, organisation=owners[n % 2]) for n, person in enumerate(people)
    )

    refresh_organisation_coverage()
    assert actual() == expected()
    assert {row.people for row in MatchingOffer.objects.all()} == {2, 0}

    Membership.objects.filter(organisation=owners[0]).delete()
    refresh_organisation_coverage()
    assert actual() == expected()
    assert MatchingOffer.objects.get(organisation_id=owners[0].pk).people == 0
