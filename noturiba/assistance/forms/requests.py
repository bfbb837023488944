"""Forms of the request pages: the request's facts, its lines (a formset), closing and
cancelling.

Times are typed and shown in Europe/Riga (the site's time zone). Rules joining several fields
(coordinates in pairs and within Latvia, the time window in order, the municipality an officer
may post in, the quantity of a claimed line) are the action's, shown here by field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from noturiba.accounts import policy
from noturiba.alerts.models import Alert
from noturiba.alerts.selectors import visible_alerts
from noturiba.assistance.actions.requests import MAX_REASON, REQUEST_FIELDS
from noturiba.assistance.models import AssistanceRequest, RequestLine
from noturiba.assistance.selectors.requests import capabilities, postable_municipalities
from noturiba.network.models import Municipality, Unit
from noturiba.network.validators import clean_phone

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = str

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
BLANK_LINES = 3  # blank rows of a new request's form without JavaScript
MAX_FORM_LINES = 50
PREFIX = "lines"


class RigaDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _datetime(
    label: StrOrPromise, *, required: bool = True, help_text: StrOrPromise = ""
) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=RigaDateTimeInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M"],
        help_text=help_text,
    )


def _coordinate(label: StrOrPromise, help_text: StrOrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=8,
        decimal_places=5,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
    )


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class RequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What is needed, and for whom"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    municipality = MunicipalityChoiceField(
        queryset=Municipality.objects.none(), label=_("Municipality")
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    latitude = _coordinate(_("Latitude"), _("Optional, e.g. 56.81620. Both or neither."))
    longitude = _coordinate(_("Longitude"), _("Optional, e.g. 24.61400."))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=AssistanceRequest.UrgencyChoice.choices)
    starts_at = _datetime(_("Needed from"), required=False, help_text=_("Riga time. Optional."))
    ends_at = _datetime(_("Needed until"), required=False, help_text=_("Riga time. Optional."))
    deadline = _datetime(_("Help in place by"), help_text=_("Riga time."))
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        required=False,
        help_text=_("For example +371 20 000 000."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    alert = forms.ModelChoiceField(
        queryset=Alert.objects.none(),
        label=_("Related alert"),
        required=False,
        empty_label=_("— none —"),
    )
    offered_to_network = forms.BooleanField(
        label=_("Offer to the whole network"),
        required=False,
        initial=True,
        help_text=_(
            "Every organisation sees the request and may offer. Otherwise only the "
            "organisations invited see it."
        ),
    )
    offers_need_approval = forms.BooleanField(
        label=_("Offers need my approval"),
        required=False,
        help_text=_("Otherwise an offer becomes a claim at once, while quantity remains."),
    )

    def __init__(
        self,
        *args: Any,
        actor: policy.Actor,
        request: AssistanceRequest | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        municipalities = postable_municipalities(actor)
        alerts = visible_alerts(actor)
        if request is not None:  # a request keeps its place and alert
            municipalities = municipalities | Municipality.objects.filter(
                pk=request.municipality_id
            )
            if request.alert_id is not None:
                alerts = alerts | Alert.objects.filter(pk=request.alert_id)
        fields["municipality"].queryset = municipalities.distinct().order_by("name_lv")
        fields["alert"].queryset = alerts.order_by("-created_at", "-id")

    def clean_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("contact_phone") or "")

    @classmethod
    def initial_for(cls, request: AssistanceRequest) -> dict[str, Any]:
        return {name: getattr(request, name) for name in REQUEST_FIELDS}

    def data_for_action(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in REQUEST_FIELDS}


class CapabilityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class LineForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    capability = CapabilityChoiceField(queryset=capabilities(), label=_("What is needed"))
    quantity = forms.DecimalField(
        label=_("Quantity"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    unit = forms.ChoiceField(
        label=_("Unit"),
        required=False,
        choices=[("", _("the capability's unit")), *Unit.choices],
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)
    remove = forms.BooleanField(
        label=_("Remove this line"),
        required=False,
        help_text=_("Only while no organisation has offered for or claimed any of it."),
    )

    def line_for_action(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data.get(name)
            for name in ("capability", "quantity", "unit", "notes")
        }
        if self.cleaned_data.get("id"):
            data["id"] = self.cleaned_data["id"]
            if self.cleaned_data.get("remove"):
                data["remove"] = True
        return data


class BaseLineFormSet(forms.BaseFormSet):
    """Blank rows are left out; at least one line is needed."""

    def clean(self) -> None:
        if any(self.errors):
            return
        if not [form for form in self.filled_forms() if not form.cleaned_data.get("remove")]:
            raise ValidationError(
                _("Add at least one line: what is needed, and how much."), code="no_lines"
            )

    def filled_forms(self) -> list[LineForm]:
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and (form.cleaned_data.get("id") or form.has_changed())
        ]

    def without_errors(self) -> None:
        """Show what was typed without checking it (after "Add another line")."""
        vars(self)["_errors"] = []
        vars(self)["_non_form_errors"] = self.error_class(error_class="nonform")
        for form in self.forms:
            vars(form)["_errors"] = ErrorDict()

    def add_non_form_errors(self, messages: list[str]) -> None:
        vars(self)["_non_form_errors"] = self.error_class(
            [*self.non_form_errors(), *messages], error_class="nonform"
        )

    def lines_for_action(self) -> list[dict[str, Any]]:
        return [form.line_for_action() for form in self.filled_forms()]


def line_formset(
    data: Any = None, *, lines: list[RequestLine] | None = None, add_row: bool = False
) -> BaseLineFormSet:
    """The lines' formset: the request's existing lines (with their id) and blank rows; with
    ``add_row`` (the "Add another line" button), the posted rows and one blank row more."""
    initial = [
        {
            "id": line.pk,
            "capability": line.capability_id,
            "quantity": line.quantity,
            "unit": line.unit,
            "notes": line.notes,
        }
        for line in lines or []
    ]
    extra = BLANK_LINES if not lines else 1
    formset_class = forms.formset_factory(
        LineForm,
        formset=BaseLineFormSet,
        extra=extra,
        max_num=MAX_FORM_LINES,
        absolute_max=MAX_FORM_LINES,
        validate_max=True,
    )
    if data is not None and add_row:
        data = data.copy()
        try:
            total = int(data.get(f"{PREFIX}-TOTAL_FORMS", 0))
        except (TypeError, ValueError):
            total = 0
        data[f"{PREFIX}-TOTAL_FORMS"] = str(min(max(total, 0) + 1, MAX_FORM_LINES))
    return cast(BaseLineFormSet, formset_class(data, initial=initial or None, prefix=PREFIX))


class CancelRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the request cancelled?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the request and kept in its history."),
    )
