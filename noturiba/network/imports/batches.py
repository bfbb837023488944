"""Import batches: an uploaded file waits for its uploader's confirmation, then a task imports it.

upload (status *preview*) → confirm (*queued*, the task is enqueued on commit) → the task runs
(*running*) → *done* with the counts, or *failed* with the reason and nothing written. A batch
is imported at most once: confirming again, or the task being delivered twice, does nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.network.imports.preview import ImportPreview, build_preview
from noturiba.network.imports.reading import MAX_FILE_BYTES
from noturiba.network.imports.tasks import import_batch_task
from noturiba.network.models import ImportBatch

Status = ImportBatch.Status


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


@transaction.atomic
def upload_import_batch(actor: policy.Actor, *, filename: str, content: bytes) -> ImportBatch:
    """Keep an uploaded file for its preview; the uploader's older unconfirmed files go."""
    _require(policy.can_import_directory(actor))
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB.") % {"limit": MAX_FILE_BYTES // 1024**2}
        )
    ImportBatch.objects.filter(uploaded_by=actor, status=Status.PREVIEW).delete()
    return ImportBatch.objects.create(
        uploaded_by=actor, filename=filename[:255], content=content, size=len(content)
    )


def import_batches_of(actor: policy.Actor) -> QuerySet[ImportBatch]:
    """The batches ``actor`` uploaded (the file bytes are not loaded)."""
    if not policy.can_import_directory(actor):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(uploaded_by=actor).defer("content")


def get_import_batch_for_user(actor: policy.Actor, pk: int) -> ImportBatch:
    """The batch, or 404 unless ``actor`` uploaded it (and may still import)."""
    batch = ImportBatch.objects.filter(pk=pk).first()
    if batch is None or not policy.can_manage_import_batch(actor, batch):
        raise Http404
    return batch


def preview_import_batch(batch: ImportBatch) -> ImportPreview:
    return build_preview(bytes(batch.content), batch.filename)


@transaction.atomic
def confirm_import_batch(actor: policy.Actor, *, batch: ImportBatch, create_anyway: bool) -> bool:
    """Queue the import of ``batch``; False when it was already confirmed (nothing happens)."""
    _require(policy.can_manage_import_batch(actor, batch))
    locked = ImportBatch.objects.select_for_update().defer("content").get(pk=batch.pk)
    if locked.status != Status.PREVIEW:
        return False
    locked.status = Status.QUEUED
    locked.create_anyway = create_anyway
    locked.save(update_fields=["status", "create_anyway"])
    transaction.on_commit(lambda: import_batch_task.enqueue(batch_id=locked.pk))
    return True


@transaction.atomic
def retry_import_batch(actor: policy.Actor, *, batch: ImportBatch) -> bool:
    """Queue a stalled import again; False when it is not stalled (nothing happens)."""
    _require(policy.can_manage_import_batch(actor, batch))
    locked = ImportBatch.objects.select_for_update().defer("content").get(pk=batch.pk)
    if not locked.is_stalled:
        return False
    locked.status = Status.QUEUED
    locked.started_at = None
    locked.save(update_fields=["status", "started_at"])
    transaction.on_commit(lambda: import_batch_task.enqueue(batch_id=locked.pk))
    return True
