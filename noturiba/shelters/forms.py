"""Forms of the shelter pages: add/edit (managers), the operator's update, the list filters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from noturiba.accounts import policy
from noturiba.network.models import Institution, Organisation
from noturiba.network.selectors import institutions_visible_to, organisations_visible_to
from noturiba.network.validators import clean_phone
from noturiba.shelters.actions import EDITABLE_FIELDS
from noturiba.shelters.models import Shelter, ShelterUpdate

# Latvia, roughly (with a margin): coordinates outside are almost certainly a typo or swapped.
LATITUDE_RANGE = (Decimal("55.6"), Decimal("58.1"))
LONGITUDE_RANGE = (Decimal("20.9"), Decimal("28.3"))


class ShelterForm(forms.ModelForm):
    """Add or edit a shelter. Capacities follow from the floor area and are not fields."""

    class Meta:
        model = Shelter
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "latitude": forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
            "floor_area": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        }
        help_texts = {
            "latitude": _("Decimal degrees, e.g. 56.81620 (between 55.6 and 58.1 in Latvia)."),
            "longitude": _("Decimal degrees, e.g. 24.61400 (between 20.9 and 28.3 in Latvia)."),
            "floor_area": _(
                "Usable floor area. The capacities are computed from it: 0.75 m² per person "
                "for a short stay, 3.5 m² per person for longer stays (Sphere)."
            ),
            "contact_phone": _("E.g. +371 20 000 000."),
        }

    def __init__(self, *args: Any, actor: policy.Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = policy.shelter_municipalities(actor)  # type: ignore[attr-defined]
        organisations = organisations_visible_to(actor).order_by("name")
        institutions = institutions_visible_to(actor).order_by("name")
        # Keep the current operator selectable even if the actor could not pick it.
        if self.instance.pk and self.instance.operator_organisation_id:
            organisations = organisations | Organisation.objects.filter(
                pk=self.instance.operator_organisation_id
            )
        if self.instance.pk and self.instance.operator_institution_id:
            institutions = institutions | Institution.objects.filter(
                pk=self.instance.operator_institution_id
            )
        self.fields["operator_organisation"].queryset = organisations.distinct()  # type: ignore[attr-defined]
        self.fields["operator_institution"].queryset = institutions.distinct()  # type: ignore[attr-defined]
        self.fields["wheelchair_spaces"].widget.attrs["inputmode"] = "numeric"

    def clean_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("contact_phone", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if "latitude" in data and "longitude" in data:
            if (latitude is None) != (longitude is None):
                missing = "longitude" if longitude is None else "latitude"
                self.add_error(
                    missing, _("Enter both the latitude and the longitude, or leave both empty.")
                )
        if latitude is not None and not LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]:
            self.add_error(
                "latitude",
                _("The latitude must be between 55.6 and 58.1 (Latvia). Check the order."),
            )
        if longitude is not None and not LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]:
            self.add_error(
                "longitude",
                _("The longitude must be between 20.9 and 28.3 (Latvia). Check the order."),
            )
        if data.get("operator_organisation") and data.get("operator_institution"):
            self.add_error(
                "operator_institution",
                _("Choose an organisation or an institution as the operator, not both."),
            )
        return data

    def action_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


STEPS = (1, 5, 10)


class OccupancyForm(forms.Form):
    """The operator's update: status and people inside now, from a phone.

    Without JavaScript the −/+ buttons are submit buttons named ``adjust`` (value ``-5``,
    ``+1``…): the view adds the step to the typed number and shows the form again.
    """

    status = forms.ChoiceField(
        label=_("Status"), choices=Shelter.Status.choices, widget=forms.RadioSelect
    )
    occupancy = forms.IntegerField(
        label=_("People inside now"),
        min_value=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "big-number"}),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=ShelterUpdate._meta.get_field("note").max_length,  # type: ignore[arg-type]
    )


class FilterForm(forms.Form):
    """The public list's filters (a GET form; invalid values are ignored by the selector)."""

    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    kind = forms.MultipleChoiceField(
        label=_("Kind"),
        required=False,
        choices=Shelter.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    need = forms.MultipleChoiceField(
        label=_("Accessibility needs"),
        required=False,
        choices=[
            ("step_free", _("step-free entrance")),
            ("accessible_toilet", _("accessible toilet")),
            ("lift", _("lift")),
            ("hearing_loop", _("hearing loop")),
            ("wheelchair_spaces", _("space for a wheelchair")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    facility = forms.MultipleChoiceField(
        label=_("Facilities"),
        required=False,
        choices=[
            ("water", _("drinking water")),
            ("toilets", _("toilets")),
            ("heating", _("heating")),
            ("power_backup", _("backup power")),
            ("first_aid", _("first aid")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    free = forms.BooleanField(label=_("Only open shelters with free places"), required=False)

    def __init__(self, *args: Any, municipalities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("All municipalities")), *municipalities]  # type: ignore[attr-defined]


class ManageFilterForm(FilterForm):
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=Shelter.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    q = forms.CharField(label=_("Name or address"), required=False, max_length=100)
