"""Storing the demo network with bulk inserts, and removing an earlier one.

Demo rows are generated, flagged ``is_demo`` and shown with a badge; they are written here in
bulk (one transaction, batches of ``BATCH`` rows, no per-row queries) rather than one by one
through ``noturiba.network.actions``, which would audit every row of a network that never
existed. Institutions have no demo flag: they are matched by name, so a second run reuses them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from noturiba.network.demo.build import (
    DemoNetwork,
    MunicipalityRef,
    Reference,
    build_network,
)
from noturiba.network.models import (
    Agreement,
    CapabilityType,
    Institution,
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Person,
    TargetGroup,
)
from noturiba.network.reference_data import load_reference

BATCH = 2000

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` after each batch."""


class DemoDataPresent(Exception):
    """The database already holds demo data and the caller did not ask to replace it."""


@dataclass(frozen=True)
class DemoSummary:
    organisations: int
    people: int
    memberships: int
    capabilities: int
    municipalities_covered: int
    target_groups_served: int
    institutions_created: int
    officers: int
    agreements: int
    deleted_organisations: int
    deleted_people: int
    build_seconds: float
    write_seconds: float


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def reference_values() -> Reference:
    """The current municipalities, the capability catalogue and target groups, as plain values."""
    if not Municipality.objects.exists():
        load_reference()
    municipalities = tuple(
        MunicipalityRef(
            id=m.pk,
            code=m.code,
            name_lv=m.name_lv,
            kind=m.kind,
            latitude=float(m.latitude),
            longitude=float(m.longitude),
            population=max(m.population, 1),
        )
        for m in Municipality.objects.current().order_by("code")
    )
    return Reference(
        municipalities=municipalities,
        capabilities=dict(CapabilityType.objects.values_list("code", "id")),
        target_groups=dict(TargetGroup.objects.values_list("code", "id")),
    )


def demo_counts() -> tuple[int, int]:
    """How many demo organisations and demo people the database holds."""
    return (
        Organisation.objects.filter(is_demo=True).count(),
        Person.objects.filter(is_demo=True).count(),
    )


def delete_demo() -> tuple[int, int]:
    """Delete every demo organisation and demo person (and what hangs on them)."""
    organisations, people = demo_counts()
    demo_orgs = Organisation.objects.filter(is_demo=True)
    demo_people = Person.objects.filter(is_demo=True)
    # The bulky dependants go first, in one statement each, so that the final deletes do not
    # have to collect hundreds of thousands of rows in Python.
    Membership.objects.filter(organisation__in=demo_orgs).delete()
    Membership.objects.filter(person__in=demo_people).delete()
    OrganisationCapability.objects.filter(organisation__in=demo_orgs).delete()
    Agreement.objects.filter(organisation__in=demo_orgs).delete()
    Organisation.municipalities.through.objects.filter(organisation__in=demo_orgs).delete()
    Organisation.target_groups.through.objects.filter(organisation__in=demo_orgs).delete()
    demo_orgs.delete()
    demo_people.delete()
    return organisations, people


def _insert(
    model: type[models.Model], rows: Sequence[models.Model], stage: str, progress: Progress
) -> None:
    manager: Any = model._default_manager
    for start in range(0, len(rows), BATCH):
        manager.bulk_create(rows[start : start + BATCH])
        progress(stage, min(start + BATCH, len(rows)), len(rows))
    if not rows:
        progress(stage, 0, 0)


