"""Import throughput: a realistic 10,000-row directory file, parsed, validated and applied.

The file is what Latvian CSO lists look like: semicolon-separated, Windows-1257 (or UTF-8),
Latvian headings, decimal commas, municipality and target-group names in Latvian, a contact
person per row and capability columns. Its rows come from the demo generator, so they are
plausible and valid. Measured in-process through ``noturiba.network.imports``:

1. read + validate + preview (``build_preview``) against an empty directory;
2. apply (``apply_import``): every organisation and contact created, audited;
3. the same file again with changed descriptions: every row an update by registration number.

    .venv/bin/python -m benchmarks.import_throughput --database sqlite
    .venv/bin/python -m benchmarks.import_throughput --database postgres

Each run starts from an empty database. Target: 10,000 rows in under 10 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import time
from dataclasses import dataclass
from typing import Any

from benchmarks import common

TARGET_SECONDS = 10.0
LEGAL_FORM_WORDS = {
    "association": "biedrība",
    "foundation": "nodibinājums",
    "religious": "reliģiska organizācija",
    "trade_union": "arodbiedrība",
    "social_enterprise": "sociālais uzņēmums",
    "other": "cits",
}
SCOPE_WORDS = {
    "local": "vietēja",
    "regional": "reģionāla",
    "national": "nacionāla",
    "thematic": "tematiska",
}


def _decimal_comma(value: Any) -> str:
    return str(value).replace(".", ",")


def _national_format(phone: str) -> str:
    """``+37160012345`` → ``600 12 345``, as people type Latvian numbers."""
    digits = phone.removeprefix("+371")
    return f"{digits[:3]} {digits[3:5]} {digits[5:]}" if digits else ""


def build_file(rows: int, seed: int, encoding: str, *, description_suffix: str = "") -> bytes:
    """A directory file of ``rows`` organisations (each with one contact person)."""
    from noturiba.network.demo.build import build_network
    from noturiba.network.demo.write import reference_values
    from noturiba.network.models import CapabilityType, Municipality, TargetGroup

    reference = reference_values()
    network = build_network(reference, organisations=rows, people=rows, seed=seed)
    municipality_names = dict(Municipality.objects.values_list("id", "name_lv"))
    group_names = dict(TargetGroup.objects.values_list("id", "name_lv"))
    capabilities = list(CapabilityType.objects.order_by("sort_order").values_list("id", "name_lv"))
    covered: dict[int, list[str]] = {}
    for position, municipality_id in network.coverage:
        covered.setdefault(position, []).append(municipality_names[municipality_id])
    served: dict[int, list[str]] = {}
    for position, group_id in network.serving:
        served.setdefault(position, []).append(group_names[group_id])
    offered: dict[int, dict[int, str]] = {}
    for position, capability in network.capabilities:
        offered.setdefault(position, {})[capability.capability_id] = _decimal_comma(
            f"{capability.quantity.normalize():f}"
        )
    contact = {spec.organisation: spec for spec in network.memberships if spec.role == "admin"}

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "Nosaukums",
            "Reģistrācijas numurs",
            "Juridiskā forma",
            "Darbības mērogs",
            "Apraksts",
            "Mājaslapa",
            "E-pasts",
            "Tālrunis",
            "Adrese",
            "Novads",
            "Darbības teritorija",
            "Mērķa grupas",
            "Platums",
            "Garums",
            "Publisks",
            "Kontaktpersona",
            "Kontaktpersonas e-pasts",
            "Kontaktpersonas tālrunis",
            "Kontaktpersonas amats",
            *[name for _id, name in capabilities],
        ]
    )
    for position, organisation in enumerate(network.organisations):
        spec = contact.get(position)
        person = network.people[spec.person] if spec else None
        quantities = offered.get(position, {})
        writer.writerow(
            [
                organisation.name,
                organisation.registration_number,
                LEGAL_FORM_WORDS[organisation.legal_form],
                SCOPE_WORDS[organisation.scope],
                organisation.description + description_suffix,
                organisation.website,
                organisation.email,
                _national_format(organisation.phone),
                organisation.address,
                municipality_names.get(organisation.municipality_id or 0, ""),
                ", ".join(covered.get(position, [])),
                ", ".join(served.get(position, [])),
                _decimal_comma(organisation.latitude),
                _decimal_comma(organisation.longitude),
                "jā" if organisation.is_public else "nē",
                person.full_name if person else "",
                person.email if person else "",
                _national_format(person.phone) if person else "",
                spec.title if spec else "",
                *[quantities.get(capability_id, "") for capability_id, _name in capabilities],
            ]
        )
    return buffer.getvalue().encode(encoding)


@dataclass
class Stage:
    wall: float
    cpu: float


def measure(content: bytes, filename: str) -> tuple[Stage, Stage, Any, Any]:
    """Preview then apply ``content``: wall and CPU seconds of each, the preview, the result."""
    from noturiba.network.imports import apply_import, build_preview

    clock = common.CpuClock()
    started, cpu_started = time.perf_counter(), clock.now_ns()
    preview = build_preview(content, filename)
    previewed, cpu_previewed = time.perf_counter(), clock.now_ns()
    if not preview.is_valid:
        errors = "\n".join(str(error) for error in preview.errors[:10])
        raise SystemExit(f"The generated file is not valid:\n{preview.file_error}\n{errors}")
    result = apply_import(None, preview=preview)
    applied, cpu_applied = time.perf_counter(), clock.now_ns()
    return (
        Stage(previewed - started, (cpu_previewed - cpu_started) / 1e9),
        Stage(applied - previewed, (cpu_applied - cpu_previewed) / 1e9),
        preview,
        result,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_database_arguments(parser)
    parser.set_defaults(pg_name="noturiba_bench_import")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--encoding", choices=("cp1257", "utf-8", "utf-8-sig"), default="cp1257")
    args = parser.parse_args()

    # Every run starts from an empty directory: a fresh SQLite file or PostgreSQL database.
    if args.database == "postgres":
        common.drop_postgres_database(args.pg_name)
    elif args.data_dir is None:
        shutil.rmtree(common.default_data_dir("import", args.database), ignore_errors=True)
    common.configure(args.database, args.data_dir, args.pg_name, "import")

    baseline = common.insert_baseline()
    content = build_file(args.rows, args.seed, args.encoding)
    changed = build_file(args.rows, args.seed, args.encoding, description_suffix=" Atjaunots.")
    first_preview, first_apply, preview, result = measure(content, "organizacijas.csv")
    second_preview, second_apply, _preview2, result2 = measure(changed, "organizacijas.csv")

    def line(label: str, stage: Stage, target: bool = False) -> list[str]:
        verdict = ""
        if target:
            verdict = (
                f"{'yes' if stage.wall < TARGET_SECONDS else '**no**'} / "
                f"{'yes' if stage.cpu < TARGET_SECONDS else '**no**'}"
            )
        return [
            label,
            f"{stage.wall:.2f}",
            f"{args.rows / stage.wall:,.0f}",
            f"{stage.cpu:.2f}",
            f"{args.rows / stage.cpu:,.0f}" if stage.cpu else "",
            verdict,
        ]

    def total(first: Stage, second: Stage) -> Stage:
        return Stage(first.wall + second.wall, first.cpu + second.cpu)

    rows = [
        line("new file: read, validate, preview", first_preview),
        line(
            f"new file: apply ({result.organisations_created:,} organisations and "
            f"{result.people_created:,} people created)",
            first_apply,
        ),
        line("**new file: total**", total(first_preview, first_apply), target=True),
        line("re-import: read, validate, preview (matches by reg. number)", second_preview),
        line(
            f"re-import: apply ({result2.organisations_updated:,} organisations updated)",
            second_apply,
        ),
        line("**re-import: total**", total(second_preview, second_apply), target=True),
    ]
    common.emit(
        common.header(
            f"Import throughput ({common.database_label()})",
            [
                f"file: {args.rows:,} rows × {len(content.splitlines()[0].split(b';'))} columns, "
                f"semicolon-separated, {args.encoding}, {len(content) / 1024**2:.1f} MB "
                f"({preview.rows:,} rows read)",
                "each run starts from an empty directory; in-process, one transaction per apply",
                "CPU = CPU time of this process and (PostgreSQL) its server backend",
                f"baseline in the same run: raw executemany INSERT into a temporary table, "
                f"{baseline:,.0f} rows/s",
            ],
        )
    )
    common.emit(
        common.markdown_table(
            ["stage", "wall s", "rows/s (wall)", "CPU s", "rows/s (CPU)", "< 10 s (wall / CPU)"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
