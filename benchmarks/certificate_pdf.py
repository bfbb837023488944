"""Certificate PDF generation rate: certificates per second, as PDF bytes.

A session of ``--count`` people who all completed a two-module course is closed
(``close_results``: certificates, competency grants, audit entries), then every certificate is
rendered to PDF bytes (``render_certificate``: A4, DejaVu Sans embedded as a subset, a QR code
PNG of the verification address), and a sample is downloaded through the whole Django stack
(``GET /training/certificates/<code>.pdf`` as a coordinator, in-process with
``django.test.Client``).

    .venv/bin/python -m benchmarks.certificate_pdf --count 200
    .venv/bin/python -m benchmarks.certificate_pdf --count 200 --database postgres

Baselines in the same run: the same page's parts alone — a QR code PNG, and an fpdf2 page with
the DejaVu fonts and one line of text (the cost of embedding a font subset).
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from benchmarks import common


def _seed(count: int) -> tuple[Any, Any]:
    """A finished session of a two-module course with ``count`` people who completed it."""
    from django.utils import timezone

    from noturiba.accounts.models import User
    from noturiba.network.models import Person
    from noturiba.training.models import (
        Competency,
        Course,
        CourseModule,
        Enrolment,
        Module,
        TrainingSession,
    )

    coordinator = User.objects.create_user(
        "bench.coordinator@noturiba.example",
        "x",
        full_name="Ilze Koordinatore",
        is_coordinator=True,
    )
    trainer = User.objects.create_user(
        "bench.trainer@noturiba.example", "x", full_name="Laura Trenere", is_trainer=True
    )
    course = Course.objects.create(
        code="bench-civil-protection",
        name_lv="Civilā aizsardzība: trauksmes celšana, patvertnes un iedzīvotāju iesaiste",
        name_en="Civil protection: public alerting, shelters and community involvement",
        pass_mark=60,
    )
    for position, (name_lv, name_en, hours, months) in enumerate(
        [
            (
                "Personīgā noturība un visaptveroša valsts aizsardzība",
                "Personal resilience and comprehensive national defence",
                "6",
                36,
            ),
            ("Pirmā palīdzība krīzē", "First aid in a crisis", "4.5", 24),
        ]
    ):
        module = Module.objects.create(
            code=f"bench-m{position}", name_lv=name_lv, name_en=name_en, hours=Decimal(hours)
        )
        module.competencies.add(
            Competency.objects.create(
                code=f"bench-c{position}",
                name_lv=name_lv,
                name_en=name_en,
                validity_months=months,
            )
        )
        CourseModule.objects.create(course=course, module=module, position=position)
    end = timezone.now() - datetime.timedelta(days=1)
    session = TrainingSession.objects.create(
        course=course,
        starts_at=end - datetime.timedelta(hours=9),
        ends_at=end,
        capacity=count,
        status=TrainingSession.Status.PUBLISHED,
        published_at=end - datetime.timedelta(days=30),
    )
    session.trainers.set([trainer])
    first = ["Jānis", "Anna", "Mārtiņš", "Līga", "Kārlis", "Ilze", "Pēteris", "Rūta"]
    last = ["Bērziņš", "Kalniņa", "Ozoliņš", "Liepiņa", "Krūmiņš", "Zariņa", "Vītols", "Ābele"]
    people = Person.objects.bulk_create(
        Person(full_name=f"{first[i % 8]} {last[(i // 8) % 8]}-{i}") for i in range(count)
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            session=session,
            person=person,
            status=Enrolment.Status.CONFIRMED,
            hours_attended=Decimal("10.5"),
            attendance=Enrolment.Attendance.PRESENT,
            score=80,
        )
        for person in people
    )
    return coordinator, session


def _timed(clock: common.CpuClock, items: list[Any], work: Callable[[Any], Any]) -> dict[str, Any]:
    """Run ``work`` on every item; wall and CPU seconds in all, milliseconds per item."""
    each: list[float] = []
    results: list[Any] = []
    started, cpu_started = time.perf_counter(), clock.now_ns()
    for item in items:
        one = time.perf_counter()
        results.append(work(item))
        each.append((time.perf_counter() - one) * 1000)
    wall = time.perf_counter() - started
    cpu = (clock.now_ns() - cpu_started) / 1e9
    return {
        "count": len(items),
        "wall": wall,
        "cpu": cpu,
        "stats": common.percentiles(each),
        "results": results,
    }


def _row(label: str, measured: dict[str, Any], extra: str = "") -> list[object]:
    stats = measured["stats"]
    count, wall, cpu = measured["count"], measured["wall"], measured["cpu"]
    return [
        label,
        f"{count:,}",
        f"{wall:.2f}",
        f"**{count / wall:,.1f}**" if wall else "",
        f"{count / cpu:,.1f}" if cpu else "",
        f"{stats.p50:.1f}",
        f"{stats.p95:.1f}",
        extra,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_database_arguments(parser)
    parser.set_defaults(pg_name="noturiba_bench_certificates")
    parser.add_argument("--count", type=int, default=200, help="certificates (default: 200)")
    parser.add_argument(
        "--downloads", type=int, default=50, help="of them downloaded through Django (default: 50)"
    )
    parser.add_argument(
        "--baseline-count", type=int, default=50, help="pages of each baseline (default: 50)"
    )
    args = parser.parse_args()

    if args.database == "postgres":
        common.drop_postgres_database(args.pg_name)
    elif args.data_dir is None:
        shutil.rmtree(common.default_data_dir("certificates", args.database), ignore_errors=True)
    common.configure(args.database, args.data_dir, args.pg_name, "certificates")

    from django.test import Client
    from fpdf import FPDF

    from noturiba.training.actions.certificates import close_results
    from noturiba.training.certificate_pdf import (
        FONT,
        FONTS,
        qr_png,
        render_certificate,
        verification_url,
    )
    from noturiba.training.models import Certificate

    coordinator, session = _seed(args.count)
    clock = common.CpuClock()

    started, cpu_started = time.perf_counter(), clock.now_ns()
    close_results(coordinator, session=session)
    issue_wall = time.perf_counter() - started
    issue_cpu = (clock.now_ns() - cpu_started) / 1e9
    certificates = list(Certificate.objects.order_by("id"))
    assert len(certificates) == args.count

    def font_page(_: object) -> bytes:
        pdf = FPDF(format="A4")
        pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.add_page()
        pdf.set_font(FONT, "B", 20)
        pdf.cell(0, 10, "Sertifikāts — Jānis Bērziņš")
        return bytes(pdf.output())

    baseline_sample = certificates[: args.baseline_count]
    qr = _timed(clock, baseline_sample, lambda c: qr_png(verification_url(c.code)))
    fonts = _timed(clock, baseline_sample, font_page)
    rendered = _timed(clock, certificates, render_certificate)
    client = Client()
    client.force_login(coordinator)
    sample = certificates[: args.downloads]
    downloaded = _timed(
        clock, sample, lambda c: client.get(f"/training/certificates/{c.code}.pdf").content
    )
    assert all(body.startswith(b"%PDF") for body in downloaded["results"])
    size = sum(len(body) for body in rendered["results"]) / len(rendered["results"])

    common.emit(
        common.header(
            f"Certificate PDF generation ({common.database_label()})",
            [
                f"{args.count:,} certificates of one session (a two-module course, Latvian "
                "names), rendered one after another in one process",
                "in-process; CPU = CPU time of this process and (PostgreSQL) its server backend",
                f"mean PDF size {size / 1024:,.1f} KiB",
            ],
        )
    )
    common.emit(
        common.markdown_table(
            ["what", "count", "wall s", "per s (wall)", "per s (CPU)", "p50 ms", "p95 ms", ""],
            [
                _row("baseline: QR code PNG of the verification address", qr),
                _row("baseline: fpdf2 page, DejaVu regular + bold, one line", fonts),
                _row("**certificate PDF** (`render_certificate`)", rendered),
                _row(
                    "certificate download through Django (GET …/<code>.pdf)",
                    downloaded,
                    "coordinator, in-process client",
                ),
            ],
        )
    )
    common.emit("")
    common.emit(
        f"Issuing (`close_results`, one transaction: {args.count:,} certificates, "
        f"{2 * args.count:,} competency grants, audit entries): {issue_wall:.2f} s wall, "
        f"{issue_cpu:.2f} s CPU — {args.count / issue_wall:,.0f} certificates/s"
    )


if __name__ == "__main__":
    main()
