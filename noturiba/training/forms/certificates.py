"""Forms of the certificate pages: typing a verification code, revoking a certificate."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from noturiba.training.actions.certificates import REASON_MAX_LENGTH
from noturiba.training.selectors.certificates import MAX_CODE_INPUT


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=MAX_CODE_INPUT,
        help_text=_("The 12 characters printed under the QR code, e.g. 7KQ2-M9XD-4TBC."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=REASON_MAX_LENGTH,
        help_text=_(
            "Kept in the platform's records; the public verification page shows only "
            "that the certificate was revoked, and when."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
