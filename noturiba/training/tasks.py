"""Training jobs run by the task worker: session reminders and the competency matrix.

Every worker (``noturiba run_worker``) runs a :class:`ReminderScheduler` thread, as it runs the CAP
poll scheduler: every :data:`REMINDER_INTERVAL_SECONDS` it sends the reminders that are due
(:func:`noturiba.training.actions.enrolment.send_due_reminders`: confirmed places in sessions
starting within 24 hours). Each reminder is claimed by a conditional UPDATE of
``reminder_sent_at``, so with several workers a person is still reminded once.

The competency matrix's counts (an aggregate over every grant held today: seconds at the scale
of the network) are computed by the :func:`refresh_competency_matrix` task and stored as a
:class:`~noturiba.training.models.CompetencyMatrixSnapshot`; the knowledge page only reads the
latest snapshot. :func:`request_matrix_refresh` enqueues the task (after commit) when certificates
are issued or revoked and when the page finds the snapshot stale, unless one is already waiting.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time

from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from noturiba.network.models import Municipality
from noturiba.training.actions.enrolment import send_due_reminders
from noturiba.training.coverage import refresh_organisation_coverage
from noturiba.training.models import CompetencyMatrixSnapshot
from noturiba.training.selectors.knowledge import (
    CHART_MONTHS,
    attendance_by_month,
    charts_to_json,
    feedback_by_month,
    knowledge_version,
    matrix_counts,
    today,
)

logger = logging.getLogger(__name__)

REMINDER_INTERVAL_SECONDS = 300
# Snapshots kept (the latest is read; a few older ones show how long refreshes took).
SNAPSHOTS_KEPT = 3
# A refresh running longer than this is taken for dead (its worker stopped) and no longer
# stops another from being enqueued.
REFRESH_RUNNING_AT_MOST = datetime.timedelta(minutes=10)


class ReminderScheduler(threading.Thread):
    """Sends due session reminders until stopped, on its own database connection."""

    def __init__(self, interval: float = REMINDER_INTERVAL_SECONDS) -> None:
        super().__init__(name="training-reminders", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                sent = send_due_reminders()
                if sent:
                    logger.info("Training reminders sent: %s", sent)
            except DatabaseError:
                logger.warning("Sending training reminders failed; trying again", exc_info=True)
            self.stopped.wait(self.interval)
        connection.close()


@task()
def refresh_competency_matrix() -> int:
    """Compute the matrix counts of every current municipality and the network's chart figures
    (attendance and feedback per month) and store them as the latest snapshot; older snapshots
    beyond :data:`SNAPSHOTS_KEPT` are deleted. The version is read before counting: a change
    committed meanwhile leaves the snapshot stale, and the next view asks for another refresh.
    The charts then lag attendance taken since the last refresh (at most until the next day's
    first view, or the next certificates issued). Returns the new snapshot's id."""
    started = time.perf_counter()
    day = today()
    version = knowledge_version()
    ids = list(Municipality.objects.current(day).values_list("pk", flat=True))
    counts: dict[str, dict[str, list[int]]] = {str(pk): {} for pk in ids}
    for (municipality_id, competency_id), pair in matrix_counts(ids, day).items():
        counts[str(municipality_id)][str(competency_id)] = list(pair)
    snapshot = CompetencyMatrixSnapshot.objects.create(
        computed_at=timezone.now(),
        day=day,
        version=version,
        counts=counts,
        charts=charts_to_json(
            (
                attendance_by_month(None, months=CHART_MONTHS, day=day),
                feedback_by_month(None, months=CHART_MONTHS, day=day),
            )
        ),
        seconds=round(time.perf_counter() - started, 3),
    )
    kept = CompetencyMatrixSnapshot.objects.values_list("pk", flat=True)[:SNAPSHOTS_KEPT]
    CompetencyMatrixSnapshot.objects.exclude(pk__in=list(kept)).delete()
    logger.info("Competency matrix computed in %.1f s", snapshot.seconds)
    # Assistance matching's training coverage per organisation, from the same grants.
    refresh_organisation_coverage(day)
    return snapshot.pk


def _refresh_waiting(*, running_too: bool) -> bool:
    """Whether a refresh is already queued (and, with ``running_too``, running) in the
    database queue. Other backends (the immediate one of tests) have no queue to look at."""
    if not isinstance(refresh_competency_matrix.get_backend(), DatabaseBackend):
        return False
    waiting = DBTaskResult.objects.filter(
        task_path=refresh_competency_matrix.module_path, status=TaskResultStatus.READY
    )
    if running_too:
        waiting = waiting | DBTaskResult.objects.filter(
            task_path=refresh_competency_matrix.module_path,
            status=TaskResultStatus.RUNNING,
            started_at__gte=timezone.now() - REFRESH_RUNNING_AT_MOST,
        )
    return waiting.exists()


def request_matrix_refresh(*, running_too: bool = False) -> None:
    """Enqueue :func:`refresh_competency_matrix` after the current transaction commits, unless
    one is already queued. After a change (certificates issued or revoked) a running refresh
    does not count, since it may have read the data before the change (``running_too`` False);
    the page, which shows the snapshot stale whoever runs, counts it (``running_too`` True)."""

    def enqueue() -> None:
        if not _refresh_waiting(running_too=running_too):
            refresh_competency_matrix.enqueue()

    transaction.on_commit(enqueue)
