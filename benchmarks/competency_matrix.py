"""The competency matrix (``/training/knowledge/``) over 100,000 people and 500,000 attendances.

The database holds the demo network (``noturiba demo``: organisations across the 42
municipalities and 100,000 people who are members of them, the same seeding as the directory
benchmark) and, on top, a training history seeded here: 12 competencies (4 never expire, the
others after 12, 24 or 36 months), 8 courses of 2–3 modules, 20,000 past sessions over six
years with 25 enrolments each (**500,000 enrolments with attendance**: 80 % present, 10 %
partly, 10 % absent), a certificate per completed enrolment (0.5 % revoked) and one competency
grant per competency of the course (about 1,000,000 grants), feedback from a third of the last
year's attendees and 40 upcoming sessions.

Server time: the page is requested in-process through Django's full stack with
``django.test.Client`` (middleware, view, queries, template and the SVG charts) as a
coordinator (42 municipalities) and as an officer of one municipality; median and p95 of
``--iterations`` requests after warm-up.

    .venv/bin/python -m benchmarks.competency_matrix --database sqlite
    .venv/bin/python -m benchmarks.competency_matrix --database postgres
    .venv/bin/python -m benchmarks.competency_matrix --database sqlite --index none

``--index proposed`` (the default) creates the two indexes the matrix query wants (training
migration 0003 has them too); ``--index none`` drops them, to show the difference.

The page never runs the matrix aggregate: it reads the latest snapshot, which the task worker's
``refresh_competency_matrix`` computes. Cases: the snapshot current (the normal case), with the
charts' figures cached (as every view within 5 minutes of another) and not cached (the cache
emptied before every request); the snapshot stale (the page shows it, checks the queue and asks
for a refresh: its version is changed before every request, so every request does so); and the
refresh task itself, timed apart (the worker runs it, not a request). Target: under 300 ms
server time for the page.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import time
from typing import Any

from benchmarks import common

TARGET_MS = 300.0
SESSIONS = 20_000
PER_SESSION = 25
UPCOMING = 40
CHUNK = 500  # sessions written per round (12,500 enrolments)
COORDINATOR_EMAIL = "bench.coordinator@noturiba.example"
OFFICER_EMAIL = "bench.officer@noturiba.example"
VALIDITY = [24, 12, 36, None, 24, None, 12, 36, None, 24, None, 12]  # months, per competency

# The indexes the matrix query wants (training migration 0003; dropped with ``--indexes none``):
# every grant's (person, competency, validity) read from the index alone, in person order; the
# few revoked certificates found without reading every certificate.
INDEXES = {
    "training_grant_matrix": (
        "training_competencygrant",
        "(person_id, competency_id, valid_until, acquired_on, certificate_id)",
    ),
    "training_certificate_revoked": (
        "training_certificate",
        "(revoked_at) WHERE revoked_at IS NOT NULL",
    ),
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def curriculum() -> tuple[list[Any], list[Any], dict[int, list[Any]]]:
    """12 competencies, 12 modules (one each), 8 courses of 2–3 modules: (competencies,
    courses, competencies by course)."""
    from noturiba.training.models import Competency, Course, CourseModule, Module

    competencies, modules = [], []
    for index, months in enumerate(VALIDITY, start=1):
        competency, _ = Competency.objects.get_or_create(
            code=f"bench-c{index:02}",
            defaults={
                "name_lv": f"Kompetence {index}",
                "name_en": f"Competency {index}",
                "validity_months": months,
                "sort_order": index,
            },
        )
        module, _ = Module.objects.get_or_create(
            code=f"bench-m{index:02}",
            defaults={"name_lv": f"Modulis {index}", "name_en": f"Module {index}", "hours": 4},
        )
        module.competencies.set([competency])
        competencies.append(competency)
        modules.append(module)
    courses, conferred = [], {}
    rng = random.Random(12)
    for index in range(1, 9):
        course, _ = Course.objects.get_or_create(
            code=f"bench-course{index}",
            defaults={"name_lv": f"Kurss {index}", "name_en": f"Course {index}"},
        )
        chosen = rng.sample(range(12), rng.choice((2, 3)))
        for position, module_index in enumerate(chosen):
            CourseModule.objects.get_or_create(
                course=course, module=modules[module_index], defaults={"position": position}
            )
        courses.append(course)
        conferred[course.pk] = [competencies[i] for i in chosen]
    return competencies, courses, conferred


def seed_training(seed: int) -> dict[str, int]:
    """Write the training history (see the module text); returns the row counts."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from noturiba.network.models import Membership, Municipality
    from noturiba.training.models import (
        Certificate,
        CompetencyGrant,
        Enrolment,
        Feedback,
        TrainingSession,
    )

    rng = random.Random(seed)
    _competencies, courses, conferred = curriculum()
    people = sorted(set(Membership.objects.values_list("person_id", flat=True)))
    names = dict(Membership.objects.values_list("person_id", "person__full_name"))
    municipalities = list(Municipality.objects.current().values_list("pk", flat=True))
    now = timezone.now()
    counts = {"sessions": 0, "enrolments": 0, "certificates": 0, "grants": 0, "feedback": 0}
    for first in range(0, SESSIONS, CHUNK):
        with transaction.atomic():
            sessions = []
            for _ in range(min(CHUNK, SESSIONS - first)):
                starts = now - datetime.timedelta(days=rng.randint(1, 6 * 365), hours=2)
                sessions.append(
                    TrainingSession(
                        course=rng.choice(courses),
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=6),
                        municipality_id=rng.choice(municipalities),
                        capacity=PER_SESSION,
                        status=TrainingSession.Status.PUBLISHED,
                        published_at=starts - datetime.timedelta(days=30),
                        results_closed_at=starts + datetime.timedelta(days=1),
                    )
                )
            TrainingSession.objects.bulk_create(sessions)
            enrolments = []
            for session in sessions:
                for person_id in rng.sample(people, PER_SESSION):
                    roll = rng.random()
                    attendance = (
                        Enrolment.Attendance.PRESENT
                        if roll < 0.8
                        else Enrolment.Attendance.PARTIAL
                        if roll < 0.9
                        else Enrolment.Attendance.ABSENT
                    )
                    enrolments.append(
                        Enrolment(
                            session=session,
                            person_id=person_id,
                            status=Enrolment.Status.CONFIRMED,
                            attendance=attendance,
                            hours_attended=Decimal(6 if roll < 0.8 else 3 if roll < 0.9 else 0),
                            attendance_recorded_at=session.ends_at,
                        )
                    )
            Enrolment.objects.bulk_create(enrolments, batch_size=2000)
            certificates, feedback = [], []
            year_ago = now - datetime.timedelta(days=365)
            for enrolment in enrolments:
                session = enrolment.session
                if enrolment.attendance == Enrolment.Attendance.ABSENT:
                    continue
                if session.starts_at >= year_ago and rng.random() < 0.33:
                    feedback.append(
                        Feedback(
                            enrolment=enrolment,
                            overall=rng.randint(3, 5),
                            content=rng.randint(2, 5),
                            trainer=rng.randint(3, 5),
                            relevance=rng.randint(2, 5),
                        )
                    )
                if enrolment.attendance != Enrolment.Attendance.PRESENT:
                    continue
                completed = timezone.localtime(session.starts_at).date()
                revoked = rng.random() < 0.005
                certificates.append(
                    Certificate(
                        enrolment=enrolment,
                        person_id=enrolment.person_id,
                        course=session.course,
                        holder_name=names.get(enrolment.person_id, ""),
                        course_name_lv=session.course.name_lv,
                        course_name_en=session.course.name_en,
                        hours=Decimal(6),
                        issuer_name="Noturība",
                        completed_on=completed,
                        revoked_at=now if revoked else None,
                        revocation_reason="bench" if revoked else "",
                    )
                )
            Certificate.objects.bulk_create(certificates, batch_size=2000)
            Feedback.objects.bulk_create(feedback, batch_size=2000)
            grants = []
            for certificate in certificates:
                for competency in conferred[certificate.course_id]:
                    months = competency.validity_months
                    grants.append(
                        CompetencyGrant(
                            person_id=certificate.person_id,
                            competency=competency,
                            certificate=certificate,
                            acquired_on=certificate.completed_on,
                            valid_until=None
                            if months is None
                            else add_months(certificate.completed_on, months),
                        )
                    )
            CompetencyGrant.objects.bulk_create(grants, batch_size=2000)
        counts["sessions"] += len(sessions)
        counts["enrolments"] += len(enrolments)
        counts["certificates"] += len(certificates)
        counts["grants"] += len(grants)
        counts["feedback"] += len(feedback)
        common.emit(
            f"  seeded {counts['sessions']:,} sessions, {counts['enrolments']:,} enrolments, "
            f"{counts['grants']:,} grants"
        )
    upcoming = []
    for index in range(UPCOMING):
        starts = now + datetime.timedelta(days=7 + index * 3)
        upcoming.append(
            TrainingSession(
                course=courses[index % len(courses)],
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=6),
                municipality_id=None if index % 4 == 0 else rng.choice(municipalities),
                mode=TrainingSession.Mode.ONLINE if index % 4 == 0 else "in_person",
                capacity=PER_SESSION,
                status=TrainingSession.Status.PUBLISHED,
                published_at=now,
            )
        )
    TrainingSession.objects.bulk_create(upcoming)
    counts["sessions"] += len(upcoming)
    return counts


