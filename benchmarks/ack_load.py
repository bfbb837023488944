"""Acknowledgement load: answers POSTed to /ack/<token>/ on the real web server, under wrk.

The database holds one sent alert with 20,000 deliveries (one person each). The web server is
started as ``noturiba serve`` starts it — granian, WSGI, one worker with 4 blocking threads —
but with ``benchmarks.ackbench_settings``, which adds two comparison views to the same server:
``bench/hello`` (no database) and ``bench/insert`` (one committed INSERT). wrk (32 connections,
2 threads, on the same machine) POSTs the same form with a CSRF cookie and token to each:

- the acknowledgement page, a random delivery's token each request (answers are first answers
  or changes of an earlier one; each is recorded and committed);
- ``bench/hello`` and ``bench/insert``.

The three are run in turns for several rounds; the figures are medians over the rounds. The
acknowledgement rate is reported as a ratio to the one-insert rate of the same server.

    .venv/bin/python -m benchmarks.ack_load --database sqlite
    .venv/bin/python -m benchmarks.ack_load --database postgres

Needs ``wrk`` (Debian: ``apt-get install wrk``). Target: acknowledgements at least 0.8× the
one-insert rate.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks import common

TARGET_RATIO = 0.8
ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).with_name("ack_post.lua")


def seed(deliveries: int) -> list[str]:
    """One sent alert with ``deliveries`` deliveries; returns their ack tokens."""
    from django.db import transaction
    from django.utils import timezone

    from noturiba.alerts.models import Acknowledgement, Alert, Delivery
    from noturiba.alerts.outbox import write_deliveries
    from noturiba.alerts.selectors import PlannedDelivery
    from noturiba.network.models import Person

    alert = Alert.objects.filter(headline="Ack load").first()
    if alert is None or Delivery.objects.filter(alert=alert).count() != deliveries:
        with transaction.atomic():
            Acknowledgement.objects.all().delete()
            Delivery.objects.all().delete()
            Alert.objects.all().delete()
            Person.objects.filter(email__endswith="@ack.bench.example").delete()
            people = Person.objects.bulk_create(
                Person(full_name=f"Atbildētājs {n}", email=f"p{n}@ack.bench.example")
                for n in range(deliveries)
            )
            alert = Alert.objects.create(
                event="Plūdi",
                headline="Ack load",
                description="Ūdens līmenis ceļas.",
                state=Alert.State.SENDING,
                sent=timezone.now(),
            )
            write_deliveries(
                alert,
                [PlannedDelivery(person.pk, "email", person.email) for person in people],
                created_at=timezone.now(),
            )
    return list(Delivery.objects.filter(alert=alert).values_list("ack_token", flat=True))


def create_insert_table() -> None:
    from django.db import connection

    from benchmarks.ackbench_urls import INSERT_TABLE

    key = "bigserial" if connection.vendor == "postgresql" else "integer"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {INSERT_TABLE}")
        cursor.execute(
            f"CREATE TABLE {INSERT_TABLE} "
            f"(id {key} PRIMARY KEY, answer varchar(10) NOT NULL, created_at varchar(40) NOT NULL)"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_command(port: int, workers: int, threads: int) -> list[str]:
    """granian as ``noturiba serve`` runs it (noturiba/web/management/commands/serve.py)."""
    return [
        str(Path(sys.executable).parent / "granian"),
        "--interface", "wsgi",
        "--host", "127.0.0.1",
        "--port", str(port),
        "--workers", str(workers),
        "--blocking-threads", str(threads),
        "--no-ws",
        "--log-level", "warning",
        "noturiba.wsgi:application",
    ]  # fmt: skip


def start_server(command: list[str], port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.ackbench_settings",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("The web server exited at start.") from None
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("The web server did not answer within 30 s.")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    import signal

    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def wrk(port: int, target: list[str], seconds: int, connections: int) -> dict[str, Any]:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
        "--",
        *target,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK-RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("WRK-RESULT "))
    result["rate"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_database_arguments(parser)
    parser.set_defaults(pg_name="noturiba_bench_ack")
    parser.add_argument("--deliveries", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--web-workers", type=int, default=1, help="as `noturiba serve`: 1")
    parser.add_argument("--threads", type=int, default=4, help="as `noturiba serve`: 4")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk).")

    data_dir = common.configure(args.database, args.data_dir, args.pg_name, "ack")
    tokens = seed(args.deliveries)
    create_insert_table()
    token_file = data_dir / "ack-tokens.txt"
    token_file.write_text("\n".join(tokens) + "\n")
    from django.db import connection

    from noturiba.alerts.models import Acknowledgement

    connection.close()  # the server's connections are the only ones during the measurement

    port = free_port()
    command = server_command(port, args.web_workers, args.threads)
    cases = {
        "hello (no database)": ["path", "/bench/hello"],
        "one INSERT, committed": ["path", "/bench/insert"],
        "acknowledgement (POST /ack/<token>/)": ["tokens", str(token_file)],
    }
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in cases}
    answers_before = Acknowledgement.objects.count()
    connection.close()
    server = start_server(command, port)
    try:
        for target in cases.values():  # warm-up: imports, connections, templates
            wrk(port, target, 2, args.connections)
        for _round in range(args.rounds):
            for name, target in cases.items():
                results[name].append(wrk(port, target, args.seconds, args.connections))
    finally:
        stop_server(server)
    answers_after = Acknowledgement.objects.count()

    def median(name: str, key: str) -> float:
        return statistics.median(result[key] for result in results[name])

    insert_rate = median("one INSERT, committed", "rate")
    hello_rate = median("hello (no database)", "rate")
    rows = []
    for name in cases:
        rate = median(name, "rate")
        rows.append(
            [
                name,
                f"{rate:,.0f}",
                " / ".join(f"{result['rate']:,.0f}" for result in results[name]),
                f"{median(name, 'p50_us') / 1000:.1f}",
                f"{median(name, 'p99_us') / 1000:.1f}",
                f"{rate / hello_rate:.2f}×",
                f"{rate / insert_rate:.2f}×",
                sum(r["status_errors"] + r["socket_errors"] for r in results[name]),
            ]
        )
    ack_ratio = median("acknowledgement (POST /ack/<token>/)", "rate") / insert_rate
    common.emit(
        common.header(
            f"Acknowledgement load ({common.database_label()})",
            [
                f"one sent alert, {len(tokens):,} deliveries; answers recorded during the run: "
                f"{answers_after - answers_before:,} new (the rest changed an earlier answer)",
                f"server: `{' '.join(['granian', *command[1:]])}` "
                "with DJANGO_SETTINGS_MODULE=benchmarks.ackbench_settings",
                f"load: wrk 4.1, 2 threads, {args.connections} connections, {args.seconds} s per "
                f"case, {args.rounds} rounds of the three cases after a 2 s warm-up each; "
                "client and server on the same 2 cores",
                "every request: POST, form body, CSRF cookie + token; the acknowledgement answers "
                "with a redirect (302), the others with 200",
            ],
        )
    )
    common.emit(
        common.markdown_table(
            [
                "case",
                "req/s (median)",
                "req/s per round",
                "p50 ms",
                "p99 ms",
                "÷ hello",
                "÷ one INSERT",
                "errors",
            ],
            rows,
        )
    )
    verdict = "met" if ack_ratio >= TARGET_RATIO else "**not met**"
    common.emit(
        f"\nAcknowledgements: {ack_ratio:.2f}× the one-INSERT rate "
        f"(target ≥ {TARGET_RATIO}×): {verdict}.\n"
    )


if __name__ == "__main__":
    main()
