"""The public shelter page, its GeoJSON and the managers' list with 5,000 shelters.

Seeded here (``bulk_create``, a few seconds): 5,000 shelters across the 42 municipalities (a
fifth in Rīga), 70 % public, statuses mixed (40 % open, 10 % opening, 10 % full, 40 % closed),
floor areas 20–2,000 m², occupancy up to the short-stay capacity, accessibility and facilities
drawn at random.

Server time: each page is requested in-process through Django's full stack with
``django.test.Client`` (streamed bodies read to the end); median and p95 of ``--iterations``
requests after warm-up.

    .venv/bin/python -m benchmarks.shelters_public --database sqlite
    .venv/bin/python -m benchmarks.shelters_public --database postgres

Target (informal, the issue sets none): under 150 ms for the pages; the full GeoJSON of every
public shelter is reported, not targeted.
"""

from __future__ import annotations

import argparse
import random
import time
from decimal import Decimal
from typing import Any

from benchmarks import common

TARGET_MS = 150.0
SHELTERS = 5_000
NAME = "Bench shelter"
COORDINATOR_EMAIL = "bench.shelters.coordinator@noturiba.example"


def seed(rng: random.Random) -> str:
    from django.db import transaction
    from django.utils import timezone

    from noturiba.network.models import Municipality
    from noturiba.shelters.models import Shelter

    if Shelter.objects.filter(name__startswith=NAME).count() == SHELTERS:
        return "reused"
    started = time.perf_counter()
    municipalities = list(Municipality.objects.current())
    riga = Municipality.objects.get(code="LV-RIX")
    now = timezone.now()
    statuses = ["open"] * 4 + ["opening", "full"] + ["closed"] * 4
    rows = []
    for index in range(SHELTERS):
        place = riga if rng.random() < 0.2 else rng.choice(municipalities)
        area = Decimal(rng.randint(200, 20_000)) / 10
        status = rng.choice(statuses)
        capacity = int(area / Decimal("0.75"))
        rows.append(
            Shelter(
                name=f"{NAME} {index:05d}",
                address=f"Iela {index}",
                municipality=place,
                latitude=place.latitude + Decimal(rng.randint(-500, 500)) / 10_000,
                longitude=place.longitude + Decimal(rng.randint(-500, 500)) / 10_000,
                floor_area=area,
                status=status,
                occupancy=capacity if status == "full" else rng.randint(0, capacity),
                occupancy_updated_at=now,
                is_public=rng.random() < 0.7,
                step_free=rng.random() < 0.4,
                accessible_toilet=rng.random() < 0.3,
                lift=rng.random() < 0.2,
                hearing_loop=rng.random() < 0.1,
                wheelchair_spaces=rng.choice([0, 0, 2, 4]),
                water=rng.random() < 0.8,
                toilets=rng.random() < 0.8,
                heating=rng.random() < 0.6,
                power_backup=rng.random() < 0.3,
                first_aid=rng.random() < 0.5,
            )
        )
    with transaction.atomic():
        Shelter.objects.filter(name__startswith=NAME).delete()
        Shelter.objects.bulk_create(rows, batch_size=1000)
    common.analyse()
    return f"seeded now in {time.perf_counter() - started:.1f} s"


def measure(client: Any, path: str, iterations: int, warmup: int) -> dict[str, Any]:
    def get() -> int:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return len(body)

    for _ in range(warmup):
        get()
    clock = common.CpuClock()
    wall, cpu, size = [], [], 0
    for _ in range(iterations):
        cpu_started = clock.now_ns()
        started = time.perf_counter()
        size = get()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((clock.now_ns() - cpu_started) / 1e6)
    return {"wall": common.percentiles(wall), "cpu": common.percentiles(cpu), "bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_database_arguments(parser)
    parser.set_defaults(pg_name="noturiba_bench_shelters")
    parser.add_argument("--seed", type=int, default=common.DEFAULT_SEED)
    parser.add_argument("--iterations", type=int, default=20, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per case")
    args = parser.parse_args()

    common.configure(args.database, args.data_dir, args.pg_name, "shelters")
    how = seed(random.Random(args.seed))
    from django.test import Client
    from django.urls import reverse

    from noturiba.accounts.models import User

    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first() or (
        User.objects.create_user(COORDINATOR_EMAIL, None, is_coordinator=True)
    )
    manager = Client()
    manager.force_login(coordinator)
    public = Client()
    listing = reverse("shelters:public")
    cases = [
        ("public list, page 1", public, listing, True),
        (
            "public list, step-free with free places",
            public,
            f"{listing}?need=step_free&free=1",
            True,
        ),
        ("public list, Rīga, page 3", public, f"{listing}?municipality=LV-RIX&page=3", True),
        ("public GeoJSON, every public shelter", public, reverse("shelters:geojson"), False),
        ("API list, anonymous, page 1", public, "/api/v1/shelters", True),
        ("managers' list, coordinator, page 1", manager, reverse("shelters:manage"), True),
    ]
    common.emit(
        common.header(
            f"Shelters ({common.database_label()})",
            [
                f"scale: {SHELTERS:,} shelters, 70 % public ({how})",
                f"{args.iterations} timed requests per case after {args.warmup} warm-up "
                "requests; server time in-process (django.test.Client)",
            ],
        )
    )
    rows = []
    for name, client, path, targeted in cases:
        result = measure(client, path, args.iterations, args.warmup)
        verdict = ("yes" if result["wall"].p50 < TARGET_MS else "**no**") if targeted else "—"
        rows.append(
            [
                name,
                f"{result['wall'].p50:.0f}",
                f"{result['wall'].p95:.0f}",
                f"{result['cpu'].p50:.0f}",
                f"{result['bytes'] / 1024:.0f}",
                verdict,
            ]
        )
    common.emit(
        common.markdown_table(
            [
                "case",
                "wall p50 ms",
                "wall p95 ms",
                "CPU p50 ms",
                "KiB",
                f"p50 < {TARGET_MS:.0f} ms",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
