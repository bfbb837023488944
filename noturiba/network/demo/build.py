"""Building the demo network in memory: plain Python, no queries, the same seed → the same rows.

:func:`build_network` takes the reference data (as plain values) and returns unsaved model
instances plus the links between them as list positions; :mod:`noturiba.network.demo.write`
stores them. Each part (organisations, people, agreements) draws from its own random stream,
derived from the seed and the part's name, so asking for more people does not change the
organisations.
"""

from __future__ import annotations

import datetime
import itertools
import math
import random
import re
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from noturiba.lib.text import fold
from noturiba.network.demo import vocabulary as words
from noturiba.network.models import (
    Organisation,
    OrganisationCapability,
    Person,
)

T = TypeVar("T")

# Fixed, so that timestamps do not depend on the day the demo was generated.
EPOCH = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.UTC)
AGREEMENTS_FROM = datetime.date(2021, 7, 1)
AGREEMENTS_DAYS = (datetime.date(2025, 12, 31) - AGREEMENTS_FROM).days

# Registration numbers (11 digits, the Register of Enterprises' legal-entity check digit) are
# taken from high blocks (40008 6…–9… for associations), beyond the numbers issued so far, so
# that a demo organisation does not carry a real organisation's number.
NUMBER_BLOCKS: dict[str, tuple[tuple[str, int, int], ...]] = {
    "association": (("40008", 60000, 99999), ("50008", 60000, 99999)),
    "religious": (("90000", 60000, 99999),),
    "social_enterprise": (("40203", 90000, 99999),),
}
CHECK_WEIGHTS = (9, 1, 4, 8, 3, 10, 2, 5, 7, 6)

# Phone numbers: valid Latvian numbers from fixed blocks of 100,000, recognisable as demo ones.
PERSON_PHONES = "+371200"  # mobile
SECOND_CONTACT_PHONES = "+371201"  # mobile
LANDLINE_PHONES = "+371600"  # organisations and institutions

LANGUAGES = (("lv", 78), ("ru", 15), ("uk", 4), ("en", 3))
SCOPE_NATIONAL_SHARE = 0.015
THEMATIC_KINDS = frozenset({"disability", "blind", "deaf", "ukrainians", "crisis_centre"})


def registration_check_digit(body: str) -> int | None:
    """The check digit completing a 10-digit legal-entity ``body``, or None if there is none.

    A legal entity's number satisfies sum(weight × digit) ≡ 3 (mod 11) with the weights
    9,1,4,8,3,10,2,5,7,6 and 1 for the check digit; a body needing 10 cannot be completed.
    """
    total = sum(weight * int(digit) for weight, digit in zip(CHECK_WEIGHTS, body, strict=True))
    digit = (3 - total) % 11
    return None if digit == 10 else digit


def is_valid_registration_number(number: str) -> bool:
    """Eleven digits, a legal entity's first digit, and a matching check digit."""
    if not re.fullmatch(r"[4-9]\d{10}", number):
        return False
    return registration_check_digit(number[:10]) == int(number[10])


@dataclass(frozen=True)
class MunicipalityRef:
    id: int
    code: str
    name_lv: str
    kind: str
    latitude: float
    longitude: float
    population: int

    @property
    def is_city(self) -> bool:
        return self.kind == "state_city"

    @property
    def locative(self) -> str:
        """Where: "Ogres novadā", "Rīgā"."""
        if self.is_city:
            return words.STATE_CITY_LOCATIVE.get(self.code, self.name_lv)
        return self.name_lv.replace(" novads", " novadā")

    @property
    def genitive(self) -> str:
        """Of which: "Ogres novada", "Rīgas valstspilsētas"."""
        if self.is_city:
            return words.STATE_CITY_GENITIVE.get(self.code, self.name_lv) + " valstspilsētas"
        return self.name_lv.replace(" novads", " novada")


@dataclass(frozen=True)
class Reference:
    """The reference rows the demo links to, as plain values keyed by code."""

    municipalities: tuple[MunicipalityRef, ...]
    capabilities: dict[str, int]
    target_groups: dict[str, int]


@dataclass
class InstitutionSpec:
    name: str
    kind: str
    is_national: bool
    email: str
    phone: str
    website: str
    address: str
    municipality_ids: tuple[int, ...]


