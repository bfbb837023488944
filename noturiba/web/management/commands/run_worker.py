"""The task worker: django-tasks-db's ``db_worker`` with a heartbeat for ``/healthz``, the
scheduler that enqueues due CAP subscription polls (``noturiba.alerts.cap_tasks``) and the one
that sends training session reminders (``noturiba.training.tasks``) and the one that releases
silent assistance claims (``noturiba.assistance.tasks``)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string

from noturiba.alerts.cap_tasks import PollScheduler
from noturiba.alerts.tasks import RecoveryThread
from noturiba.assistance.tasks import SilenceScheduler
from noturiba.training.tasks import ReminderScheduler
from noturiba.web.heartbeat import HeartbeatThread, beat, forget


class Command(BaseCommand):
    help = "Run a task worker (database-backed queue) that reports a heartbeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="*")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = get_random_string(24)
        beat(worker_id)
        heartbeat = HeartbeatThread(worker_id)
        heartbeat.start()
        scheduler = PollScheduler()
        scheduler.start()
        reminders = ReminderScheduler()
        reminders.start()
        silence = SilenceScheduler()
        silence.start()
        # Deliveries whose worker died (claim lease over) go back to the queue.
        recovery = RecoveryThread()
        recovery.start()
        try:
            call_command(
                "db_worker",
                queue_name=options["queue_name"],
                interval=options["interval"],
                batch=options["batch"],
                worker_id=worker_id,
                reload=False,
                verbosity=options["verbosity"],
            )
        finally:
            silence.stopped.set()
            silence.join()
            reminders.stopped.set()
            reminders.join()
            recovery.stopped.set()
            recovery.join()
            scheduler.stopped.set()
            scheduler.join()
            # Join before forgetting: a beat still in flight would otherwise recreate the row.
            heartbeat.stopped.set()
            heartbeat.join()
            forget(worker_id)