def seeded(args: argparse.Namespace) -> tuple[str, dict[str, int]]:
    directory, network = common.seeded_database(
        args.database,
        args.data_dir,
        args.pg_name,
        "competency-matrix",
        scale={"orgs": args.orgs, "people": args.people, "seed": args.seed},
        fresh=args.fresh,
    )
    marker = directory / "bench-training.json"
    if network == "reused" and marker.exists():
        return "demo network reused, training history reused", json.loads(marker.read_text())
    started = time.perf_counter()
    counts = seed_training(args.seed)
    common.analyse()
    marker.write_text(json.dumps(counts))
    return (
        f"demo network {network}; training history seeded in {time.perf_counter() - started:.0f} s",
        counts,
    )


def set_indexes(wanted: str) -> None:
    """Create (``proposed``) or drop (``none``) the indexes of ``INDEXES``, afresh each run."""
    from django.db import connection

    with connection.cursor() as cursor:
        for name, (table, definition) in INDEXES.items():
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
            if wanted == "proposed":
                cursor.execute(f"CREATE INDEX {name} ON {table} {definition}")
    common.analyse()


def user(email: str, **extra: Any) -> Any:
    from noturiba.accounts.models import User

    found = User.objects.filter(email=email).first()
    return found or User.objects.create_user(email, None, full_name=email, **extra)


