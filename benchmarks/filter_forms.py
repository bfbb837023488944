"""Directory facet filters written two ways: correlated EXISTS against uncorrelated id IN (…).

Why ``noturiba.network.selectors._having`` writes the facets differently per database: this
times the count and two pages (first and 100th) of the same filters in both forms on the
seeded directory benchmark database (30,000 organisations, 100,000 people).

    .venv/bin/python -m benchmarks.filter_forms --database sqlite
    .venv/bin/python -m benchmarks.filter_forms --database postgres
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks import common

CASES = [
    ("Ogre + seniors + first aid", ["LV-067"], ["seniors"], ["first_aid"]),
    ("Ogre + seniors + living alone", ["LV-067"], ["seniors", "living_alone"], []),
    ("Rīga", ["LV-RIX"], [], []),
    ("seniors", [], ["seniors"], []),
    ("Rīga + families", ["LV-RIX"], ["families_children"], []),
    ("transport", [], [], ["transport"]),
]


def _filtered(
    form: str, municipalities: list[str], groups: list[str], capabilities: list[str]
) -> Any:
    from django.db.models import Exists, OuterRef, Q

    from noturiba.network.models import Municipality, Organisation, OrganisationCapability

    def having(related: Any) -> Q:
        if form == "in":
            return Q(pk__in=related.values("organisation_id"))
        return Q(Exists(related.filter(organisation_id=OuterRef("pk"))))

    queryset = Organisation.objects.all()
    if municipalities:
        codes = Municipality.objects.filter(code__in=municipalities).values("pk")
        covering = Organisation.municipalities.through.objects.filter(municipality_id__in=codes)
        queryset = queryset.filter(having(covering) | Q(municipality_id__in=codes))
    if groups:
        serving = Organisation.target_groups.through.objects.filter(targetgroup__code__in=groups)
        queryset = queryset.filter(having(serving))
    if capabilities:
        offering = OrganisationCapability.objects.filter(
            capability__code__in=capabilities, quantity__gt=0
        )
        queryset = queryset.filter(having(offering))
    return queryset.order_by("name", "id")


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_database_arguments(parser)
    parser.add_argument("--repeat", type=int, default=11, help="timed runs per measurement")
    args = parser.parse_args()
    common.seeded_database(
        args.database,
        args.data_dir,
        args.pg_name,
        "directory",
        scale={"orgs": common.DEFAULT_ORGS, "people": common.DEFAULT_PEOPLE, "seed": 2026},
        fresh=False,
    )
    common.emit(
        common.header(
            f"Facet filters: EXISTS against id IN (…) ({common.database_label()})",
            [f"median of {args.repeat} runs per figure, milliseconds, in-process ORM"],
        )
    )
    rows = []
    for name, municipalities, groups, capabilities in CASES:
        for form in ("exists", "in"):
            queryset = _filtered(form, municipalities, groups, capabilities)
            count = _median_ms(queryset.count, args.repeat)
            first = _median_ms(lambda q=queryset: list(q[:25]), args.repeat)
            deep = _median_ms(lambda q=queryset: list(q[2475:2500]), args.repeat)
            rows.append(
                [name, form, f"{count:.1f}", f"{first:.1f}", f"{deep:.1f}", f"{count + first:.1f}"]
            )
    common.emit(
        common.markdown_table(
            ["filters", "form", "count", "page 1", "page 100", "count + page 1"], rows
        )
    )


if __name__ == "__main__":
    main()