@dataclass
class AgreementSpec:
    organisation: int  # position in DemoNetwork.organisations
    institution: int  # position in DemoNetwork.institutions
    scope: str
    signed_on: datetime.date
    valid_until: datetime.date | None


@dataclass
class MembershipSpec:
    person: int
    organisation: int
    role: str
    title: str


@dataclass
class DemoNetwork:
    """Unsaved rows; links are positions in these lists."""

    organisations: list[Organisation] = field(default_factory=list)
    coverage: list[tuple[int, int]] = field(default_factory=list)  # (org, municipality id)
    serving: list[tuple[int, int]] = field(default_factory=list)  # (org, target group id)
    capabilities: list[tuple[int, OrganisationCapability]] = field(default_factory=list)
    institutions: list[InstitutionSpec] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    officers: list[tuple[int, int]] = field(default_factory=list)  # (person, institution)
    memberships: list[MembershipSpec] = field(default_factory=list)
    agreements: list[AgreementSpec] = field(default_factory=list)


class NumberPool:
    """Unique numbers from the blocks of ``NUMBER_BLOCKS``, drawn without replacement."""

    def __init__(self, rng: random.Random, taken: frozenset[str]) -> None:
        self.rng = rng
        self.taken = taken
        self.pools: dict[str, list[str]] = {}

    def _pool(self, family: str) -> list[str]:
        if family not in self.pools:
            candidates = []
            for prefix, low, high in NUMBER_BLOCKS[family]:
                for serial in range(low, high + 1):
                    body = f"{prefix}{serial:05d}"
                    digit = registration_check_digit(body)
                    if digit is not None and body + str(digit) not in self.taken:
                        candidates.append(body + str(digit))
            self.rng.shuffle(candidates)
            self.pools[family] = candidates
        return self.pools[family]

    def draw(self, legal_form: str) -> str:
        family = legal_form if legal_form in NUMBER_BLOCKS else "association"
        pool = self._pool(family)
        if not pool:
            raise ValueError(f"No demo registration numbers left for {family} organisations.")
        return pool.pop()


class PhonePool:
    """Distinct numbers ``prefix`` + 5 digits in a shuffled order (repeats after 100,000)."""

    def __init__(self, rng: random.Random, prefix: str) -> None:
        self.prefix = prefix
        self.serials = list(range(100_000))
        rng.shuffle(self.serials)
        self.counter = itertools.count()

    def draw(self) -> str:
        serial = self.serials[next(self.counter) % len(self.serials)]
        return f"{self.prefix}{serial:05d}"


def slug(text: str, *, limit: int = 40) -> str:
    """An ASCII domain label from a name: "Biedrība „Ogres Samarieši”" → "ogres-samariesi"."""
    plain = re.sub(r"[^a-z0-9]+", " ", fold(text))
    kept = [w for w in plain.split() if w not in {"biedriba", "nodibinajums", "sia"}]
    label = "-".join(kept) or "org"
    return label[:limit].rstrip("-")


