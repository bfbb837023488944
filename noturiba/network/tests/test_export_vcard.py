"""vCard 4.0 export (RFC 6350): organisations and the people whose contacts a reader may see."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from noturiba.accounts.models import User
from noturiba.network.exports import escape_text, export_organisations, fold_line
from noturiba.network.models import Membership, Organisation, Person
from noturiba.network.selectors import DirectoryFilters
from noturiba.network.tests.export_helpers import (
    Card,
    export_text,
    parse_vcards,
    split_unescaped,
    unescape,
)

pytestmark = pytest.mark.usefixtures("reference", "english")


def cards_of(actor: object, **query: str) -> dict[str, Card]:
    cards = parse_vcards(export_text(actor, "vcard", **query))
    return {unescape(card.value("FN")): card for card in cards}


def test_it_exports_one_card_per_organisation_and_per_visible_person(
    coordinator: User, admin_a: User, member_a: User, admin_b: User
) -> None:
    export = export_organisations(coordinator, DirectoryFilters(), "vcard")
    assert export.content_type == "text/vcard; charset=utf-8"
    assert export.filename.endswith(".vcf")
    cards = cards_of(coordinator)
    assert set(cards) == {
        "Ogres Samariešu biedrība",
        "Liepājas Jauniešu centrs",
        "Anna Ozola",
        "Mārtiņš Bērziņš",
        "Baiba Kalniņa",
    }
    ogre = cards["Ogres Samariešu biedrība"]
    assert ogre.value("KIND") == "org"
    assert ogre.value("EMAIL") == "info@ogre-samariesi.example"
    assert ogre.value("GEO") == "geo:56.8162,24.614"
    assert ogre.value("CATEGORIES") == "first_aid"
    anna = cards["Anna Ozola"]
    assert anna.value("KIND") == "individual"
    assert split_unescaped(anna.value("N"), ";") == ["Ozola", "Anna", "", "", ""]
    assert anna.value("EMAIL") == "admin.a@noturiba.example"
    assert anna.value("TEL") == "tel:+37120000001"
    assert [unescape(org) for org in anna.values("ORG")] == ["Ogres Samariešu biedrība"]
    assert anna.value("UID").startswith("urn:uuid:")


def test_an_organisation_member_gets_only_their_own_organisations_people(
    member_a: User, admin_a: User, admin_b: User
) -> None:
    cards = cards_of(member_a)
    assert {"Anna Ozola", "Mārtiņš Bērziņš"} <= set(cards)
    text = export_text(member_a, "vcard")
    assert "Baiba" not in text and "+37120000003" not in text and "admin.b@" not in text


def test_an_officer_gets_the_people_of_organisations_in_their_jurisdiction(
    officer: User, admin_a: User, admin_b: User
) -> None:
    text = export_text(officer, "vcard")
    assert "admin.a@noturiba.example" in text
    assert "admin.b@noturiba.example" not in text and "Baiba" not in text


def test_the_public_gets_public_organisations_and_no_contacts(admin_a: User, admin_b: User) -> None:
    text = export_text(AnonymousUser(), "vcard")
    cards = cards_of(AnonymousUser())
    assert set(cards) == {"Ogres Samariešu biedrība"}
    assert not cards["Ogres Samariešu biedrība"].values("EMAIL")
    assert "Anna" not in text and "@" not in text and "GEO" not in text and "Liepāj" not in text


def test_it_escapes_commas_semicolons_backslashes_and_line_breaks(
    coordinator: User, org_a: Organisation
) -> None:
    tricky = 'Biedrība "A, B; C" \\ ar\njaunu rindu'
    Organisation.objects.filter(pk=org_a.pk).update(name=tricky, description="1,2;3\n4")
    card = cards_of(coordinator)[tricky]
    assert card.value("FN") == escape_text(tricky)
    assert unescape(card.value("NOTE")) == "1,2;3\n4"
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_fold_at_75_octets_without_splitting_letters(
    coordinator: User, org_a: Organisation
) -> None:
    long_name = "Ģimeņu ar bērniem atbalsta biedrība „Žēlsirdība” " * 4
    person = Person.objects.create(full_name=long_name.strip(), email="x@example.lv")
    Membership.objects.create(person=person, organisation=org_a)
    text = export_text(coordinator, "vcard")
    assert "\r\n " in text  # folded (parse_vcards checks every line is at most 75 octets)
    assert long_name.strip() in cards_of(coordinator)
    folded = fold_line("FN:" + "ž" * 60)
    assert all(len(line.encode()) <= 75 for line in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "FN:" + "ž" * 60 + "\r\n"


def test_a_filtered_export_holds_only_the_matching_organisations_people(
    coordinator: User, admin_a: User, admin_b: User, org_b: Organisation
) -> None:
    anna = Person.objects.get(user=admin_a)
    Membership.objects.create(person=anna, organisation=org_b)
    cards = cards_of(coordinator, municipality="LV-067")
    assert set(cards) == {"Ogres Samariešu biedrība", "Anna Ozola"}
    assert [unescape(org) for org in cards["Anna Ozola"].values("ORG")] == [
        "Ogres Samariešu biedrība"
    ]
