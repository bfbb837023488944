"""Who an alert reaches: audience filters, the channel chosen per person, and the counts."""

from __future__ import annotations

import pytest

from noturiba.accounts.models import User
from noturiba.alerts.models import Alert
from noturiba.alerts.selectors import (
    AudienceFilters,
    audience_for,
    audience_people,
    choose_channel,
    summarise_audience,
    unreachable_people,
)
from noturiba.network.models import (
    CapabilityType,
    Membership,
    Municipality,
    Organisation,
    Person,
    TargetGroup,
)

pytestmark = pytest.mark.django_db


def names(people: object) -> set[str]:
    return {person.full_name for person in people}  # type: ignore[attr-defined]


@pytest.fixture
def network(admin_a: User, member_a: User, admin_b: User, org_a: Organisation) -> None:
    silent = Person.objects.create(full_name="Bez Kontakta")
    Membership.objects.create(person=silent, organisation=org_a)
    texter = Person.objects.create(
        full_name="Sms Lietotāja",
        email="sms@example.lv",
        phone="+37120000009",
        preferred_channels=["sms", "email"],
    )
    Membership.objects.create(person=texter, organisation=org_a)


def ids(model: type, **lookup: str) -> frozenset[int]:
    return frozenset(model.objects.filter(**lookup).values_list("id", flat=True))  # type: ignore[attr-defined]


def test_it_selects_members_of_organisations_in_a_municipality(network: None) -> None:
    people = audience_for(AudienceFilters(municipalities=ids(Municipality, code="LV-067")))
    assert names(people) == {"Anna Ozola", "Mārtiņš Bērziņš", "Bez Kontakta", "Sms Lietotāja"}


def test_it_combines_target_group_capability_and_role(network: None) -> None:
    filters = AudienceFilters(
        target_groups=ids(TargetGroup, code="seniors"),
        capabilities=ids(CapabilityType, code="first_aid"),
        roles=frozenset({Membership.Role.ADMIN}),
    )
    assert names(audience_for(filters)) == {"Anna Ozola"}
    transport = AudienceFilters(capabilities=ids(CapabilityType, code="transport"))
    assert names(audience_for(transport)) == {"Baiba Kalniņa"}


def test_it_selects_by_organisation_and_lists_each_person_once(
    network: None, org_a: Organisation, org_b: Organisation
) -> None:
    anna = Person.objects.get(full_name="Anna Ozola")
    Membership.objects.create(person=anna, organisation=org_b)
    people = audience_for(AudienceFilters(organisations=frozenset({org_a.pk, org_b.pk})))
    assert people.filter(pk=anna.pk).count() == 1
    assert len(names(people)) == people.count() == 5


def test_an_alert_without_audience_municipalities_reaches_the_people_of_its_area(
    network: None,
) -> None:
    alert = Alert.objects.create(sender="s", event="Plūdi", headline="Plūdi")
    alert.municipalities.set([Municipality.objects.get(code="LV-LPX")])
    assert names(audience_people(alert)) == {"Baiba Kalniņa"}


def test_it_counts_deliveries_per_first_reachable_channel_and_the_unreachable(
    network: None,
) -> None:
    summary = summarise_audience(AudienceFilters(municipalities=ids(Municipality, code="LV-067")))
    assert summary.people == 4
    assert summary.by_channel == {"email": 2, "sms": 1}
    assert summary.unreachable == 1


def test_it_follows_the_preferred_order_then_email_then_sms() -> None:
    assert choose_channel(["sms"], "a@example.lv", "+37120000001") == ("sms", "+37120000001")
    assert choose_channel(["sms"], "a@example.lv", "") == ("email", "a@example.lv")
    assert choose_channel([], "", "+37120000001") == ("sms", "+37120000001")
    assert choose_channel(["pigeon"], "a@example.lv", "") == ("email", "a@example.lv")
    assert choose_channel(None, "", "") is None


def test_someone_with_only_a_second_contact_is_counted_apart_from_the_unreachable(
    network: None,
) -> None:
    filters = AudienceFilters(municipalities=ids(Municipality, code="LV-067"))
    nobody = unreachable_people(filters).get()
    nobody.second_contact_phone = "+37120000009"
    nobody.save(update_fields=["second_contact_phone"])

    summary = summarise_audience(filters)

    assert (summary.people, summary.second_contact_only, summary.unreachable) == (4, 1, 0)
    assert not unreachable_people(filters).exists()
