"""Reads about the running platform."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from noturiba.web.models import WorkerHeartbeat


def platform_health() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database: dict[str, Any] = {"ok": True, "vendor": connection.vendor}
    except DatabaseError as exc:
        return {
            "status": "error",
            "database": {"ok": False, "error": exc.__class__.__name__},
            "worker": {"ok": False, "alive": 0},
        }
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    alive = WorkerHeartbeat.objects.filter(seen_at__gte=cutoff)
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    worker = {
        "ok": alive.exists(),
        "alive": alive.count(),
        "last_seen": last.isoformat() if last else None,
    }
    return {"status": "ok" if worker["ok"] else "degraded", "database": database, "worker": worker}
