"""Saved lists in an audience: their people join the filtered people; alone, only they."""

from __future__ import annotations

import pytest

from noturiba.accounts.models import User
from noturiba.alerts.actions import create_alert, send_alert
from noturiba.alerts.models import Delivery, SavedList
from noturiba.alerts.selectors import AudienceFilters, alert_filters, audience_for
from noturiba.network.models import Municipality, Person

pytestmark = pytest.mark.django_db


def people(filters: AudienceFilters) -> set[str]:
    return set(audience_for(filters).values_list("full_name", flat=True))


def listed(author: User, *names: str) -> SavedList:
    saved = SavedList.objects.create(name="Sargi", created_by=author)
    saved.people.set(Person.objects.filter(full_name__in=names))
    return saved


def test_lists_round_trip_through_json() -> None:
    filters = AudienceFilters(lists=frozenset({3, 1}), roles=frozenset({"admin"}))
    assert filters.to_json()["lists"] == [1, 3]
    assert AudienceFilters.from_json(filters.to_json()) == filters
    assert AudienceFilters.from_json({}).lists == frozenset()


def test_a_list_alone_is_just_its_people(
    coordinator: User, admin_a: User, member_a: User, admin_b: User
) -> None:
    saved = listed(coordinator, "Baiba Kalniņa")
    assert people(AudienceFilters(lists=frozenset({saved.pk}))) == {"Baiba Kalniņa"}


def test_a_list_adds_to_the_filtered_people(
    coordinator: User, admin_a: User, member_a: User, admin_b: User
) -> None:
    saved = listed(coordinator, "Baiba Kalniņa", "Anna Ozola")
    ogre = Municipality.objects.get(code="LV-067").pk
    filters = AudienceFilters(
        municipalities=frozenset({ogre}), roles=frozenset({"member"}), lists=frozenset({saved.pk})
    )
    assert people(filters) == {"Mārtiņš Bērziņš", "Baiba Kalniņa", "Anna Ozola"}


def test_an_alert_to_a_list_does_not_add_its_area(
    coordinator: User, admin_a: User, member_a: User, admin_b: User
) -> None:
    saved = listed(coordinator, "Baiba Kalniņa")
    alert = create_alert(
        coordinator,
        data={"status": "Exercise", "event": "Plūdi", "headline": "Plūdi"},
        municipalities=[Municipality.objects.get(code="LV-067")],
        audience=AudienceFilters(lists=frozenset({saved.pk})),
    )
    assert alert_filters(alert).municipalities == frozenset()
    send_alert(coordinator, alert=alert)
    sent_to = Delivery.objects.filter(alert=alert, person__isnull=False)
    assert list(sent_to.values_list("person__full_name", flat=True)) == ["Baiba Kalniņa"]


def test_someone_elses_list_is_refused(officer: User, coordinator: User, admin_a: User) -> None:
    from django.core.exceptions import PermissionDenied

    saved = listed(coordinator, "Anna Ozola")
    with pytest.raises(PermissionDenied):
        create_alert(
            officer,
            data={"status": "Exercise", "event": "Plūdi", "headline": "Plūdi"},
            municipalities=[Municipality.objects.get(code="LV-067")],
            audience=AudienceFilters(lists=frozenset({saved.pk})),
        )
