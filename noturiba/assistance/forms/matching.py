"""Forms for "who can help": how many of the best-ranked organisations to invite."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from noturiba.assistance.actions.matching import MAX_INVITED

DEFAULT_INVITED = 5


class InviteForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many of the best-ranked organisations to invite"),
        min_value=1,
        max_value=MAX_INVITED,
        initial=DEFAULT_INVITED,
        help_text=_("Between 1 and %(max)s. Organisations invited before are not invited again.")
        % {"max": MAX_INVITED},
        error_messages={
            "required": _("Say how many organisations to invite."),
            "invalid": _("Enter a whole number."),
        },
    )