class WeightedChoice(Generic[T]):
    """``rng.choices`` with the cumulative weights computed once."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


def _nearest(municipalities: Sequence[MunicipalityRef]) -> dict[int, list[MunicipalityRef]]:
    """For each municipality, the others ordered by distance between centres."""

    def distance(a: MunicipalityRef, b: MunicipalityRef) -> float:
        scale = math.cos(math.radians((a.latitude + b.latitude) / 2))
        return math.hypot(a.latitude - b.latitude, (a.longitude - b.longitude) * scale)

    return {
        m.id: sorted((o for o in municipalities if o.id != m.id), key=lambda o: distance(m, o))
        for m in municipalities
    }


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.5f}")


class OrganisationBuilder:
    def __init__(self, reference: Reference, seed: int, taken_numbers: frozenset[str]) -> None:
        self.rng = random.Random(f"{seed}:organisations")
        self.reference = reference
        self.municipalities = reference.municipalities
        self.seat = WeightedChoice(
            self.municipalities, [m.population for m in reference.municipalities]
        )
        self.kind = WeightedChoice(words.KINDS, [k.weight for k in words.KINDS])
        self.nearest = _nearest(self.municipalities)
        self.riga = next((m for m in self.municipalities if m.code == "LV-RIX"), None)
        self.numbers = NumberPool(random.Random(f"{seed}:numbers"), taken_numbers)
        self.phones = PhonePool(self.rng, LANDLINE_PHONES)
        self.used_names: set[str] = set()
        self.all_groups = sorted(reference.target_groups)

    # Names ------------------------------------------------------------------------------

    def _place(self, municipality: MunicipalityRef) -> tuple[str, str]:
        places = words.PLACES.get(municipality.code) or (
            (municipality.name_lv, municipality.name_lv),
        )
        # The centre is named most often; Rīga's neighbourhoods share the rest.
        if len(places) > 1 and self.rng.random() < (0.2 if municipality.code == "LV-RIX" else 0.5):
            return places[0]
        return self.rng.choice(places)

    def _candidate(self, kind: words.Kind, place: str, attempt: int) -> str:
        """A name in one of three styles; after a few clashes, the roomiest style."""
        rng = self.rng
        style = rng.random() if attempt < 3 else 1.0
        if not kind.groups or (kind.worded and style < 0.2):
            pattern = rng.choice(kind.worded)
            return pattern.format(place=place, word=rng.choice(words.NAMES_IN_QUOTES))
        group = rng.choice(kind.groups)
        if style > 0.7 and "biedrība" in kind.nouns:
            # "Ogres senioru biedrība „Dzīvesprieks”": the legal form, then a name of its own.
            return f"{place} {group} biedrība „{rng.choice(words.NAMES_IN_QUOTES)}”"
        if style > 0.7 and kind.worded:
            pattern = rng.choice(kind.worded)
            return pattern.format(place=place, word=rng.choice(words.NAMES_IN_QUOTES))
        noun = rng.choice(kind.nouns)
        if place == words.NATIONAL_GENITIVE and noun in words.LOCAL_UNIT_NOUNS:
            noun = rng.choice(words.NATIONAL_NOUNS)
        core = f"{place} {group} {noun}"
        if noun in words.SELF_NAMING_NOUNS:
            return core
        prefix = "Nodibinājums" if kind.legal_form == words.FOUNDATION else "Biedrība"
        return f"{prefix} „{core}”"

    def _name(self, kind: words.Kind, place: str) -> str:
        for attempt in range(12):
            name = self._candidate(kind, place, attempt)
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        # A crowded place: number the branches, as networks of local units do.
        for branch in itertools.count(2):
            numbered = f"{name}, {branch}. nodaļa"
            if numbered not in self.used_names:
                self.used_names.add(numbered)
                return numbered
        raise AssertionError("unreachable")

    # Parts ------------------------------------------------------------------------------

    def _scope(self, kind: words.Kind) -> str:
        roll = self.rng.random()
        if roll < SCOPE_NATIONAL_SHARE and kind.legal_form != words.RELIGIOUS:
            return Organisation.Scope.NATIONAL
        if kind.key in THEMATIC_KINDS and roll < 0.45:
            return Organisation.Scope.THEMATIC
        if roll < 0.14:
            return Organisation.Scope.REGIONAL
        return Organisation.Scope.LOCAL

    def _covered(self, seat: MunicipalityRef, scope: str) -> list[int]:
        if scope == Organisation.Scope.NATIONAL:
            return [m.id for m in self.municipalities]
        if scope == Organisation.Scope.REGIONAL:
            neighbours = self.rng.randint(2, 4)
        elif scope == Organisation.Scope.THEMATIC:
            neighbours = self.rng.randint(0, 3)
        else:
            neighbours = 1 if self.rng.random() < 0.2 else 0
        return [seat.id] + [m.id for m in self.nearest[seat.id][:neighbours]]

    def _description(self, kind: words.Kind, seat: MunicipalityRef, scope: str) -> str:
        rng = self.rng
        if scope == Organisation.Scope.NATIONAL:
            where = "visā Latvijā"
        elif scope == Organisation.Scope.REGIONAL:
            where = f"{seat.locative} un kaimiņu novados"
        else:
            where = seat.locative
        opening = rng.choice(words.OPENINGS).format(
            where=where, year=rng.randint(1992, 2023), members=rng.choice((12, 20, 30, 45, 60, 100))
        )
        middle = rng.sample(kind.sentences, k=min(2, len(kind.sentences)))
        return " ".join(filter(None, [opening, *middle, rng.choice(words.CLOSINGS)]))

    def _address(self, seat: MunicipalityRef, town: str) -> str:
        street = f"{self.rng.choice(words.STREETS)} {self.rng.randint(1, 120)}"
        if seat.is_city:
            return f"{street}, {words.PLACES.get(seat.code, ((seat.name_lv, ''),))[0][0]}"
        return f"{street}, {town}, {seat.name_lv.replace(' novads', ' nov.')}"

    def _location(self, seat: MunicipalityRef) -> tuple[Decimal, Decimal]:
        spread = 0.02 if seat.is_city else 0.08
        lat = seat.latitude + max(-2.5, min(2.5, self.rng.gauss(0, 1))) * spread
        lon = seat.longitude + max(-2.5, min(2.5, self.rng.gauss(0, 1))) * spread * 1.8
        return _coordinate(lat), _coordinate(lon)

    def _capabilities(self, kind: words.Kind) -> list[OrganisationCapability]:
        rng = self.rng
        wanted = rng.choices((1, 2, 3, 4), weights=(25, 35, 25, 15))[0]
        codes = [kind.capabilities[0]]
        others = list(kind.capabilities[1:])
        while len(codes) < wanted and others:
            # Earlier entries of the kind's list are likelier.
            pick = others.pop(min(int(rng.expovariate(0.8)), len(others) - 1))
            codes.append(pick)
        rows = []
        for code in codes:
            capability_id = self.reference.capabilities.get(code)
            if capability_id is None:
                continue
            rows.append(
                OrganisationCapability(
                    capability_id=capability_id,
                    quantity=Decimal(rng.choice(words.QUANTITIES[code])),
                    startup_hours=rng.choice(words.STARTUP_HOURS),
                    availability=rng.choice(words.AVAILABILITY_NOTES),
                )
            )
        return rows

    def _target_groups(self, kind: words.Kind) -> list[int]:
        rng = self.rng
        codes = set(
            rng.sample(kind.target_groups, k=rng.randint(1, min(3, len(kind.target_groups))))
            if kind.target_groups
            else ()
        )
        if rng.random() < (0.5 if not kind.target_groups else 0.15):
            codes.add(rng.choice(self.all_groups))
        return sorted(
            self.reference.target_groups[c] for c in codes if c in self.reference.target_groups
        )

    def build(self, network: DemoNetwork, count: int) -> list[words.Kind]:
        """Add ``count`` organisations; return the kind of each (for agreements)."""
        rng = self.rng
        kinds: list[words.Kind] = []
        for _index in range(count):
            kind = self.kind.pick(rng)
            scope = self._scope(kind)
            seat = self.seat.pick(rng)
            if scope == Organisation.Scope.NATIONAL and self.riga and rng.random() < 0.7:
                seat = self.riga
            town, town_genitive = self._place(seat)
            place = (
                words.NATIONAL_GENITIVE if scope == Organisation.Scope.NATIONAL else town_genitive
            )
            name = self._name(kind, place)
            domain = slug(name) + ".example"
            latitude, longitude = self._location(seat)
            created = EPOCH - datetime.timedelta(
                days=rng.randint(30, 1800), minutes=rng.randint(0, 1439)
            )
            updated = created + (EPOCH - created) * rng.random()
            organisation = Organisation(
                name=name,
                registration_number=self.numbers.draw(kind.legal_form),
                legal_form=kind.legal_form,
                scope=scope,
                description=self._description(kind, seat, scope),
                website=f"https://{domain}/" if rng.random() < 0.7 else "",
                email=f"{rng.choice(('info', 'birojs', 'pasts', 'valde'))}@{domain}"
                if rng.random() < 0.9
                else "",
                phone=self.phones.draw() if rng.random() < 0.8 else "",
                address=self._address(seat, town),
                municipality_id=seat.id,
                latitude=latitude,
                longitude=longitude,
                is_public=rng.random() < 0.6,
                is_demo=True,
                created_at=created,
                updated_at=updated,
            )
            organisation.search_text = organisation.build_search_text()
            position = len(network.organisations)
            network.organisations.append(organisation)
            network.coverage += [(position, m) for m in self._covered(seat, scope)]
            network.serving += [(position, g) for g in self._target_groups(kind)]
            network.capabilities += [(position, row) for row in self._capabilities(kind)]
            kinds.append(kind)
        return kinds


NAMES: dict[str, tuple[Sequence[str], Sequence[str], Sequence[tuple[str, str]]]] = {
    "lv": (words.LATVIAN_MEN, words.LATVIAN_WOMEN, words.LATVIAN_SURNAMES),
    "ru": (words.RUSSIAN_MEN, words.RUSSIAN_WOMEN, words.RUSSIAN_SURNAMES),
    "uk": (words.UKRAINIAN_MEN, words.UKRAINIAN_WOMEN, words.UKRAINIAN_SURNAMES),
    "en": (words.INTERNATIONAL_MEN, words.INTERNATIONAL_WOMEN, words.INTERNATIONAL_SURNAMES),
}


def _email_label(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", fold(text))


class PeopleBuilder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:people")
        self.language = WeightedChoice([code for code, _ in LANGUAGES], [w for _, w in LANGUAGES])
        self.phones = PhonePool(self.rng, PERSON_PHONES)
        self.second_phones = PhonePool(self.rng, SECOND_CONTACT_PHONES)
        self.emails: dict[str, int] = {}

    def _names(
        self, language: str
    ) -> tuple[Sequence[str], Sequence[str], Sequence[tuple[str, str]]]:
        # Some English speakers are Latvians who grew up abroad.
        return NAMES["lv" if language == "en" and self.rng.random() < 0.5 else language]

    def _email(self, first: str, surname: str, domain: str) -> str:
        local = f"{_email_label(first)}.{_email_label(surname)}"
        address = f"{local}@{domain}"
        seen = self.emails.get(address, 0) + 1
        self.emails[address] = seen
        return address if seen == 1 else f"{local}{seen}@{domain}"

    def build(self, work_domain: str | None = None) -> tuple[Person, bool]:
        """One person and whether the name is feminine (for titles)."""
        rng = self.rng
        language = self.language.pick(rng)
        female = rng.random() < 0.55
        men, women, surnames = self._names(language)
        first = rng.choice(women if female else men)
        family = rng.choice(surnames)  # (masculine, feminine)
        surname = family[1] if female else family[0]
        domain = (
            work_domain if work_domain and rng.random() < 0.5 else rng.choice(words.EMAIL_DOMAINS)
        )
        email = self._email(first, surname, domain) if rng.random() < 0.95 else ""
        phone = self.phones.draw() if rng.random() < 0.92 or not email else ""
        channels: list[str]
        if email and phone:
            channels = rng.choices(
                (["sms", "email"], ["email", "sms"], ["email"], ["sms"]), weights=(50, 35, 10, 5)
            )[0]
        else:
            channels = ["email"] if email else ["sms"]
        person = Person(
            full_name=f"{first} {surname}",
            email=email,
            phone=phone,
            preferred_language=language,
            preferred_channels=channels,
            is_demo=True,
            created_at=EPOCH - datetime.timedelta(days=rng.randint(1, 1500)),
            updated_at=EPOCH,
        )
        if rng.random() < 0.55:
            # A family member: same family name, in the right form for their gender.
            relative_female = rng.random() < 0.5
            relative_first = rng.choice(women if relative_female else men)
            relative_surname = family[1] if relative_female else family[0]
            person.second_contact_name = f"{relative_first} {relative_surname}"
            person.second_contact_phone = self.second_phones.draw()
            if rng.random() < 0.25:
                person.second_contact_email = self._email(
                    relative_first, relative_surname, rng.choice(words.EMAIL_DOMAINS)
                )
        return person, female


def _institutions(reference: Reference, seed: int) -> list[InstitutionSpec]:
    """Each municipality's civil protection commission, and the fire and rescue service."""
    phones = PhonePool(random.Random(f"{seed}:institutions"), LANDLINE_PHONES.replace("600", "601"))
    specs: list[InstitutionSpec] = []
    for municipality in reference.municipalities:
        domain = slug(municipality.genitive) + ".example"
        centre = words.PLACES.get(municipality.code, ((municipality.name_lv, ""),))[0][0]
        street = words.STREETS[len(specs) % len(words.STREETS)]
        specs.append(
            InstitutionSpec(
                name=f"{municipality.genitive} civilās aizsardzības komisija",
                kind="municipality",
                is_national=False,
                email=f"civila.aizsardziba@{domain}",
                phone=phones.draw(),
                website=f"https://{domain}/",
                address=f"{street} {len(specs) % 40 + 1}, {centre}",
                municipality_ids=(municipality.id,),
            )
        )
    specs.append(
        InstitutionSpec(
            name=words.FIRE_SERVICE_NAME,
            kind="fire_rescue",
            is_national=True,
            email="pasts@vugd.example",
            phone=phones.draw(),
            website="https://vugd.example/",
            address="Maskavas iela 5, Rīga",
            municipality_ids=(),
        )
    )
    return specs


