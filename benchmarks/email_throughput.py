"""Email throughput: alert emails sent by 1 and by 2 task workers to a local SMTP server.

An organisation with 2,000 members (each with an email address) receives an alert: the real
``actions.send_alert`` writes the deliveries and queues ``deliver_batch`` tasks of 500. Task
workers run as ``noturiba run_worker`` processes (what ``noturiba serve`` starts), already idle
and polling when the alert is sent; they build each message (text, HTML, CAP file) and hand it
over SMTP to an aiosmtpd server in this process that only counts what it receives. The figure is
messages per second:

- end to end: from the commit of ``send_alert`` until every delivery is *sent* (polled every
  0.1 s; includes the workers' 1 s queue polling);
- steady: (n - 1) ÷ the time between the first and the last delivery's ``sent_at``.

The per-channel rate limit is raised for the measurement (``NOTURIBA_EMAIL_RATE``, default here
10,000 per second) so that the machine is measured, not the limit.

    .venv/bin/python -m benchmarks.email_throughput --database sqlite
    .venv/bin/python -m benchmarks.email_throughput --database postgres
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import common

ROOT = Path(__file__).resolve().parent.parent


class CountingHandler:
    """An aiosmtpd handler that accepts every message and counts them."""

    def __init__(self) -> None:
        self.messages = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def seed(people: int) -> tuple[Any, Any, Any]:
    """A coordinator, an organisation in Ogre with ``people`` members, and the Ogre municipality."""
    from noturiba.accounts.models import User
    from noturiba.network.models import Membership, Municipality, Organisation, Person

    ogre = Municipality.objects.get(code="LV-067")
    actor = User.objects.filter(email="bench.coordinator@noturiba.example").first()
    if actor is None:
        actor = User.objects.create_user(
            "bench.coordinator@noturiba.example",
            "bench-password-not-used",
            full_name="Bench Coordinator",
            is_coordinator=True,
        )
    organisation, created = Organisation.objects.get_or_create(
        registration_number="40008999999",
        defaults={"name": "Ogres brīvprātīgie", "municipality": ogre},
    )
    if created or organisation.memberships.count() != people:
        Membership.objects.filter(organisation=organisation).delete()
        Person.objects.filter(email__endswith="@mail.bench.example").delete()
        members = Person.objects.bulk_create(
            Person(full_name=f"Brīvprātīgais {n}", email=f"v{n}@mail.bench.example")
            for n in range(people)
        )
        Membership.objects.bulk_create(
            Membership(person=person, organisation=organisation) for person in members
        )
    return actor, organisation, ogre


def clean_up() -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from noturiba.alerts.models import Alert, Delivery

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Delivery._meta.db_table}")
        cursor.execute(f"DELETE FROM {DBTaskResult._meta.db_table}")
    Alert.objects.all().delete()


def start_workers(count: int, env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "noturiba.cli", "run_worker"]
    return [
        subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,  # one line per task
        )
        for _ in range(count)
    ]


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def one_run(
    actor: Any, ogre: Any, workers: int, env: dict[str, str], handler: CountingHandler
) -> dict[str, float]:
    from django.db import connection
    from django.db.models import Max, Min

    from noturiba.alerts import actions
    from noturiba.alerts.models import Delivery

    clean_up()
    processes = start_workers(workers, env)
    try:
        time.sleep(4)  # the workers load Django and start polling the queue
        alert = actions.create_alert(
            actor,
            data={"event": "Plūdi", "headline": "Plūdi Ogrē", "description": "Ūdens ceļas."},
            municipalities=[ogre],
        )
        received_before = handler.messages
        started = time.perf_counter()
        total = actions.send_alert(actor, alert=alert)
        committed = time.perf_counter()
        deadline = committed + 600
        pending = Delivery.objects.filter(alert=alert, state__in=["queued", "sending"])
        while pending.exists():
            if time.perf_counter() > deadline:
                raise SystemExit("The deliveries were not sent within 10 minutes.")
            connection.close()  # a fresh snapshot each poll
            time.sleep(0.1)
        finished = time.perf_counter()
    finally:
        stop_workers(processes)
    sent = Delivery.objects.filter(alert=alert, state="sent")
    span = sent.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    steady_seconds = (span["last"] - span["first"]).total_seconds()
    count = sent.count()
    return {
        "deliveries": total,
        "sent": count,
        "received": handler.messages - received_before,
        "send_alert": committed - started,
        "end_to_end_seconds": finished - committed,
        "end_to_end_rate": count / (finished - committed),
        "steady_rate": (count - 1) / steady_seconds if steady_seconds > 0 else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_database_arguments(parser)
    parser.set_defaults(pg_name="noturiba_bench_email")
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=2, help="per number of workers")
    parser.add_argument("--workers", type=int, action="append", help="default: 1 and 2")
    parser.add_argument("--email-rate", type=int, default=10_000, help="NOTURIBA_EMAIL_RATE")
    args = parser.parse_args()

    if args.database == "postgres":
        common.drop_postgres_database(args.pg_name)
    elif args.data_dir is None:
        shutil.rmtree(common.default_data_dir("email", args.database), ignore_errors=True)
    common.configure(args.database, args.data_dir, args.pg_name, "email")
    from aiosmtpd.controller import Controller

    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "noturiba.settings",
        "NOTURIBA_EMAIL_HOST": "127.0.0.1",
        "NOTURIBA_EMAIL_PORT": str(port),
        "NOTURIBA_EMAIL_RATE": str(args.email_rate),
        "NOTURIBA_EMAIL_FROM": "Noturība <brideni@noturiba.example.lv>",
    }
    os.environ.update({k: env[k] for k in ("NOTURIBA_EMAIL_RATE", "NOTURIBA_EMAIL_FROM")})
    actor, _organisation, ogre = seed(args.people)
    baseline = common.insert_baseline()

    results: dict[int, list[dict[str, float]]] = {}
    try:
        for workers in args.workers or [1, 2]:
            results[workers] = [
                one_run(actor, ogre, workers, env, handler) for _ in range(args.runs)
            ]
    finally:
        controller.stop()

    rows = []
    for workers, runs in results.items():
        rows.append(
            [
                workers,
                f"{statistics.median(run['end_to_end_rate'] for run in runs):,.0f}",
                f"{statistics.median(run['steady_rate'] for run in runs):,.0f}",
                " / ".join(f"{run['end_to_end_seconds']:.1f}" for run in runs),
                " / ".join(f"{run['sent']:,.0f} of {run['deliveries']:,.0f}" for run in runs),
                " / ".join(f"{run['received']:,.0f}" for run in runs),
            ]
        )
    common.emit(
        common.header(
            f"Email throughput ({common.database_label()})",
            [
                f"one alert to {args.people:,} people (one organisation in Ogre), email only; "
                f"deliver_batch tasks of 500; {args.runs} runs per number of workers",
                "workers: `noturiba run_worker` processes (django-tasks-db, 1 s queue polling); "
                "SMTP: aiosmtpd on 127.0.0.1 in the benchmark process, counting only",
                f"NOTURIBA_EMAIL_RATE={args.email_rate} (raised from the default 20 per second "
                "so the machine is measured, not the limit)",
                f"baseline in the same run: raw executemany INSERT into a temporary table, "
                f"{baseline:,.0f} rows/s",
            ],
        )
    )
    common.emit(
        common.markdown_table(
            [
                "workers",
                "messages/s end to end (median)",
                "messages/s steady (median)",
                "seconds per run",
                "sent",
                "received by SMTP",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