def officer_client() -> Any:
    """An officer of the municipality with the most people (Rīga, most likely)."""
    from django.db.models import Count
    from django.test import Client

    from noturiba.network.models import Institution, Municipality, Person

    account = user(OFFICER_EMAIL)
    person = Person.objects.filter(user=account).first()
    if person is None:
        busiest = (
            Municipality.objects.annotate(n=Count("seated_organisations")).order_by("-n").first()
        )
        assert busiest is not None, "load_reference ran in configure()"
        institution = Institution.objects.create(
            name="Bench commission", kind=Institution.Kind.MUNICIPALITY
        )
        institution.municipalities.set([busiest])
        Person.objects.create(full_name="Bench Officer", user=account, institution=institution)
    client = Client()
    client.force_login(account)
    return client


def coordinator_client() -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user(COORDINATOR_EMAIL, is_coordinator=True))
    return client


class SqlLog:
    """Counts the queries and keeps the slowest one (``cursor.execute`` time)."""

    def __init__(self) -> None:
        self.count = 0
        self.slowest = (0.0, "")

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.slowest = max(self.slowest, ((time.perf_counter() - started) * 1000, sql))


def refresh() -> None:
    """Compute a current snapshot (what the worker does), untimed."""
    from noturiba.training.tasks import refresh_competency_matrix

    refresh_competency_matrix.call()


