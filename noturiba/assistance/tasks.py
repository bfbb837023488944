"""Assistance jobs run by the task worker: claims and transfer requests left silent.

Every worker (``noturiba run_worker``) runs a :class:`SilenceScheduler` thread, as it runs the
training reminders: every :data:`SILENCE_INTERVAL_SECONDS` it calls
:func:`noturiba.assistance.actions.claims.release_silent_claims`, which approves transfer
requests unanswered for ``ASSISTANCE_TRANSFER_SILENCE_HOURS`` and releases claims with no word
for ``ASSISTANCE_CLAIM_SILENCE_HOURS``. Each row is re-checked under its line's lock, so several
workers act on it once.
"""

from __future__ import annotations

import logging
import threading

from django.db import DatabaseError, close_old_connections, connection

from noturiba.assistance.actions.claims import release_silent_claims

logger = logging.getLogger(__name__)

SILENCE_INTERVAL_SECONDS = 300


class SilenceScheduler(threading.Thread):
    """Releases silent claims and approves unanswered transfers until stopped, on its own
    database connection."""

    def __init__(self, interval: float = SILENCE_INTERVAL_SECONDS) -> None:
        super().__init__(name="assistance-silence", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                released, transferred = release_silent_claims()
                if released or transferred:
                    logger.info(
                        "Silent claims released: %s; transfers approved: %s", released, transferred
                    )
            except DatabaseError:
                logger.warning("Releasing silent claims failed; trying again", exc_info=True)
            self.stopped.wait(self.interval)
        connection.close()
