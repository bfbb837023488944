"""The import task: runs a confirmed import batch on a task worker (django-tasks).

``import_batch_task`` is enqueued by ``batches.confirm_import_batch`` once its transaction
commits. The body is idempotent: only a *queued* batch is claimed, so a task delivered twice
imports once.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from noturiba.network.imports.apply import ImportResult, apply_import
from noturiba.network.imports.preview import build_preview
from noturiba.network.models import ImportBatch

logger = logging.getLogger(__name__)
Status = ImportBatch.Status


@task()
def import_batch_task(batch_id: int) -> None:
    run_import_batch(batch_id)


def run_import_batch(batch_id: int) -> None:
    """Import a queued batch (the task's body). A batch not queued is left alone."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    try:
        _import(batch)
    except (PermissionDenied, ValidationError) as exc:
        _finish(batch, Status.FAILED, message=_failure(exc))
    except Exception:
        logger.exception("Import batch %s failed", batch_id)
        _finish(batch, Status.FAILED, message=_("An unexpected error stopped the import."))
        raise


@transaction.atomic
def _import(batch: ImportBatch) -> None:
    preview = build_preview(bytes(batch.content), batch.filename)
    if not preview.is_valid:
        raise ValidationError(
            ngettext(
                "The file no longer passes the checks (%(count)d error).",
                "The file no longer passes the checks (%(count)d errors).",
                preview.error_count,
            )
            % {"count": preview.error_count}
        )
    result = apply_import(batch.uploaded_by, preview=preview, create_anyway=batch.create_anyway)
    _finish(batch, Status.DONE, result=result)


def _failure(exc: PermissionDenied | ValidationError) -> str:
    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    return " ".join(messages) + " " + _("Nothing was imported.")


def _finish(
    batch: ImportBatch, status: str, *, result: ImportResult | None = None, message: str = ""
) -> None:
    batch.status = status
    batch.message = message
    batch.finished_at = timezone.now()
    batch.content = b""  # the file may hold people's contacts; it is not needed any more
    fields = ["status", "message", "finished_at", "content"]
    if result is not None:
        for name in (
            "organisations_created",
            "organisations_updated",
            "organisations_unchanged",
            "organisations_skipped",
            "people_created",
            "people_updated",
        ):
            setattr(batch, name, getattr(result, name))
            fields.append(name)
    batch.save(update_fields=fields)