def make_stale() -> None:
    """The latest snapshot's version no longer that of the data: the page shows it and asks
    for a refresh (the first request enqueues it, the later ones find it queued)."""
    from noturiba.training.models import CompetencyMatrixSnapshot

    latest = CompetencyMatrixSnapshot.objects.first()
    assert latest is not None
    CompetencyMatrixSnapshot.objects.filter(pk=latest.pk).update(version="bench: stale")


def forget_refreshes() -> None:
    """Drop the refreshes the stale case enqueued (no worker runs them here)."""
    from django_tasks_db.models import DBTaskResult

    from noturiba.training.tasks import refresh_competency_matrix

    DBTaskResult.objects.filter(task_path=refresh_competency_matrix.module_path).delete()


def clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def nothing() -> None:
    pass


def measure(client: Any, path: str, iterations: int, warmup: int, before: Any) -> dict[str, Any]:
    """``before`` runs, untimed, before every request (emptying the charts' cache, making the
    snapshot stale, or nothing)."""
    from django.db import connection

    for _ in range(warmup):
        before()
        response = client.get(path)
        assert response.status_code == 200, response.status_code
    log = SqlLog()
    before()
    with connection.execute_wrapper(log):
        client.get(path)
    clock = common.CpuClock()
    wall, cpu = [], []
    for _ in range(iterations):
        before()
        cpu_started = clock.now_ns()
        started = time.perf_counter()
        client.get(path)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((clock.now_ns() - cpu_started) / 1e6)
    return {
        "wall": common.percentiles(wall),
        "cpu": common.percentiles(cpu),
        "queries": log.count,
        "slowest": log.slowest,
    }


def refresh_task(iterations: int) -> tuple[common.Stats, common.Stats]:
    """The worker's refresh task (``tasks.refresh_competency_matrix``: the aggregate for every
    current municipality, the snapshot saved, old ones pruned): (wall, CPU of this process
    and (PostgreSQL) its backend)."""
    clock = common.CpuClock()
    wall, cpu = [], []
    for _ in range(iterations):
        cpu_started = clock.now_ns()
        started = time.perf_counter()
        refresh()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((clock.now_ns() - cpu_started) / 1e6)
    return common.percentiles(wall), common.percentiles(cpu)


