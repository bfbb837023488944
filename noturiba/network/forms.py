"""Forms of the directory pages: parsing and field validation only.

Writes go through ``noturiba.network.actions``; a form's ``cleaned_data`` is what an action takes.
Model forms validate their own copy of the object (a model form changes the instance it
validates), so the action still sees the stored values and can audit what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from noturiba.lib.text import latvian_sort_key
from noturiba.network.actions import CapabilityOffer
from noturiba.network.models import (
    Agreement,
    CapabilityType,
    Institution,
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Person,
    TargetGroup,
)
from noturiba.network.selectors import DirectoryFilters
from noturiba.network.validators import clean_phone

SORT_CHOICES = [
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("-updated", _("Recently updated first")),
    ("updated", _("Least recently updated first")),
]


class DirectoryFilterForm(forms.Form):
    """Renders the directory's filters; ``DirectoryFilters.from_query`` parses them.

    Never bound: the form only shows the current filters (its ``initial``), so an unknown code
    in a bookmarked URL matches nothing instead of showing an error. The agreement filters are
    left out for those who may not filter by agreements (``institutions`` is None).
    """

    q = forms.CharField(
        label=_("Search names and descriptions"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)
    capability = forms.ChoiceField(label=_("Can offer"), required=False)
    agreement = forms.BooleanField(label=_("Has a valid cooperation agreement"), required=False)
    institution = forms.ChoiceField(label=_("Agreement with"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(
        self,
        *,
        filters: DirectoryFilters,
        municipalities: Iterable[Municipality],
        target_groups: Iterable[TargetGroup],
        capabilities: Iterable[CapabilityType] | None,
        institutions: Iterable[Institution] | None,
    ) -> None:
        super().__init__(
            initial={
                "q": filters.q,
                "municipality": next(iter(filters.municipalities), ""),
                "target_group": next(iter(filters.target_groups), ""),
                "capability": next(iter(filters.capabilities), ""),
                "agreement": filters.has_agreement,
                "institution": str(filters.institution or ""),
                "sort": filters.sort,
            }
        )
        self._choices(
            "municipality",
            _("Any municipality"),
            sorted(
                ((m.code, m.name) for m in municipalities),
                key=lambda pair: latvian_sort_key(pair[1]),
            ),
        )
        self._choices(
            "target_group", _("Any target group"), ((g.code, g.name) for g in target_groups)
        )
        if capabilities is None:
            del self.fields["capability"]
        else:
            self._choices("capability", _("Anything"), ((c.code, c.name) for c in capabilities))
        if institutions is None:
            del self.fields["agreement"]
            del self.fields["institution"]
        else:
            self._choices(
                "institution",
                _("Any institution"),
                ((str(institution.pk), institution.name) for institution in institutions),
            )

    def _choices(self, name: str, anything: Any, choices: Iterable[tuple[str, str]]) -> None:
        field = cast(forms.ChoiceField, self.fields[name])
        field.choices = [("", anything), *choices]


def https_by_default(field: Any, **kwargs: Any) -> forms.Field | None:
    """ModelForm field callback: a website typed without a scheme is taken as https://."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


def _limit_to_current(field: forms.Field, chosen: Iterable[int]) -> None:
    """Offer current municipalities, plus historical ones the object already refers to."""
    current = Municipality.objects.current().values("pk")
    choice_field = cast(forms.ModelChoiceField, field)
    choice_field.queryset = Municipality.objects.filter(Q(pk__in=current) | Q(pk__in=list(chosen)))
    # Offered in Latvian alphabetical order, whatever the database's collation.
    offered = sorted(choice_field.queryset, key=lambda m: latvian_sort_key(m.name))
    empty = [] if isinstance(field, forms.ModelMultipleChoiceField) else [("", "---------")]
    choice_field.choices = [*empty, *((m.pk, m.name) for m in offered)]


