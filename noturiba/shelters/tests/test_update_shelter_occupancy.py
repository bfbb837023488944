"""The operator's update: status and people inside, kept in the history, audited; occupancy
above the short-stay capacity only with status Full."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.shelters.actions import update_shelter_occupancy
from noturiba.shelters.models import Shelter, ShelterUpdate


def test_a_member_of_the_operating_organisation_saves_status_and_occupancy(
    member_a: User, ogre_shelter: Shelter
) -> None:
    saved = update_shelter_occupancy(
        member_a, shelter=ogre_shelter, status="open", occupancy=34, note="Ieradās autobuss"
    )

    assert (saved.status, saved.occupancy, saved.free_places) == ("open", 34, 116)
    assert saved.occupancy_updated_at is not None
    update = ShelterUpdate.objects.get(shelter=ogre_shelter)
    assert (update.status, update.occupancy, update.note, update.author) == (
        "open",
        34,
        "Ieradās autobuss",
        member_a,
    )
    assert update.created_at == saved.occupancy_updated_at
    assert AuditEntry.objects.filter(
        action="update", object_type="shelters.shelter", object_id=str(saved.pk)
    ).exists()


def test_more_people_than_the_short_stay_capacity_is_refused_unless_full(
    member_a: User, ogre_shelter: Shelter
) -> None:
    with pytest.raises(ValidationError) as error:
        update_shelter_occupancy(member_a, shelter=ogre_shelter, status="open", occupancy=151)
    assert "occupancy" in error.value.message_dict
    assert not ShelterUpdate.objects.exists()

    saved = update_shelter_occupancy(member_a, shelter=ogre_shelter, status="full", occupancy=151)
    assert (saved.status, saved.occupancy, saved.free_places) == ("full", 151, 0)


def test_exactly_the_capacity_is_accepted_as_open(member_a: User, ogre_shelter: Shelter) -> None:
    saved = update_shelter_occupancy(member_a, shelter=ogre_shelter, status="open", occupancy=150)
    assert saved.free_places == 0


def test_a_shelter_without_floor_area_takes_any_number(officer: User, ogre_hidden: Shelter) -> None:
    saved = update_shelter_occupancy(officer, shelter=ogre_hidden, status="open", occupancy=500)
    assert saved.occupancy == 500


@pytest.mark.parametrize("who", ["admin_b", "trainer"])
def test_others_may_not_update(
    who: str, request: pytest.FixtureRequest, ogre_shelter: Shelter
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        update_shelter_occupancy(actor, shelter=ogre_shelter, status="full", occupancy=1)
    ogre_shelter.refresh_from_db()
    assert (ogre_shelter.status, ogre_shelter.occupancy) == ("open", 10)


def test_an_officer_elsewhere_may_not_update(officer: User, liepaja_hidden: Shelter) -> None:
    with pytest.raises(PermissionDenied):
        update_shelter_occupancy(officer, shelter=liepaja_hidden, status="full", occupancy=1)


@pytest.mark.parametrize(
    ("status", "occupancy", "note"),
    [("unknown", 1, ""), ("open", -1, ""), ("open", 1, "x" * 301)],
)
def test_invalid_values_are_refused(
    member_a: User, ogre_shelter: Shelter, status: str, occupancy: int, note: str
) -> None:
    with pytest.raises(ValidationError):
        update_shelter_occupancy(
            member_a, shelter=ogre_shelter, status=status, occupancy=occupancy, note=note
        )


def test_the_last_of_two_updates_wins_and_both_are_in_the_history(
    member_a: User, admin_a: User, ogre_shelter: Shelter
) -> None:
    # Both operators loaded the page before either saved.
    stale = Shelter.objects.get(pk=ogre_shelter.pk)
    update_shelter_occupancy(member_a, shelter=ogre_shelter, status="open", occupancy=20)
    update_shelter_occupancy(admin_a, shelter=stale, status="open", occupancy=25)

    ogre_shelter.refresh_from_db()
    assert ogre_shelter.occupancy == 25
    assert list(ogre_shelter.updates.values_list("occupancy", flat=True)) == [25, 20]
