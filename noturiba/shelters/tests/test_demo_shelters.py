"""``noturiba demo_shelters``: a dozen demo shelters, some public, some accessible; idempotent."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from noturiba.shelters.models import Shelter


def test_it_adds_a_dozen_demo_shelters_once(reference: None) -> None:
    call_command("demo_shelters", stdout=StringIO())
    call_command("demo_shelters", stdout=StringIO())

    shelters = Shelter.objects.all()
    assert shelters.count() == 12
    assert all(shelter.is_demo for shelter in shelters)
    assert shelters.filter(is_public=True).count() >= 6
    assert shelters.filter(is_public=False).exists()
    assert len({shelter.municipality_id for shelter in shelters}) >= 5
    assert any(shelter.is_accessible for shelter in shelters)
    for shelter in shelters:
        capacity = shelter.short_stay_capacity
        assert capacity is not None
        assert shelter.occupancy <= capacity or shelter.status == Shelter.Status.FULL