class OrganisationForm(forms.ModelForm):
    latitude = forms.DecimalField(
        label=_("latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=8,
        decimal_places=5,
        help_text=_("Decimal degrees, e.g. 56.94965"),
    )
    longitude = forms.DecimalField(
        label=_("longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=8,
        decimal_places=5,
        help_text=_("Decimal degrees, e.g. 24.10519"),
    )

    class Meta:
        model = Organisation
        formfield_callback = https_by_default
        fields = [
            "name",
            "registration_number",
            "legal_form",
            "scope",
            "description",
            "website",
            "email",
            "phone",
            "address",
            "municipality",
            "latitude",
            "longitude",
            "municipalities",
            "target_groups",
            "is_public",
        ]
        widgets = {
            "registration_number": forms.TextInput(attrs={"inputmode": "numeric"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "municipalities": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        seat = [instance.municipality_id] if instance.municipality_id else []
        covered = list(instance.municipalities.values_list("pk", flat=True)) if instance.pk else []
        _limit_to_current(self.fields["municipality"], seat)
        _limit_to_current(self.fields["municipalities"], covered)

    def clean_registration_number(self) -> str | None:
        return (self.cleaned_data.get("registration_number") or "").strip() or None

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))

    def action_data(self) -> dict[str, Any]:
        """The plain fields for ``create_organisation`` / ``update_organisation``."""
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in {"municipalities", "target_groups"}
        }


class CapabilityForm(forms.Form):
    """One line of the capability catalogue on the organisation form."""

    offered = forms.BooleanField(label=_("We can offer this"), required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    startup_hours = forms.IntegerField(
        label=_("Can start within (hours)"), required=False, min_value=0, max_value=32767
    )
    availability = forms.CharField(label=_("Availability notes"), required=False, max_length=300)

    def __init__(self, *args: Any, capability: CapabilityType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.capability = capability
        self.fields["quantity"].label = _("Quantity (%(unit)s)") % {
            "unit": capability.get_unit_display()
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("offered") and not cleaned.get("quantity"):
            self.add_error("quantity", _("Enter how much you can offer (more than 0)."))
        return cleaned

    def offer(self) -> CapabilityOffer | None:
        if not self.cleaned_data.get("offered"):
            return None
        return CapabilityOffer(
            capability=self.capability,
            quantity=self.cleaned_data["quantity"] or Decimal(0),
            startup_hours=self.cleaned_data.get("startup_hours"),
            availability=self.cleaned_data.get("availability") or "",
        )


def capability_forms(
    data: Mapping[str, Any] | None,
    catalogue: Sequence[CapabilityType],
    existing: Mapping[int, OrganisationCapability],
) -> list[CapabilityForm]:
    """One form per catalogue entry, filled with what the organisation offers now."""
    forms_: list[CapabilityForm] = []
    for capability in catalogue:
        row = existing.get(capability.pk)
        initial = (
            {
                "offered": True,
                "quantity": row.quantity,
                "startup_hours": row.startup_hours,
                "availability": row.availability,
            }
            if row is not None
            else {}
        )
        forms_.append(
            CapabilityForm(
                data, prefix=f"capability-{capability.code}", capability=capability, initial=initial
            )
        )
    return forms_


def capability_offers(forms_: Iterable[CapabilityForm]) -> list[CapabilityOffer]:
    return [offer for form in forms_ if (offer := form.offer()) is not None]


CHANNEL_ORDERS: dict[str, list[str]] = {
    "email,sms": [Person.Channel.EMAIL, Person.Channel.SMS],
    "sms,email": [Person.Channel.SMS, Person.Channel.EMAIL],
    "email": [Person.Channel.EMAIL],
    "sms": [Person.Channel.SMS],
    "": [],
}
CHANNEL_ORDER_CHOICES = [
    ("email,sms", _("Email first, then SMS")),
    ("sms,email", _("SMS first, then email")),
    ("email", _("Email only")),
    ("sms", _("SMS only")),
    ("", _("No preference")),
]


class PersonForm(forms.ModelForm):
    channels = forms.ChoiceField(
        label=_("Preferred channels"),
        choices=CHANNEL_ORDER_CHOICES,
        required=False,
        help_text=_("The order in which alerts try to reach this person."),
    )

    class Meta:
        model = Person
        fields = [
            "full_name",
            "email",
            "phone",
            "preferred_language",
            "second_contact_name",
            "second_contact_phone",
            "second_contact_email",
        ]
        labels = {"full_name": _("Full name")}
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "second_contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = ",".join(self.instance.preferred_channels or [])
        known = self.instance.pk is not None and current in CHANNEL_ORDERS
        self.fields["channels"].initial = current if known else "email,sms"

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_second_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("second_contact_phone", ""))

    def action_data(self) -> dict[str, Any]:
        """The fields for ``create_person`` / ``update_person``."""
        data = {key: value for key, value in self.cleaned_data.items() if key != "channels"}
        data["preferred_channels"] = list(CHANNEL_ORDERS[self.cleaned_data.get("channels") or ""])
        return data


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "title"]


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        formfield_callback = https_by_default
        fields = [
            "name",
            "kind",
            "is_national",
            "municipalities",
            "email",
            "phone",
            "website",
            "address",
        ]
        widgets = {
            "municipalities": forms.CheckboxSelectMultiple,
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = (
            list(self.instance.municipalities.values_list("pk", flat=True))
            if self.instance.pk
            else []
        )
        _limit_to_current(self.fields["municipalities"], chosen)

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))

    def action_data(self) -> dict[str, Any]:
        return {key: value for key, value in self.cleaned_data.items() if key != "municipalities"}


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["institution", "scope", "signed_on", "valid_until"]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 3}),
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, with_institution: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_institution:
            del self.fields["institution"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        signed_on, valid_until = cleaned.get("signed_on"), cleaned.get("valid_until")
        if signed_on and valid_until and valid_until < signed_on:
            self.add_error("valid_until", _("An agreement cannot end before it was signed."))
        return cleaned

    def action_data(self) -> dict[str, Any]:
        return {key: self.cleaned_data.get(key) for key in ("scope", "signed_on", "valid_until")}
