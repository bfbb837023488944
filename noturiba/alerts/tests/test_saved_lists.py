"""Saved lists: create (empty or from an audience), remove a person, delete; policy and audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from noturiba.accounts.models import User
from noturiba.alerts.actions import create_saved_list, delete_saved_list, remove_from_saved_list
from noturiba.alerts.models import SavedList
from noturiba.alerts.selectors import AudienceFilters, saved_lists_for
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Municipality, Person

pytestmark = pytest.mark.django_db


def ogre() -> frozenset[int]:
    return frozenset({Municipality.objects.get(code="LV-067").pk})


def names(saved: SavedList) -> set[str]:
    return set(saved.people.values_list("full_name", flat=True))


def test_a_list_from_an_audience_keeps_its_people_now(
    officer: User, admin_a: User, member_a: User, admin_b: User
) -> None:
    saved = create_saved_list(
        officer,
        name=" Ogres admini ",
        audience=AudienceFilters(municipalities=ogre(), roles=frozenset({"admin"})),
    )
    assert saved.name == "Ogres admini" and saved.created_by == officer
    assert names(saved) == {"Anna Ozola"}
    entry = AuditEntry.objects.get(object_type="alerts.savedlist", object_id=str(saved.pk))
    assert entry.changes == {"name": [None, "Ogres admini"], "people": [0, 1]}


def test_an_empty_list_and_a_name_is_needed(coordinator: User) -> None:
    assert names(create_saved_list(coordinator, name="Tukšs")) == set()
    with pytest.raises(ValidationError):
        create_saved_list(coordinator, name="  ")


def test_officers_save_only_within_the_jurisdiction(officer: User, admin_b: User) -> None:
    liepaja = frozenset({Municipality.objects.get(code="LV-LPX").pk})
    with pytest.raises(PermissionDenied):
        create_saved_list(officer, name="X", audience=AudienceFilters(municipalities=liepaja))
    with pytest.raises(PermissionDenied):
        create_saved_list(officer, name="X", audience=AudienceFilters())  # the whole network
    assert not SavedList.objects.exists()


@pytest.mark.parametrize("who", ["admin_a", "member_a", "trainer"])
def test_people_who_do_not_alert_keep_no_lists(who: str, request: pytest.FixtureRequest) -> None:
    with pytest.raises(PermissionDenied):
        create_saved_list(request.getfixturevalue(who), name="X")


def test_only_the_author_or_a_coordinator_changes_a_list(
    officer: User, coordinator: User, admin_a: User, member_a: User
) -> None:
    saved = create_saved_list(officer, name="Ogre", audience=AudienceFilters(municipalities=ogre()))
    anna = Person.objects.get(full_name="Anna Ozola")
    with pytest.raises(PermissionDenied):
        remove_from_saved_list(admin_a, saved_list=saved, person_id=anna.pk)
    remove_from_saved_list(officer, saved_list=saved, person_id=anna.pk)
    assert names(saved) == {"Mārtiņš Bērziņš"}
    assert Person.objects.filter(pk=anna.pk).exists()  # off the list, not out of the directory
    mine = create_saved_list(coordinator, name="Koordinatora")
    assert list(saved_lists_for(officer)) == [saved]
    assert set(saved_lists_for(coordinator)) == {saved, mine}
    assert list(saved_lists_for(admin_a)) == []
    with pytest.raises(PermissionDenied):
        delete_saved_list(officer, saved_list=mine)
    delete_saved_list(coordinator, saved_list=saved)
    assert list(SavedList.objects.all()) == [mine]
    assert AuditEntry.objects.filter(object_type="alerts.savedlist", action="delete").count() == 1
