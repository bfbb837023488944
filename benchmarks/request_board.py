"""The request board (``/requests/``) with 5,000 open requests.

Seeded here (``bulk_create``, a few seconds): 5,000 open requests across the 42 municipalities
(a fifth of them in Rīga, a tenth in Ogre), deadlines from two days past to five days ahead,
each with 1–3 lines of the capability catalogue, about half of the lines partly or wholly
claimed (``RequestLine.claimed``, with a ``Claim`` row of one of 50 organisations), and 500
closed or cancelled requests beside them.

Server time: the page is requested in-process through Django's full stack with
``django.test.Client`` (middleware, view, the tabs' aggregate, the page of 50 rows with their
lines, the template) as a coordinator (every request), as an officer of Ogre (one
municipality) and as an organisation member (requests offered to the network, plus the
organisation's claims: the policy's filter joins claims, invitations and offers in a ``pk IN``
subquery); median and p95 of ``--iterations`` requests after warm-up.

    .venv/bin/python -m benchmarks.request_board --database sqlite
    .venv/bin/python -m benchmarks.request_board --database postgres

Target: under 150 ms server time with 5,000 open requests.
"""

from __future__ import annotations

import argparse
import datetime
import random
import time
from decimal import Decimal
from typing import Any

from benchmarks import common

TARGET_MS = 150.0
OPEN = 5_000
ENDED = 500
ORGANISATIONS = 50
TITLE = "Bench request"
COORDINATOR_EMAIL = "bench.board.coordinator@noturiba.example"
OFFICER_EMAIL = "bench.board.officer@noturiba.example"
MEMBER_EMAIL = "bench.board.member@noturiba.example"


def seed(rng: random.Random) -> str:
    """The requests, lines and claims (kept when the database already has them)."""
    from django.db import transaction
    from django.utils import timezone

    from noturiba.assistance.models import AssistanceRequest, Claim, RequestLine
    from noturiba.network.models import CapabilityType, Municipality, Organisation

    if AssistanceRequest.objects.filter(title__startswith=TITLE).count() == OPEN + ENDED:
        return "reused"
    started = time.perf_counter()
    with transaction.atomic():
        AssistanceRequest.objects.filter(title__startswith=TITLE).delete()
        municipalities = list(Municipality.objects.current())
        riga = Municipality.objects.get(code="LV-RIX")
        ogre = Municipality.objects.get(code="LV-067")
        capabilities = list(CapabilityType.objects.all())
        organisations = list(Organisation.objects.filter(name__startswith="Bench board org"))
        for index in range(len(organisations), ORGANISATIONS):
            organisations.append(
                Organisation.objects.create(
                    name=f"Bench board org {index:02d}",
                    registration_number=f"4{index:010d}",
                    municipality=rng.choice(municipalities),
                )
            )
        now = timezone.now()
        requests = []
        for index in range(OPEN + ENDED):
            draw = rng.random()
            place = riga if draw < 0.2 else ogre if draw < 0.3 else rng.choice(municipalities)
            ended = index >= OPEN
            requests.append(
                AssistanceRequest(
                    title=f"{TITLE} {index:05d}",
                    description="Seeded by benchmarks/request_board.py",
                    municipality=place,
                    urgency=rng.choice(AssistanceRequest.UrgencyChoice.values),
                    deadline=now + datetime.timedelta(minutes=rng.randint(-2 * 1440, 5 * 1440)),
                    contact_name="Bench",
                    offered_to_network=rng.random() < 0.8,
                    state=rng.choice(["closed", "cancelled"]) if ended else "open",
                    closed_at=now if ended else None,
                )
            )
        AssistanceRequest.objects.bulk_create(requests, batch_size=1000)
        lines = []
        for request in requests:
            for position in range(rng.randint(1, 3)):
                capability = rng.choice(capabilities)
                quantity = Decimal(rng.randint(1, 200))
                share = rng.choice([0, 0, 0.3, 0.5, 1])
                lines.append(
                    RequestLine(
                        request=request,
                        capability=capability,
                        quantity=quantity,
                        unit=capability.unit,
                        claimed=Decimal(int(quantity * Decimal(share))),
                        position=position,
                    )
                )
        RequestLine.objects.bulk_create(lines, batch_size=2000)
        Claim.objects.bulk_create(
            [
                Claim(line=line, organisation=rng.choice(organisations), quantity=line.claimed)
                for line in lines
                if line.claimed > 0
            ],
            batch_size=2000,
        )
    common.analyse()
    return f"seeded now in {time.perf_counter() - started:.1f} s"


