"""Demo generation time: ``noturiba demo`` at 30,000 organisations and 100,000 people.

Each run starts from an empty database (reference data only) and generates the network in
one transaction, as ``noturiba demo --orgs 30000 --people 100000 --seed 2026`` does.

    .venv/bin/python -m benchmarks.demo_generation --database sqlite
    .venv/bin/python -m benchmarks.demo_generation --database postgres

Target: 30,000 organisations in under a minute.
"""

from __future__ import annotations

import argparse
import shutil
import time

from benchmarks import common

TARGET_SECONDS = 60.0


class StageTimes:
    """Wall and CPU seconds of each stage ``generate_demo`` reports."""

    def __init__(self, clock: common.CpuClock) -> None:
        self.clock = clock
        self.last = (time.perf_counter(), clock.now_ns())
        self.rows: list[tuple[str, int, float, float]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        if done >= total:
            now = (time.perf_counter(), self.clock.now_ns())
            wall, cpu = now[0] - self.last[0], (now[1] - self.last[1]) / 1e9
            self.rows.append((stage, total, wall, cpu))
            self.last = now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_database_arguments(parser)
    parser.set_defaults(pg_name="noturiba_bench_demo")
    parser.add_argument("--orgs", type=int, default=common.DEFAULT_ORGS)
    parser.add_argument("--people", type=int, default=common.DEFAULT_PEOPLE)
    parser.add_argument("--seed", type=int, default=common.DEFAULT_SEED)
    args = parser.parse_args()

    if args.database == "postgres":
        common.drop_postgres_database(args.pg_name)
    elif args.data_dir is None:
        shutil.rmtree(common.default_data_dir("demo", args.database), ignore_errors=True)
    common.configure(args.database, args.data_dir, args.pg_name, "demo")

    from noturiba.network.demo import generate_demo

    baseline = common.insert_baseline()
    clock = common.CpuClock()
    stages = StageTimes(clock)
    started, cpu_started = time.perf_counter(), clock.now_ns()
    summary = generate_demo(
        organisations=args.orgs, people=args.people, seed=args.seed, progress=stages
    )
    total = time.perf_counter() - started
    total_cpu = (clock.now_ns() - cpu_started) / 1e9

    rows: list[list[object]] = [
        [stage, f"{count:,}", f"{wall:.2f}", f"{count / wall:,.0f}" if wall else "", f"{cpu:.2f}"]
        for stage, count, wall, cpu in stages.rows
    ]
    rows.append(
        [
            "**total (one transaction, committed)**",
            "",
            f"**{total:.1f}**",
            "",
            f"**{total_cpu:.1f}**",
        ]
    )
    common.emit(
        common.header(
            f"Demo generation ({common.database_label()})",
            [
                f"scale: {summary.organisations:,} organisations, {summary.people:,} people, "
                f"{summary.memberships:,} memberships, {summary.capabilities:,} capabilities, "
                f"{summary.municipalities_covered + summary.target_groups_served:,} "
                f"M2M links, {summary.agreements:,} agreements (seed {args.seed})",
                "starts from an empty database with reference data; in-process; "
                "CPU = CPU time of this process and (PostgreSQL) its server backend",
                f"baseline in the same run: raw executemany INSERT into a temporary table, "
                f"{baseline:,.0f} rows/s",
            ],
        )
    )
    common.emit(common.markdown_table(["stage", "rows", "wall s", "rows/s (wall)", "CPU s"], rows))
    common.emit("")
    common.emit(
        f"Target (30,000 organisations in under {TARGET_SECONDS:.0f} s): "
        + ("met" if total < TARGET_SECONDS else "NOT met")
        + f" — {total:.1f} s wall, {total_cpu:.1f} s CPU"
    )


if __name__ == "__main__":
    main()
