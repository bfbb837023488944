"""Reads about the running platform."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Max, Q
from django.utils import timezone

from noturiba.web.models import WorkerHeartbeat


def platform_health() -> dict[str, Any]:
    """The database's and the task workers' state, in one query (which also proves the database
    answers)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    try:
        beats = WorkerHeartbeat.objects.aggregate(
            alive=Count("pk", filter=Q(seen_at__gte=cutoff)), last=Max("seen_at")
        )
    except DatabaseError as exc:
        return {
            "status": "error",
            "database": {"ok": False, "error": exc.__class__.__name__},
            "worker": {"ok": False, "alive": 0},
        }
    alive = int(beats["alive"] or 0)
    last = beats["last"]
    worker = {
        "ok": alive > 0,
        "alive": alive,
        "last_seen": last.isoformat() if last else None,
    }
    database = {"ok": True, "vendor": connection.vendor}
    return {"status": "ok" if worker["ok"] else "degraded", "database": database, "worker": worker}
