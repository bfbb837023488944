"""Forms of the knowledge pages: the matrix's gap threshold, the expiring list's filters and the
invitation buttons (which person, which competency)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from noturiba.network.models import Municipality
from noturiba.training.models import Competency, CompetencyGrant

DEFAULT_THRESHOLD = Decimal("1.0")


class MatrixForm(forms.Form):
    threshold = forms.DecimalField(
        label=_("Gap below (people per 10,000 inhabitants)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(10_000),
        max_digits=7,
        decimal_places=2,
        help_text=_(
            "A cell with no one, or fewer people than this per 10,000 inhabitants, is a gap."
        ),
    )

    def threshold_value(self) -> Decimal:
        if self.is_valid() and self.cleaned_data["threshold"] is not None:
            value: Decimal = self.cleaned_data["threshold"]
            return value
        return DEFAULT_THRESHOLD


class CompetencyChoiceField(forms.ModelChoiceField[Competency]):
    def label_from_instance(self, obj: Competency) -> str:
        return obj.name


class MunicipalityChoiceField(forms.ModelChoiceField[Municipality]):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.name


class ExpiringFilter(forms.Form):
    """Which expiring competencies to list: by competency and municipality (both optional)."""

    competency = CompetencyChoiceField(
        label=_("Competency"),
        queryset=Competency.objects.all(),
        required=False,
        empty_label=_("all"),
        to_field_name="code",
    )
    municipality = MunicipalityChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("all"),
        to_field_name="code",
    )

    def __init__(self, *args: Any, municipalities: QuerySet[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = municipalities

    def query(self) -> str:
        """The filter as a query string, for the pagination links and the bulk invitation."""
        if not self.is_valid():
            return ""
        parts = []
        for name in ("competency", "municipality"):
            value = self.cleaned_data.get(name)
            if value is not None:
                parts.append(f"{name}={value.code}")
        return "&".join(parts)


class InviteForm(forms.Form):
    """One invitation: the expiring grant (its person and competency)."""

    grant = forms.ModelChoiceField(
        queryset=CompetencyGrant.objects.select_related("person", "competency"),
        widget=forms.HiddenInput,
    )