def _years_later(day: datetime.date, years: int) -> datetime.date:
    """The day before the anniversary ``years`` later (29 February counts from 28 February)."""
    try:
        anniversary = day.replace(year=day.year + years)
    except ValueError:
        anniversary = day.replace(year=day.year + years, day=28)
    return anniversary - datetime.timedelta(days=1)


def _agreements(network: DemoNetwork, kinds: Sequence[words.Kind], seed: int) -> None:
    rng = random.Random(f"{seed}:agreements")
    commission = {
        spec.municipality_ids[0]: position
        for position, spec in enumerate(network.institutions)
        if spec.municipality_ids
    }
    fire_service = len(network.institutions) - 1
    for position, (organisation, kind) in enumerate(zip(network.organisations, kinds, strict=True)):
        partners = []
        if rng.random() < 0.06 and organisation.municipality_id in commission:
            partners.append(commission[organisation.municipality_id])
        rescue_share = {"firefighters": 0.6, "rescue": 0.3, "radio": 0.2}.get(kind.key, 0.0)
        if organisation.scope == Organisation.Scope.NATIONAL:
            rescue_share = max(rescue_share, 0.3)
        if rng.random() < rescue_share:
            partners.append(fire_service)
        for institution in partners:
            signed = AGREEMENTS_FROM + datetime.timedelta(days=rng.randint(0, AGREEMENTS_DAYS))
            years = rng.choice((None, 1, 2, 3, 3, 5))
            until = None if years is None else _years_later(signed, years)
            network.agreements.append(
                AgreementSpec(
                    organisation=position,
                    institution=institution,
                    scope=rng.choice(words.AGREEMENT_SCOPES),
                    signed_on=signed,
                    valid_until=until,
                )
            )


