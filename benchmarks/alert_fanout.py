"""Alert fan-out: ``actions.send_alert`` to 100,000 people, until the tasks are queued.

The database holds the demo network (``noturiba demo``: organisations and 100,000 people who are
members of them). Each run creates a national alert (every municipality as its area) as a
coordinator and times ``actions.send_alert`` called outside any transaction: the audience query,
the channel chosen per person, the delivery rows written, the alert marked *sending*, the
commit, and the ``deliver_batch`` tasks (500 deliveries each) enqueued by ``on_commit``. No
worker runs. After each run the alert, its deliveries and the tasks are deleted (untimed), so
every run starts from the same database. One more instrumented run times the stages apart.

    .venv/bin/python -m benchmarks.alert_fanout --database sqlite
    .venv/bin/python -m benchmarks.alert_fanout --database postgres

Target: under 5 s for 100,000 people.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from benchmarks import common

TARGET_SECONDS = 5.0


def coordinator() -> Any:
    from noturiba.accounts.models import User

    user = User.objects.filter(email="bench.coordinator@noturiba.example").first()
    if user is None:
        user = User.objects.create_user(
            "bench.coordinator@noturiba.example",
            "bench-password-not-used",
            full_name="Bench Coordinator",
            is_coordinator=True,
        )
    return user


def new_alert(actor: Any) -> Any:
    from noturiba.alerts import actions
    from noturiba.network.models import Municipality

    return actions.create_alert(
        actor,
        data={
            "event": "Plūdi",
            "headline": "Plūdi visā Latvijā",
            "description": "Ūdens līmenis upēs ceļas.",
            "instruction": "Sekojiet pašvaldības norādēm.",
            "headline_en": "Floods across Latvia",
        },
        municipalities=Municipality.objects.all(),
    )


def clean_up(alert_id: int) -> None:
    """Delete the alert, its deliveries and every queued task (raw SQL: the ORM's cascade would
    load 100,000 rows)."""
    from django.db import connection, transaction
    from django_tasks_db.models import DBTaskResult

    from noturiba.alerts.models import Alert, Delivery

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Delivery._meta.db_table} WHERE alert_id = %s", [alert_id])
        cursor.execute(f"DELETE FROM {DBTaskResult._meta.db_table}")
        Alert.objects.filter(pk=alert_id).delete()


def timed_send(actor: Any, clock: common.CpuClock) -> tuple[float, float, int, int]:
    """Wall s, CPU s, deliveries, tasks of one ``send_alert``."""
    from django_tasks_db.models import DBTaskResult

    from noturiba.alerts import actions

    alert = new_alert(actor)
    started, cpu_started = time.perf_counter(), clock.now_ns()
    count = actions.send_alert(actor, alert=alert)
    wall, cpu = time.perf_counter() - started, (clock.now_ns() - cpu_started) / 1e9
    tasks = DBTaskResult.objects.count()
    clean_up(alert.pk)
    return wall, cpu, count, tasks


def stages(actor: Any, clock: common.CpuClock) -> list[tuple[str, float, float]]:
    """The parts of ``send_alert`` timed apart (same calls, same transaction boundaries)."""
    from django.db import transaction
    from django.utils import timezone

    from noturiba.alerts import actions
    from noturiba.alerts.outbox import write_deliveries
    from noturiba.alerts.selectors import (
        PlannedDelivery,
        alert_filters,
        audience_for,
        planned_deliveries,
    )

    alert = new_alert(actor)
    rows: list[tuple[str, float, float]] = []
    last = (time.perf_counter(), clock.now_ns())

    def mark(label: str) -> None:
        nonlocal last
        now = (time.perf_counter(), clock.now_ns())
        rows.append((label, now[0] - last[0], (now[1] - last[1]) / 1e9))
        last = now

    with transaction.atomic():
        planned = [
            p
            for p in planned_deliveries(audience_for(alert_filters(alert)))
            if isinstance(p, PlannedDelivery)
        ]
        mark(f"audience query and channel choice ({len(planned):,} people)")
        ids = write_deliveries(alert, planned, created_at=timezone.now().replace(microsecond=0))
        mark(f"write_deliveries ({len(ids):,} rows, ids read back)")
    mark("commit")
    actions._enqueue(actions.batches(ids, actions.BATCH_SIZE))
    mark(f"enqueue {len(actions.batches(ids, actions.BATCH_SIZE))} deliver_batch tasks")
    clean_up(alert.pk)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_database_arguments(parser)
    parser.set_defaults(pg_name="noturiba_bench_alerts")
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=common.DEFAULT_PEOPLE)
    parser.add_argument("--seed", type=int, default=common.DEFAULT_SEED)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="seed the database anew")
    args = parser.parse_args()

    _directory, seeded = common.seeded_database(
        args.database,
        args.data_dir,
        args.pg_name,
        "alerts",
        scale={"orgs": args.orgs, "people": args.people, "seed": args.seed},
        fresh=args.fresh,
    )
    from noturiba.alerts.models import Alert
    from noturiba.network.models import Membership, Person

    for stale in Alert.objects.values_list("pk", flat=True):
        clean_up(stale)
    actor = coordinator()
    members = Person.objects.filter(pk__in=Membership.objects.values("person_id")).count()
    baseline = common.insert_baseline()
    clock = common.CpuClock()

    timed_send(actor, clock)  # warm-up: imports, templates, caches, statement preparation
    runs = [timed_send(actor, clock) for _ in range(args.runs)]
    parts = stages(actor, clock)

    walls = common.percentiles([run[0] for run in runs])
    cpus = common.percentiles([run[1] for run in runs])
    deliveries, tasks = runs[-1][2], runs[-1][3]
    common.emit(
        common.header(
            f"Alert fan-out ({common.database_label()})",
            [
                f"scale: {members:,} people who are members of organisations "
                f"(demo: {args.orgs:,} organisations, {args.people:,} people, seed {args.seed}; "
                f"{seeded})",
                f"{deliveries:,} deliveries and {tasks} deliver_batch tasks per run; "
                f"{args.runs} timed runs after one warm-up; in-process, no worker running",
                "timed: `actions.send_alert(coordinator, alert=…)` outside any transaction, "
                "until it returns (committed, tasks enqueued on commit)",
                "CPU = CPU time of this process and (PostgreSQL) its server backend",
                f"baseline in the same run: raw executemany INSERT into a temporary table, "
                f"{baseline:,.0f} rows/s",
            ],
        )
    )
    common.emit(
        common.markdown_table(
            ["run", "wall s", "CPU s", "deliveries/s (wall)"],
            [
                [index + 1, f"{wall:.2f}", f"{cpu:.2f}", f"{count / wall:,.0f}"]
                for index, (wall, cpu, count, _tasks) in enumerate(runs)
            ],
        )
    )
    verdict = "met" if walls.p50 < TARGET_SECONDS else "**not met**"
    common.emit(
        f"\nmedian {walls.p50:.2f} s, p95 {walls.p95:.2f} s wall; median {cpus.p50:.2f} s, "
        f"p95 {cpus.p95:.2f} s CPU. Target (under {TARGET_SECONDS:.0f} s): {verdict}.\n"
    )
    common.emit("Stages of one more run, timed apart:\n")
    common.emit(
        common.markdown_table(
            ["stage", "wall s", "CPU s"],
            [[label, f"{wall:.2f}", f"{cpu:.2f}"] for label, wall, cpu in parts],
        )
    )


if __name__ == "__main__":
    main()
