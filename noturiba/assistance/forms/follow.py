"""Forms of the follow pages: the map's filters and the situation report's period and area
(also used by its PDF and the 3W export). Both are read from the query string."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from noturiba.assistance.models import AssistanceRequest
from noturiba.assistance.selectors.follow import MapFilters, SitrepParams
from noturiba.network.models import CapabilityType, Municipality

# A longer period is refused: the report would be too long to read (and slow to build).
MAX_PERIOD_DAYS = 366


class MunicipalityChoiceField(forms.ModelChoiceField[Municipality]):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.name


class CapabilityChoiceField(forms.ModelChoiceField[CapabilityType]):
    def label_from_instance(self, obj: CapabilityType) -> str:
        return obj.name


class MapFilterForm(forms.Form):
    municipality = MunicipalityChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("all"),
        to_field_name="code",
    )
    capability = CapabilityChoiceField(
        label=_("Capability"),
        queryset=CapabilityType.objects.all(),
        required=False,
        empty_label=_("all"),
        to_field_name="code",
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=[("", _("all")), *AssistanceRequest.UrgencyChoice.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.current().order_by("name_lv")

    def filters(self) -> MapFilters:
        """The valid filters; a value that is not valid is ignored (the form shows why)."""
        if not self.is_bound:
            return MapFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return MapFilters(
            municipality=data.get("municipality"),
            capability=data.get("capability"),
            urgency=data.get("urgency") or "",
        )


class SitrepForm(forms.Form):
    """The period (Riga dates, both included) and the area, limited to ``municipalities``."""

    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)
    municipality = MunicipalityChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("all I may see"),
        to_field_name="code",
    )

    def __init__(self, *args: Any, municipalities: QuerySet[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = municipalities.order_by("name_lv")
        for name in ("date_from", "date_to"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default = SitrepParams.default()
        date_from = data.get("date_from") or default.date_from
        date_to = data.get("date_to") or default.date_to
        if data.get("date_from") and not data.get("date_to") and date_from > date_to:
            date_to = date_from
        if date_from > date_to:
            self.add_error("date_to", _("The end of the period is before its start."))
        elif (date_to - date_from) > datetime.timedelta(days=MAX_PERIOD_DAYS):
            self.add_error(
                "date_from",
                _("The period is longer than %(days)s days; choose a shorter one.")
                % {"days": MAX_PERIOD_DAYS},
            )
        data["date_from"], data["date_to"] = date_from, date_to
        return data

    def params(self) -> SitrepParams | None:
        """The report's parameters, or None when the form has errors."""
        if not self.is_valid():
            return None
        return SitrepParams(
            date_from=self.cleaned_data["date_from"],
            date_to=self.cleaned_data["date_to"],
            municipality=self.cleaned_data.get("municipality"),
        )