def _store(network: DemoNetwork, progress: Progress) -> int:
    """Insert ``network``; return how many institutions had to be created."""
    organisations = network.organisations
    _insert(Organisation, organisations, "organisations", progress)
    org_ids = [organisation.pk for organisation in organisations]

    covering = Organisation.municipalities.through
    _insert(
        covering,
        [covering(organisation_id=org_ids[o], municipality_id=m) for o, m in network.coverage],
        "municipalities covered",
        progress,
    )
    serving = Organisation.target_groups.through
    _insert(
        serving,
        [serving(organisation_id=org_ids[o], targetgroup_id=g) for o, g in network.serving],
        "target groups served",
        progress,
    )
    for position, capability in network.capabilities:
        capability.organisation_id = org_ids[position]
    _insert(
        OrganisationCapability,
        [capability for _position, capability in network.capabilities],
        "capabilities",
        progress,
    )

    names = [spec.name for spec in network.institutions]
    existing = dict(Institution.objects.filter(name__in=names).values_list("name", "id"))
    missing = [spec for spec in network.institutions if spec.name not in existing]
    created = [
        Institution(
            name=spec.name,
            kind=spec.kind,
            is_national=spec.is_national,
            email=spec.email,
            phone=spec.phone,
            website=spec.website,
            address=spec.address,
        )
        for spec in missing
    ]
    _insert(Institution, created, "institutions", progress)
    jurisdiction = Institution.municipalities.through
    _insert(
        jurisdiction,
        [
            jurisdiction(institution_id=institution.pk, municipality_id=municipality_id)
            for spec, institution in zip(missing, created, strict=True)
            for municipality_id in spec.municipality_ids
        ],
        "jurisdictions",
        progress,
    )
    existing.update({institution.name: institution.pk for institution in created})
    institution_ids = [existing[name] for name in names]

    for person_position, institution_position in network.officers:
        network.people[person_position].institution_id = institution_ids[institution_position]
    _insert(Person, network.people, "people", progress)
    _insert(
        Membership,
        [
            Membership(
                person_id=network.people[spec.person].pk,
                organisation_id=org_ids[spec.organisation],
                role=spec.role,
                title=spec.title,
            )
            for spec in network.memberships
        ],
        "memberships",
        progress,
    )
    _insert(
        Agreement,
        [
            Agreement(
                organisation_id=org_ids[spec.organisation],
                institution_id=institution_ids[spec.institution],
                scope=spec.scope,
                signed_on=spec.signed_on,
                valid_until=spec.valid_until,
                created_at=organisations[spec.organisation].created_at,
            )
            for spec in network.agreements
        ],
        "agreements",
        progress,
    )
    return len(created)


@transaction.atomic
def generate_demo(
    *,
    organisations: int,
    people: int,
    seed: int,
    replace: bool = False,
    progress: Progress = _quiet,
) -> DemoSummary:
    """Generate and store a demo network; refuse if one is present unless ``replace``.

    The same seed gives the same organisations, people and agreements (names, registration
    numbers, contacts, capabilities) on any database that holds the same reference data.
    """
    deleted = (0, 0)
    if any(demo_counts()):
        if not replace:
            orgs_present, people_present = demo_counts()
            raise DemoDataPresent(
                f"The database already holds demo data ({orgs_present} organisations, "
                f"{people_present} people). Run with --replace to delete it and generate again."
            )
        deleted = delete_demo()
        progress("deleted earlier demo data", 1, 1)

    started = time.perf_counter()
    taken = frozenset(
        number
        for number in Organisation.objects.values_list("registration_number", flat=True)
        if number
    )
    network = build_network(
        reference_values(),
        organisations=organisations,
        people=people,
        seed=seed,
        taken_numbers=taken,
    )
    built = time.perf_counter()
    rows = len(network.organisations) + len(network.people) + len(network.memberships)
    progress("built in memory", rows, rows)
    institutions_created = _store(network, progress)
    written = time.perf_counter()
    return DemoSummary(
        organisations=len(network.organisations),
        people=len(network.people),
        memberships=len(network.memberships),
        capabilities=len(network.capabilities),
        municipalities_covered=len(network.coverage),
        target_groups_served=len(network.serving),
        institutions_created=institutions_created,
        officers=len(network.officers),
        agreements=len(network.agreements),
        deleted_organisations=deleted[0],
        deleted_people=deleted[1],
        build_seconds=built - started,
        write_seconds=written - built,
    )
