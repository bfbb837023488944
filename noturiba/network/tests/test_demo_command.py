from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from noturiba.lib.phone import to_e164
from noturiba.network.demo import is_valid_registration_number
from noturiba.network.demo.vocabulary import (
    LATVIAN_MEN,
    LATVIAN_SURNAMES,
    LATVIAN_WOMEN,
)
from noturiba.network.models import (
    Agreement,
    Institution,
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Person,
    registration_number_validator,
)

pytestmark = pytest.mark.django_db


def run_demo(*extra: str, orgs: int = 50, people: int = 200, seed: int = 7) -> str:
    out = StringIO()
    call_command(
        "demo",
        "--orgs",
        str(orgs),
        "--people",
        str(people),
        "--seed",
        str(seed),
        *extra,
        stdout=out,
    )
    return out.getvalue()


def network_fingerprint() -> dict[str, list[tuple[object, ...]]]:
    return {
        "organisations": list(
            Organisation.objects.order_by("registration_number").values_list(
                "registration_number", "name", "description", "phone", "email", "latitude"
            )
        ),
        "people": list(
            Person.objects.order_by("full_name", "email").values_list(
                "full_name", "email", "phone", "preferred_language", "second_contact_name"
            )
        ),
        "capabilities": sorted(
            OrganisationCapability.objects.values_list(
                "organisation__registration_number", "capability__code", "quantity"
            )
        ),
    }


def test_it_generates_the_same_network_for_the_same_seed(reference: None) -> None:
    run_demo()
    first = network_fingerprint()
    run_demo("--replace")
    assert network_fingerprint() == first
    assert Organisation.objects.count() == 50


def test_another_seed_gives_another_network(reference: None) -> None:
    run_demo(seed=7)
    first = network_fingerprint()
    run_demo("--replace", seed=8)
    assert network_fingerprint()["organisations"] != first["organisations"]


def test_it_creates_the_requested_rows_all_marked_as_demo(reference: None) -> None:
    output = run_demo()
    assert Organisation.objects.count() == 50
    assert Person.objects.count() == 200
    assert not Organisation.objects.filter(is_demo=False).exists()
    assert not Person.objects.filter(is_demo=False).exists()
    assert "Demo data ready: 50 organisations" in output
    # One admin per organisation, and every other membership a member's.
    admins = Membership.objects.filter(role=Membership.Role.ADMIN)
    assert admins.count() == 50
    assert admins.values("organisation").distinct().count() == 50
    assert Membership.objects.exclude(role=Membership.Role.ADMIN).exists()
    assert Organisation.objects.exclude(search_text="").count() == 50


def test_it_refuses_to_run_twice_without_replace(reference: None) -> None:
    run_demo()
    with pytest.raises(CommandError, match="already holds demo data.*--replace"):
        run_demo()
    assert Organisation.objects.count() == 50


def test_replace_keeps_real_rows_and_reuses_institutions(org_a: Organisation) -> None:
    run_demo()
    institutions = Institution.objects.count()
    run_demo("--replace")
    assert Organisation.objects.filter(pk=org_a.pk, is_demo=False).exists()
    assert Organisation.objects.filter(is_demo=True).count() == 50
    assert Institution.objects.count() == institutions


def test_registration_numbers_are_valid_and_unique(reference: None) -> None:
    run_demo()
    numbers = list(Organisation.objects.values_list("registration_number", flat=True))
    assert len(set(numbers)) == len(numbers) == 50
    for number in numbers:
        assert number is not None
        registration_number_validator(number)
        assert is_valid_registration_number(number), number


def test_the_check_digit_matches_real_registration_numbers() -> None:
    assert is_valid_registration_number("40003521600")
    assert is_valid_registration_number("40008002279")
    assert not is_valid_registration_number("40003521601")
    assert not is_valid_registration_number("4000352160")


def test_phone_numbers_are_valid_e164(reference: None) -> None:
    run_demo()
    phones = [
        *Organisation.objects.exclude(phone="").values_list("phone", flat=True),
        *Person.objects.exclude(phone="").values_list("phone", flat=True),
        *Person.objects.exclude(second_contact_phone="").values_list(
            "second_contact_phone", flat=True
        ),
        *Institution.objects.values_list("phone", flat=True),
    ]
    assert len(phones) > 200
    for phone in phones:
        assert to_e164(phone) == phone
        assert phone.startswith("+371")


def test_addresses_on_the_internet_are_reserved_example_ones(reference: None) -> None:
    run_demo()
    for email, website in Organisation.objects.values_list("email", "website"):
        assert email == "" or email.endswith(".example")
        assert website == "" or website.endswith(".example/")
    for email, second in Person.objects.values_list("email", "second_contact_email"):
        assert email == "" or email.endswith(".example")
        assert second == "" or second.endswith(".example")


def test_surnames_agree_with_the_first_names_gender(reference: None) -> None:
    run_demo(people=400)
    masculine = {pair[0] for pair in LATVIAN_SURNAMES}
    feminine = {pair[1] for pair in LATVIAN_SURNAMES}
    checked = 0
    for full_name in Person.objects.values_list("full_name", flat=True):
        first, surname = full_name.split(" ", 1)
        if surname not in masculine | feminine:
            continue
        if first in LATVIAN_WOMEN:
            assert surname in feminine, full_name
            checked += 1
        elif first in LATVIAN_MEN:
            assert surname in masculine, full_name
            checked += 1
    assert checked > 100


def test_seats_are_current_municipalities_with_nearby_coordinates(reference: None) -> None:
    run_demo()
    current = set(Municipality.objects.current().values_list("pk", flat=True))
    for organisation in Organisation.objects.select_related("municipality"):
        seat = organisation.municipality
        assert seat is not None and seat.pk in current
        assert organisation.latitude is not None and organisation.longitude is not None
        assert abs(organisation.latitude - seat.latitude) < Decimal("0.25")
        assert abs(organisation.longitude - seat.longitude) < Decimal("0.40")
        assert organisation.municipalities.filter(pk=seat.pk).exists()


def test_capabilities_have_plausible_quantities(reference: None) -> None:
    run_demo(orgs=200, people=200)
    ranges = {
        "transport": (4, 50),
        "premises": (20, 400),
        "power_generators": (2, 60),
        "volunteers": (5, 150),
    }
    rows = OrganisationCapability.objects.select_related("capability")
    assert rows.count() >= 200
    for row in rows:
        low, high = ranges.get(row.capability.code, (1, 5000))
        assert low <= row.quantity <= high, (row.capability.code, row.quantity)
        assert row.startup_hours is not None and 1 <= row.startup_hours <= 72


def test_institutions_and_agreements_are_plausible(reference: None) -> None:
    run_demo(orgs=200, people=300)
    commissions = Institution.objects.filter(kind=Institution.Kind.MUNICIPALITY)
    assert commissions.count() == Municipality.objects.current().count()
    assert Institution.objects.filter(kind=Institution.Kind.FIRE_RESCUE, is_national=True).count()
    assert Person.objects.filter(institution__isnull=False).exists()
    agreements = Agreement.objects.all()
    assert agreements.exists()
    for agreement in agreements:
        assert agreement.signed_on >= datetime.date(2021, 7, 1)
        assert agreement.valid_until is None or agreement.valid_until >= agreement.signed_on
