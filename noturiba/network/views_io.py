"""Pages to import the directory from a file and to export the filtered directory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from noturiba.accounts import policy
from noturiba.network.exports import EXPORT_FORMATS, export_organisations
from noturiba.network.imports import batches
from noturiba.network.imports.columns import ORGANISATION_FIELDS, PERSON_FIELDS
from noturiba.network.imports.forms import ImportConfirmForm, ImportUploadForm
from noturiba.network.imports.reading import MAX_FILE_BYTES, MAX_ROWS
from noturiba.network.selectors import DirectoryFilters, capability_catalogue

ERRORS_SHOWN = 500
ROWS_SHOWN = 20


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """The upload form, the accepted columns and the uploader's recent imports."""
    if not policy.can_import_directory(request.user):
        raise PermissionDenied
    bound = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if bound else ImportUploadForm()
    if bound and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = batches.upload_import_batch(
            request.user, filename=upload.name or "", content=upload.read()
        )
        return redirect("network:import_batch", pk=batch.pk)
    return render(
        request,
        "network/import.html",
        {
            "form": form,
            "organisation_fields": ORGANISATION_FIELDS,
            "person_fields": PERSON_FIELDS,
            "capabilities": capability_catalogue(),
            "recent": batches.import_batches_of(request.user)[:10],
            "max_megabytes": MAX_FILE_BYTES // 1024**2,
            "max_rows": MAX_ROWS,
        },
    )


@login_required
@require_GET
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview while the file waits for confirmation; then the import's progress."""
    batch = batches.get_import_batch_for_user(request.user, pk)
    context: dict[str, object] = {"batch": batch}
    if batch.status == batch.Status.PREVIEW:
        preview = batches.preview_import_batch(batch)
        errors = preview.errors
        context |= {
            "preview": preview,
            "errors": errors[:ERRORS_SHOWN],
            "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
            "sample": preview.organisations[:ROWS_SHOWN],
            "people_sample": [p for p in preview.people if not p.is_contact][:ROWS_SHOWN],
            "form": ImportConfirmForm(),
        }
    return render(request, "network/import_batch.html", context)


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batches.get_import_batch_for_user(request.user, pk)
    form = ImportConfirmForm(request.POST)
    create_anyway = form.is_valid() and form.cleaned_data["create_anyway"]
    if batches.confirm_import_batch(request.user, batch=batch, create_anyway=create_anyway):
        messages.success(request, _("The import has started."))
    else:
        messages.info(request, _("This file was already confirmed; nothing was done again."))
    return redirect("network:import_batch", pk=batch.pk)


@login_required
@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batches.get_import_batch_for_user(request.user, pk)
    if batches.retry_import_batch(request.user, batch=batch):
        messages.success(request, _("The import has started again."))
    else:
        messages.info(request, _("This import is not stalled; nothing was done."))
    return redirect("network:import_batch", pk=batch.pk)


@require_GET
def export_directory(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    """The directory's matches for the query string's filters, as a download."""
    if fmt not in EXPORT_FORMATS or not policy.can_export_directory(request.user):
        raise Http404
    filters = DirectoryFilters.from_query(request.GET)
    export = export_organisations(
        request.user, filters, fmt, base_url=request.build_absolute_uri("/")
    )
    response = StreamingHttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
