"""The import page's forms: the upload and the confirmation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from noturiba.network.imports.reading import MAX_FILE_BYTES, MAX_ROWS


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext("At most %(megabytes)d MB and %(rows)d rows.") % {
            "megabytes": MAX_FILE_BYTES // 1024**2,
            "rows": MAX_ROWS,
        }

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB; split it into smaller files.")
                % {"limit": MAX_FILE_BYTES // 1024**2}
            )
        return upload


class ImportConfirmForm(forms.Form):
    create_anyway = forms.BooleanField(
        label=_("Create the duplicate candidates anyway"),
        help_text=_("Leave unticked to skip the rows that look like organisations already known."),
        required=False,
    )