def matrix_query_alone(iterations: int) -> common.Stats:
    """The aggregate query alone (``selectors.knowledge.matrix_counts``), all municipalities:
    CPU time of this process and (PostgreSQL) its backend."""
    from noturiba.network.models import Municipality
    from noturiba.training.selectors import knowledge

    ids = list(Municipality.objects.current().values_list("pk", flat=True))
    day = knowledge.today()
    clock = common.CpuClock()
    cpu = []
    for _ in range(iterations):
        started = clock.now_ns()
        knowledge.matrix_counts(ids, day)
        cpu.append((clock.now_ns() - started) / 1e6)
    return common.percentiles(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_database_arguments(parser)
    # Not the directory benchmarks' database: seeding here must not drop theirs.
    parser.set_defaults(pg_name="noturiba_bench_matrix")
    parser.add_argument("--orgs", type=int, default=common.DEFAULT_ORGS)
    parser.add_argument("--people", type=int, default=common.DEFAULT_PEOPLE)
    parser.add_argument("--seed", type=int, default=common.DEFAULT_SEED)
    parser.add_argument("--iterations", type=int, default=30, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per case")
    parser.add_argument("--index", choices=("proposed", "none"), default="proposed")
    parser.add_argument("--seed-only", action="store_true", help="seed, then stop")
    parser.add_argument("--fresh", action="store_true", help="regenerate everything")
    args = parser.parse_args()

    how, counts = seeded(args)
    if args.seed_only:
        common.emit(f"{how}: {counts}")
        return
    set_indexes(args.index)
    from django.urls import reverse

    page = reverse("training:knowledge")
    coordinator, officer = coordinator_client(), officer_client()
    cases = [
        ("coordinator, page (snapshot current, charts cached)", coordinator, nothing),
        ("coordinator, page (snapshot current, charts not cached)", coordinator, clear_cache),
        ("coordinator, page (snapshot stale: shown + refresh queued)", coordinator, make_stale),
        ("officer (1 municipality), page (snapshot current, charts cached)", officer, nothing),
        (
            "officer (1 municipality), page (snapshot current, charts not cached)",
            officer,
            clear_cache,
        ),
    ]
    common.emit(
        common.header(
            f"Competency matrix ({common.database_label()})",
            [
                f"scale: {args.orgs:,} organisations, {args.people:,} people (demo seed "
                f"{args.seed}); {counts['enrolments']:,} enrolments with attendance, "
                f"{counts['certificates']:,} certificates, {counts['grants']:,} competency "
                f"grants, {counts['feedback']:,} feedback answers, {counts['sessions']:,} "
                f"sessions ({how})",
                "indexes: proposed — "
                + "; ".join(f"{name} ON {table} {how}" for name, (table, how) in INDEXES.items())
                if args.index == "proposed"
                else "indexes: none beyond the models'",
                f"{args.iterations} timed requests per case after {args.warmup} warm-up "
                "requests; server time in-process (django.test.Client); CPU = this process "
                "and (PostgreSQL) its server backend",
            ],
        )
    )
    rows, met, cpu_met = [], True, True
    for name, client, before in cases:
        forget_refreshes()
        refresh()
        result = measure(client, page, args.iterations, args.warmup, before)
        ok = result["wall"].p50 < TARGET_MS
        cpu_ok = result["cpu"].p50 < TARGET_MS
        met, cpu_met = met and ok, cpu_met and cpu_ok
        rows.append(
            [
                name,
                f"{result['wall'].p50:.0f}",
                f"{result['wall'].p95:.0f}",
                f"{result['cpu'].p50:.0f}",
                f"{result['cpu'].p95:.0f}",
                result["queries"],
                f"{result['slowest'][0]:.0f}",
                f"{'yes' if ok else '**no**'} / {'yes' if cpu_ok else '**no**'}",
            ]
        )
    common.emit(
        common.markdown_table(
            [
                "case",
                "wall p50 ms",
                "wall p95 ms",
                "CPU p50 ms",
                "CPU p95 ms",
                "queries",
                "slowest query ms",
                f"p50 < {TARGET_MS:.0f} ms (wall / CPU)",
            ],
            rows,
        )
    )
    forget_refreshes()
    common.emit("")
    task_wall, task_cpu = refresh_task(max(3, args.iterations // 3))
    common.emit(
        "The refresh task (run by the worker, not by a request), all municipalities: "
        f"wall p50 {task_wall.p50:.0f} ms (p95 {task_wall.p95:.0f}), CPU of this process and "
        f"its backend p50 {task_cpu.p50:.0f} ms (p95 {task_cpu.p95:.0f})."
    )
    alone = matrix_query_alone(max(3, args.iterations // 3))
    common.emit(
        f"The aggregate query alone (all municipalities), CPU of this process and its backend: "
        f"p50 {alone.p50:.0f} ms, p95 {alone.p95:.0f} ms."
    )
    common.emit("")
    common.emit(
        f"Target (median server time under {TARGET_MS:.0f} ms, wall / CPU, every page case): "
        f"{'met' if met else 'NOT met'} / {'met' if cpu_met else 'NOT met'}."
    )


if __name__ == "__main__":
    main()
