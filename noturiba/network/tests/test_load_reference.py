from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from noturiba.network.models import CapabilityType, Municipality, TargetGroup
from noturiba.network.reference_data import resolve_municipality

pytestmark = pytest.mark.django_db


def test_it_loads_42_current_and_43_historical_municipalities() -> None:
    call_command("load_reference", stdout=None)
    assert Municipality.objects.count() == 43
    assert Municipality.objects.current(datetime.date(2026, 1, 1)).count() == 42
    assert Municipality.objects.current(datetime.date(2024, 1, 1)).count() == 43
    assert Municipality.objects.filter(kind=Municipality.Kind.STATE_CITY).count() == 7


def test_it_is_idempotent() -> None:
    call_command("load_reference")
    first = list(Municipality.objects.values_list("id", "code", "name_lv").order_by("id"))
    call_command("load_reference")
    assert list(Municipality.objects.values_list("id", "code", "name_lv").order_by("id")) == first
    assert CapabilityType.objects.count() == 15
    assert TargetGroup.objects.filter(parent__code="disability").count() == 5


def test_varaklani_resolves_to_madona() -> None:
    call_command("load_reference")
    varaklani = Municipality.objects.get(code="LV-102")
    assert varaklani.successor is not None and varaklani.successor.code == "LV-059"
    resolved = resolve_municipality("LV-102")
    assert resolved is not None and resolved.code == "LV-059"
    before_merger = resolve_municipality("LV-102", datetime.date(2024, 5, 1))
    assert before_merger is not None and before_merger.code == "LV-102"


def test_names_come_in_both_languages() -> None:
    call_command("load_reference")
    riga = Municipality.objects.get(code="LV-RIX")
    assert (riga.name_lv, riga.name_en) == ("Rīga", "Riga")
    assert Municipality.objects.get(code="LV-112").name_lv == "Dienvidkurzemes novads"
