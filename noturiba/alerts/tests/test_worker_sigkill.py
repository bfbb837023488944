"""Nothing lost, nothing twice: a worker killed with SIGKILL in the middle of a 10,000-delivery
fan-out, a new worker started, and every delivery ends sent — each idempotency key received, at
most the message in flight at the kill received twice.

The worker runs as a real subprocess (``manage.py run_worker``) on the test's own database, so
the test commits for real (``transaction=True``) and hands the database name to the subprocess.
The SMS gateway is a small threaded HTTP server on loopback that records the idempotency key of
every request it accepts — duplicates included: it does not de-duplicate.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from noturiba.accounts.models import User
from noturiba.alerts import actions
from noturiba.alerts.models import Alert, Delivery
from noturiba.alerts.tasks import deliver_batch
from noturiba.network.models import Membership, Municipality, Organisation, Person

logger = logging.getLogger(__name__)
pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
PEOPLE = 10_000
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Half-way, and in the middle of a task's batch of 500 (not at a batch's end).
KILL_AFTER = PEOPLE // 2 + 250
LEASE_SECONDS = 3
# A guard against a hung worker, not a timing assertion (~25 s on SQLite, ~50 s on PostgreSQL
# on an idle machine).
DEADLINE_SECONDS = 300


class Receiver(ThreadingHTTPServer):
    """The SMS gateway: accepts every message, keeps every key it was given (twice if twice)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.keys: list[str] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sms"

    def received(self) -> list[str]:
        with self.lock:
            return list(self.keys)


class _Handler(BaseHTTPRequestHandler):
    server: Receiver
    protocol_version = "HTTP/1.1"  # keep-alive, as the SMS channel keeps its connection
    disable_nagle_algorithm = True  # headers and body are two writes: no delayed-ACK stall

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        key = self.headers.get("Idempotency-Key", "")
        assert json.loads(body)["reference"] == key
        with self.server.lock:
            self.server.keys.append(key)
            number = len(self.server.keys)
        answer = json.dumps({"id": f"gw-{number}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return None


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def worker_env(receiver: Receiver) -> dict[str, str]:
    """The subprocess's environment: this test's database, the fake gateway, a short lease."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="noturiba.alerts.tests.worker_settings",
        NOTURIBA_TEST_DATABASE_NAME=str(connection.settings_dict["NAME"]),
        NOTURIBA_SMS_URL=receiver.url,
        NOTURIBA_SMS_RATE="1000000",
        NOTURIBA_DELIVERY_LEASE_SECONDS=str(LEASE_SECONDS),
        NOTURIBA_LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    return env


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.05"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stop(worker: subprocess.Popen[bytes]) -> str:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    return (worker.stderr.read() if worker.stderr else b"").decode(errors="replace")[-3000:]


def count(alert: Alert, *states: str) -> int:
    return Delivery.objects.filter(alert=alert, state__in=states).count()


def make_audience(organisation: Organisation) -> None:
    people = Person.objects.bulk_create(
        Person(full_name=f"Brīvprātīgais {n}", phone=f"+3712{n:07d}", preferred_channels=["sms"])
        for n in range(PEOPLE)
    )
    Membership.objects.bulk_create(
        (Membership(person=person, organisation=organisation) for person in people),
        batch_size=2000,
    )


def ogre_alert() -> Alert:
    alert = Alert.objects.create(event="Plūdi", headline="Plūdi Ogrē", instruction="Augstāk!")
    alert.municipalities.set([Municipality.objects.get(code="LV-067")])
    return alert


def test_a_worker_killed_mid_fan_out_loses_nothing_and_repeats_at_most_the_message_in_flight(
    coordinator: User, org_a: Organisation, receiver: Receiver, settings: Any
) -> None:
    settings.TASKS = DATABASE_QUEUE
    make_audience(org_a)
    alert = ogre_alert()
    assert actions.send_alert(coordinator, alert=alert) == PEOPLE
    env = worker_env(receiver)
    deadline = time.monotonic() + DEADLINE_SECONDS
    began = time.monotonic()

    first = start_worker(env)
    try:
        while count(alert, Delivery.State.SENT) < KILL_AFTER:
            assert first.poll() is None, stop(first)
            assert time.monotonic() < deadline, "the first worker sent too slowly"
            time.sleep(0.02)
        logger.warning("half sent after %.1f s", time.monotonic() - began)
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        stop(first)
    time.sleep(0.2)  # let the gateway finish a request the worker had already sent
    sent_at_kill = count(alert, Delivery.State.SENT)
    claimed_at_kill = count(alert, Delivery.State.SENDING)
    received_at_kill = len(receiver.received())
    in_flight = received_at_kill - sent_at_kill  # accepted by the gateway, not marked sent
    assert KILL_AFTER <= sent_at_kill < PEOPLE

    second = start_worker(env)
    try:
        while count(alert, Delivery.State.QUEUED, Delivery.State.SENDING):
            assert second.poll() is None, stop(second)
            assert time.monotonic() < deadline, "the second worker did not finish in time"
            time.sleep(0.1)
    finally:
        logger.warning(
            "second worker done after %.1f s; left %s",
            time.monotonic() - began,
            count(alert, Delivery.State.QUEUED, Delivery.State.SENDING),
        )
        errors = stop(second)

    keys = set(Delivery.objects.filter(alert=alert).values_list("idempotency_key", flat=True))
    received = receiver.received()
    twice = {key: n for key, n in Counter(received).items() if n > 1}
    logger.warning(  # the figures the issue asks for (shown with -s or -rA)
        f"killed after {sent_at_kill} sent; {claimed_at_kill} claimed by the dead worker; "
        f"{in_flight} accepted by the gateway but unrecorded; received twice: {len(twice)}"
    )
    assert count(alert, Delivery.State.SENT) == PEOPLE, errors
    assert set(received) == keys
    assert len(twice) <= in_flight <= 1
    assert all(n == 2 for n in twice.values())
    assert Alert.objects.get(pk=alert.pk).state == Alert.State.SENT


def test_the_same_batch_run_twice_by_the_queue_sends_each_message_once(
    coordinator: User, org_a: Organisation, receiver: Receiver, settings: Any
) -> None:
    settings.TASKS = DATABASE_QUEUE
    settings.SMS_GATEWAY = {**settings.SMS_GATEWAY, "url": receiver.url}
    settings.ALERT_CHANNEL_RATE_PER_SECOND = {"sms": 1_000_000}
    people = Person.objects.bulk_create(
        Person(full_name=f"P {n}", phone=f"+3712{n:07d}", preferred_channels=["sms"])
        for n in range(40)
    )
    Membership.objects.bulk_create(Membership(person=p, organisation=org_a) for p in people)
    alert = ogre_alert()
    actions.send_alert(coordinator, alert=alert)  # one batch, enqueued once committed
    ids = list(Delivery.objects.filter(alert=alert).values_list("pk", flat=True))
    deliver_batch.enqueue(ids)  # the same batch again
    deliver_batch.enqueue(ids[:10])  # and part of it a third time

    call_command("run_worker", batch=True, interval=0.0, verbosity=0)

    received = receiver.received()
    assert len(received) == len(set(received)) == 40
    assert count(alert, Delivery.State.SENT) == 40