def user(email: str, **extra: Any) -> Any:
    from noturiba.accounts.models import User

    found = User.objects.filter(email=email).first()
    return found or User.objects.create_user(email, None, full_name=email, **extra)


def client_for(account: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(account)
    return client


def officer_client() -> Any:
    """An officer of Ogre municipality's commission."""
    from noturiba.network.models import Institution, Municipality, Person

    account = user(OFFICER_EMAIL)
    if not Person.objects.filter(user=account).exists():
        institution = Institution.objects.create(
            name="Bench board commission", kind=Institution.Kind.MUNICIPALITY
        )
        institution.municipalities.set([Municipality.objects.get(code="LV-067")])
        Person.objects.create(full_name="Bench Officer", user=account, institution=institution)
    return client_for(account)


def member_client() -> Any:
    """A member of one of the seeded organisations (which holds claims)."""
    from noturiba.network.models import Membership, Organisation, Person

    account = user(MEMBER_EMAIL)
    if not Person.objects.filter(user=account).exists():
        person = Person.objects.create(full_name="Bench Member", user=account)
        organisation = Organisation.objects.filter(name__startswith="Bench board org").first()
        assert organisation is not None, "seed() made them"
        Membership.objects.create(
            person=person, organisation=organisation, role=Membership.Role.MEMBER
        )
    return client_for(account)


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


def measure(client: Any, path: str, iterations: int, warmup: int) -> dict[str, Any]:
    from django.db import connection

    for _ in range(warmup):
        response = client.get(path)
        assert response.status_code == 200, response.status_code
    log = SqlLog()
    with connection.execute_wrapper(log):
        client.get(path)
    clock = common.CpuClock()
    wall, cpu = [], []
    for _ in range(iterations):
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_database_arguments(parser)
    parser.set_defaults(pg_name="noturiba_bench_requests")
    parser.add_argument("--seed", type=int, default=common.DEFAULT_SEED)
    parser.add_argument("--iterations", type=int, default=20, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per case")
    args = parser.parse_args()

    common.configure(args.database, args.data_dir, args.pg_name, "request-board")
    how = seed(random.Random(args.seed))
    from django.urls import reverse

    board = reverse("assistance:board")
    coordinator = client_for(user(COORDINATOR_EMAIL, is_coordinator=True))
    officer, member = officer_client(), member_client()
    cases = [
        ("coordinator, all open (default tab)", coordinator, board),
        ("coordinator, partly covered tab", coordinator, f"{board}?status=partly"),
        ("coordinator, overdue tab, page 2", coordinator, f"{board}?status=overdue&page=2"),
        ("coordinator, all open, transport only", coordinator, f"{board}?capability=transport"),
        ("officer of Ogre, all open", officer, board),
        ("organisation member, all open", member, board),
    ]
    common.emit(
        common.header(
            f"Request board ({common.database_label()})",
            [
                f"scale: {OPEN:,} open and {ENDED:,} closed requests with 1–3 lines each, about "
                f"half of the lines claimed by {ORGANISATIONS} organisations ({how})",
                f"{args.iterations} timed requests per case after {args.warmup} warm-up "
                "requests; server time in-process (django.test.Client); CPU = this process "
                "and (PostgreSQL) its server backend",
            ],
        )
    )
    rows, met = [], True
    for name, client, path in cases:
        result = measure(client, path, args.iterations, args.warmup)
        ok = result["wall"].p50 < TARGET_MS
        met = met and ok
        rows.append(
            [
                name,
                f"{result['wall'].p50:.0f}",
                f"{result['wall'].p95:.0f}",
                f"{result['cpu'].p50:.0f}",
                f"{result['cpu'].p95:.0f}",
                result["queries"],
                f"{result['slowest'][0]:.0f}",
                "yes" if ok else "**no**",
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
                f"p50 < {TARGET_MS:.0f} ms",
            ],
            rows,
        )
    )
    common.emit("")
    common.emit(
        f"Target (median server time under {TARGET_MS:.0f} ms with {OPEN:,} open requests, "
        f"every case): {'met' if met else 'NOT met'}."
    )


if __name__ == "__main__":
    main()
