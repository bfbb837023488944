"""Forms for offers, claims and transfers. They only validate input; the rules (what remains,
who may) are the actions'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from noturiba.assistance.models import Claim
from noturiba.assistance.photos import MAX_BYTES, MAX_PHOTOS

MAX_ID = 2**63 - 1


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)

    def to_python(self, value: Any) -> Any:
        text = str(value or "")
        if text and (not text.isdigit() or not 1 <= int(text) <= MAX_ID):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


def _quantity(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


class OfferForm(forms.Form):
    organisation = OrganisationChoice(
        label=_("On behalf of"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose an organisation you are an admin of.")},
    )
    quantity = _quantity(_("Quantity"))
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, OrganisationChoice)
        field.queryset = organisations


class AcceptOfferForm(forms.Form):
    quantity = forms.DecimalField(
        label=_("Accept quantity"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Empty: all that was offered."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            if len(data) > MAX_PHOTOS:
                raise forms.ValidationError(
                    _("Attach at most %(count)d photos to one update."),
                    params={"count": MAX_PHOTOS},
                    code="too_many_photos",
                )
            return [super(MultipleImageField, self).clean(item, initial) for item in data]
        if not data:
            return []
        return [super().clean(data, initial)]


PROGRESS_CHOICES = [
    (Claim.State.UNDER_WAY, _("We are on our way / at work")),
    (Claim.State.DONE, _("Done")),
    (Claim.State.COULD_NOT, _("We could not do it")),
]


class ClaimUpdateForm(forms.Form):
    state = forms.ChoiceField(label=_("What happened"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when it could not be done."),
    )
    photos = MultipleImageField(
        label=_("Photos (optional)"),
        required=False,
        help_text=_("Up to %(count)d photos, JPEG, PNG or WebP, %(size)d MB each.")
        % {"count": MAX_PHOTOS, "size": MAX_BYTES // 2**20},
    )
    photo_description = forms.CharField(
        label=_("What the photos show"),
        required=False,
        max_length=300,
        help_text=_("For people who cannot see them."),
    )

    def __init__(self, *args: Any, current_state: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [
            (str(value), label) for value, label in PROGRESS_CHOICES if value != current_state
        ]
        choices.append((current_state, _("Only a note or photos (no change)")))
        field = self.fields["state"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("state") == Claim.State.COULD_NOT and not (data.get("note") or "").strip():
            self.add_error("note", _("Say briefly why it could not be done."))
        return data


class TransferRequestForm(forms.Form):
    to_organisation = OrganisationChoice(
        label=_("Take it over for"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose an organisation you are an admin of.")},
    )
    note = forms.CharField(label=_("Why (optional)"), max_length=500, required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_organisation"]
        assert isinstance(field, OrganisationChoice)
        field.queryset = organisations