def _people(network: DemoNetwork, count: int, seed: int) -> None:
    """People: one admin per organisation, a few officers per institution, then members."""
    builder = PeopleBuilder(seed)
    rng = random.Random(f"{seed}:memberships")
    organisations = network.organisations
    domains = [org.email.split("@", 1)[1] if org.email else None for org in organisations]

    def add(work_domain: str | None) -> tuple[int, bool]:
        person, female = builder.build(work_domain)
        network.people.append(person)
        return len(network.people) - 1, female

    admins = min(count, len(organisations))
    for position in range(admins):
        person, female = add(domains[position])
        title = rng.choice(words.ADMIN_TITLES)[1 if female else 0]
        network.memberships.append(MembershipSpec(person, position, "admin", title))
    officers = min((count - admins) // 10, 2 * len(network.institutions))
    for index in range(officers):
        person, _female = add(None)
        network.officers.append((person, index % len(network.institutions)))
    for _index in range(count - admins - officers):
        if not organisations:
            add(None)
            continue
        organisation = rng.randrange(len(organisations))
        person, female = add(domains[organisation])
        title = rng.choice(words.MEMBER_TITLES)[1 if female else 0]
        network.memberships.append(MembershipSpec(person, organisation, "member", title))
        if rng.random() < 0.08 and len(organisations) > 1:
            second = rng.randrange(len(organisations))
            if second != organisation:
                network.memberships.append(MembershipSpec(person, second, "member", ""))


def build_network(
    reference: Reference,
    *,
    organisations: int,
    people: int,
    seed: int,
    taken_numbers: frozenset[str] = frozenset(),
) -> DemoNetwork:
    """The whole demo network, unsaved. ``taken_numbers`` are registration numbers in use."""
    network = DemoNetwork()
    kinds = OrganisationBuilder(reference, seed, taken_numbers).build(network, organisations)
    network.institutions = _institutions(reference, seed)
    _people(network, people, seed)
    _agreements(network, kinds, seed)
    return network
