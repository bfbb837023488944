from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from pytest_django import DjangoAssertNumQueries

from noturiba.accounts.models import User
from noturiba.conftest import municipality
from noturiba.network import selectors
from noturiba.network.models import Agreement, Institution, Organisation, Person
from noturiba.network.selectors import DirectoryFilters


def names(organisations: Iterable[Organisation]) -> list[str]:
    return [organisation.name for organisation in organisations]


def test_filters_parse_a_query_string_and_give_it_back() -> None:
    query = QueryDict(
        "q=+Ogre++&municipality=lv-067,LV-RIX&municipality=LV-067&target_group=seniors"
        "&capability=first_aid&institution=7&agreement=on&sort=-updated&page=3"
    )
    filters = DirectoryFilters.from_query(query)
    assert filters.q == "Ogre"
    assert filters.municipalities == ("LV-067", "LV-RIX")
    assert filters.institution == 7 and filters.has_agreement
    assert filters.sort == "-updated"
    assert filters.is_filtered
    assert DirectoryFilters.from_query(QueryDict(urlencode(filters.as_query()))) == filters


def test_unknown_sorts_and_institutions_fall_back_quietly() -> None:
    filters = DirectoryFilters.from_query(QueryDict("sort=password&institution=abc"))
    assert filters.sort == "name" and filters.institution is None
    assert not filters.is_filtered


def test_the_public_finds_only_public_organisations(
    org_a: Organisation, org_b: Organisation
) -> None:
    found = selectors.search_directory(AnonymousUser(), DirectoryFilters())
    assert names(found) == [org_a.name]


def test_every_word_must_match_folded(
    member_a: User, org_a: Organisation, org_b: Organisation
) -> None:
    search = selectors.search_directory
    assert names(search(member_a, DirectoryFilters(q="OGRĒ senioru"))) == [org_a.name]
    assert names(search(member_a, DirectoryFilters(q="ogre transports"))) == []
    assert names(search(member_a, DirectoryFilters(q="40008000002"))) == [org_b.name]


def test_a_municipality_matches_the_seat_or_an_area_covered(
    member_a: User, org_a: Organisation, org_b: Organisation
) -> None:
    org_b.municipalities.add(municipality("LV-067"))
    found = selectors.search_directory(member_a, DirectoryFilters(municipalities=("LV-067",)))
    assert names(found) == [org_b.name, org_a.name]


def test_a_capability_with_nothing_to_offer_does_not_match(
    member_a: User, org_a: Organisation
) -> None:
    org_a.capabilities.update(quantity=Decimal(0))
    found = selectors.search_directory(member_a, DirectoryFilters(capabilities=("first_aid",)))
    assert names(found) == []


def test_only_valid_agreements_count(
    member_a: User, org_a: Organisation, org_b: Organisation, ogre_commission: Institution
) -> None:
    today = datetime.date.today()
    Agreement.objects.create(
        organisation=org_b,
        institution=ogre_commission,
        scope="Beidzies",
        signed_on=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=30),
    )
    Agreement.objects.create(
        organisation=org_a, institution=ogre_commission, scope="Spēkā", signed_on=today
    )
    found = selectors.search_directory(member_a, DirectoryFilters(has_agreement=True))
    assert names(found) == [org_a.name]


def test_the_public_cannot_probe_agreements(
    org_a: Organisation, ogre_commission: Institution
) -> None:
    # An anonymous filter by institution is ignored rather than revealing who has agreements.
    found = selectors.search_directory(
        AnonymousUser(), DirectoryFilters(institution=ogre_commission.pk)
    )
    assert names(found) == [org_a.name]


@pytest.mark.parametrize(
    ("sort", "first"), [("name", "Liepājas"), ("-name", "Ogres"), ("-updated", "Ogres")]
)
def test_it_sorts(
    member_a: User, org_a: Organisation, org_b: Organisation, sort: str, first: str
) -> None:
    Organisation.objects.filter(pk=org_b.pk).update(
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    found = names(selectors.search_directory(member_a, DirectoryFilters(sort=sort)))
    assert found[0].startswith(first)


def test_directory_details_cost_the_same_for_any_number_of_rows(
    member_a: User,
    org_a: Organisation,
    org_b: Organisation,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    rows = selectors.with_directory_details(
        selectors.search_directory(member_a, DirectoryFilters())
    )
    with django_assert_num_queries(4):
        for organisation in rows:
            _ = organisation.municipality
            _ = list(organisation.municipalities.all())
            _ = list(organisation.target_groups.all())
            offers = organisation.offered_capabilities  # type: ignore[attr-defined]
            _ = [offer.capability.name for offer in offers]


def test_map_points_are_exact_for_members_and_municipal_for_the_public(
    member_a: User, org_a: Organisation
) -> None:
    [point], total = selectors.map_points(member_a, DirectoryFilters(), limit=10)
    assert (point.latitude, point.longitude, point.exact) == (56.8162, 24.614, True)
    [public], _total = selectors.map_points(AnonymousUser(), DirectoryFilters(), limit=10)
    ogre = municipality("LV-067")
    assert (public.latitude, public.longitude, public.exact) == (
        float(ogre.latitude),
        float(ogre.longitude),
        False,
    )
    assert total == 1


def test_map_points_stop_at_the_limit_and_count_the_rest(
    member_a: User, org_a: Organisation, org_b: Organisation
) -> None:
    points, total = selectors.map_points(member_a, DirectoryFilters(), limit=1)
    assert len(points) == 1 and total == 2


def test_people_are_listed_only_for_those_who_may_see_contacts(
    trainer: User, officer: User, admin_a: User, org_a: Organisation
) -> None:
    assert list(selectors.organisation_memberships(trainer, org_a)) == []
    people = [m.person for m in selectors.organisation_memberships(officer, org_a)]
    assert people == [Person.objects.get(user=admin_a)]
