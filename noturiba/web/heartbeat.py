"""A task worker's heartbeat: a row touched every few seconds while the worker lives."""

from __future__ import annotations

import os
import socket
import threading

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from noturiba.web.models import WorkerHeartbeat

INTERVAL_SECONDS = 10


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname(), "pid": os.getpid(), "seen_at": timezone.now()},
    )


def forget(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


class HeartbeatThread(threading.Thread):
    """Beats until stopped, on its own database connection."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                beat(self.worker_id)
            except DatabaseError:
                # The database may be briefly busy or away; the next beat tries again.
                pass
            self.stopped.wait(INTERVAL_SECONDS)
        connection.close()
