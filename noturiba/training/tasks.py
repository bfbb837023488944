"""Training jobs run by the task worker: session reminders.

Every worker (``noturiba run_worker``) runs a :class:`ReminderScheduler` thread, as it runs the CAP
poll scheduler: every :data:`REMINDER_INTERVAL_SECONDS` it sends the reminders that are due
(:func:`noturiba.training.actions.enrolment.send_due_reminders`: confirmed places in sessions
starting within 24 hours). Each reminder is claimed by a conditional UPDATE of
``reminder_sent_at``, so with several workers a person is still reminded once.
"""

from __future__ import annotations

import logging
import threading

from django.db import DatabaseError, close_old_connections, connection

from noturiba.training.actions.enrolment import send_due_reminders

logger = logging.getLogger(__name__)

REMINDER_INTERVAL_SECONDS = 300


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
