from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from noturiba.alerts.replies import Answer


class AcknowledgementForm(forms.Form):
    """The answer (one of three buttons) and an optional note."""

    answer = forms.ChoiceField(choices=Answer.choices)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "note-help"}),
        help_text=_("For example where you are or what help you need or can give."),
    )
