from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from noturiba.alerts.actions import ALERT_FIELDS
from noturiba.alerts.models import Alert, SavedList
from noturiba.alerts.replies import Answer
from noturiba.alerts.selectors import AudienceFilters
from noturiba.lib.text import latvian_sort_key
from noturiba.network.forms import https_by_default
from noturiba.network.models import (
    CapabilityType,
    Membership,
    Municipality,
    Organisation,
    TargetGroup,
)


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

    @classmethod
    def answer_of(cls, data: Mapping[str, str]) -> tuple[Answer, str] | None:
        """The answer and note of a valid submission, checked without building the form.

        Everyone answering at once is an alert's busiest moment: a form instance deep-copies its
        fields, which costs as much as the answer's database statement. The rules are the
        fields' own (the answer one of the choices; the note stripped, at most ``max_length``
        characters and without NUL, as ``CharField`` checks); anything else returns None and the
        caller builds the form for its error messages.
        """
        answer = data.get("answer", "")
        note = data.get("note", "").strip()
        note_field = cls.base_fields["note"]
        assert isinstance(note_field, forms.CharField)
        too_long = len(note) > (note_field.max_length or 0)
        if answer not in Answer.values or too_long or "\x00" in note:  # as the fields refuse
            return None
        return Answer(answer), note


# --- Writing an alert ----------------------------------------------------------------------

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


def _local_datetime_field(label: Any) -> forms.DateTimeField:
    """A ``datetime-local`` input read in the site's time zone (Europe/Riga)."""
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=[LOCAL_DATETIME, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
        help_text=_("Latvian time (Europe/Riga)."),
    )


def _sorted_municipalities(queryset: QuerySet[Municipality]) -> list[tuple[int, str]]:
    return sorted(((m.pk, m.name) for m in queryset), key=lambda pair: latvian_sort_key(pair[1]))


def _storable_id(value: Any) -> bool:
    """A value the database can compare with an id (SQLite refuses integers past 64 bits)."""
    text = str(value)
    return not text.isdigit() or len(text) <= 18


class IdsField(forms.ModelMultipleChoiceField):
    """Model choices that refuse numbers too large for a database id instead of failing."""

    def _check_values(self, value: Any) -> QuerySet[Any]:
        for choice in value:
            if not _storable_id(choice):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": choice},
                )
        return super()._check_values(value)  # type: ignore[misc]  # not in the stubs


class IdField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _storable_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class AlertForm(forms.ModelForm):
    """The alert itself (CAP fields, area, English block, escalation); validates a copy.

    ``municipalities`` are those the writer may alert (an officer's jurisdiction);
    ``references`` the sent alerts they may see, for an Update or Cancel.
    """

    escalate_after_minutes = forms.IntegerField(
        label=_("Escalate after (minutes)"),
        min_value=0,
        max_value=7 * 24 * 60,
        help_text=_(
            "Unanswered after this many minutes → the next channel, then the second contact. "
            "0: never."
        ),
    )
    effective = _local_datetime_field(_("effective from"))
    expires = _local_datetime_field(_("expires"))

    class Meta:
        model = Alert
        formfield_callback = https_by_default
        field_classes = {"municipalities": IdsField, "references": IdField}
        fields = [
            "status",
            "msg_type",
            "references",
            "scope",
            "category",
            "event",
            "urgency",
            "severity",
            "certainty",
            "headline",
            "description",
            "instruction",
            "web",
            "effective",
            "expires",
            "municipalities",
            "area_polygon",
            "area_circle",
            "headline_en",
            "description_en",
            "instruction_en",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "instruction": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "instruction_en": forms.Textarea(attrs={"rows": 3}),
            "area_polygon": forms.Textarea(attrs={"rows": 2}),
            "municipalities": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self,
        *args: Any,
        municipalities: QuerySet[Municipality],
        references: QuerySet[Alert],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and "escalate_after_minutes" not in self.initial:
            delay = self.instance.escalate_after if self.instance.pk else None
            self.initial["escalate_after_minutes"] = (
                int(delay.total_seconds() // 60)
                if delay is not None
                else (settings.ALERT_ESCALATE_AFTER_MINUTES if not self.instance.pk else 0)
            )
        area = cast(forms.ModelMultipleChoiceField, self.fields["municipalities"])
        area.queryset = municipalities
        area.choices = _sorted_municipalities(municipalities)
        area.label = _("Area: municipalities")
        earlier = cast(forms.ModelChoiceField, self.fields["references"])
        earlier.queryset = references
        earlier.label = _("Updates or cancels the alert")
        earlier.help_text = _("Needed for an update or a cancellation: an alert already sent.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("msg_type") in {"Update", "Cancel"} and not cleaned.get("references"):
            self.add_error("references", _("Choose the alert this one updates or cancels."))
        if cleaned.get("msg_type") == "Alert":
            cleaned["references"] = None
        return cleaned

    def action_data(self) -> dict[str, Any]:
        """The fields for ``create_alert`` / ``update_alert`` (without the area)."""
        data = {k: v for k, v in self.cleaned_data.items() if k in ALERT_FIELDS}
        minutes = self.cleaned_data.get("escalate_after_minutes") or 0
        data["escalate_after"] = datetime.timedelta(minutes=minutes) if minutes else None
        return data


class AudienceForm(forms.Form):
    """Who receives the alert; every field may stay empty (then: the people of the area)."""

    audience_municipalities = forms.TypedMultipleChoiceField(
        label=_("Municipalities"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organisations covering or seated in them. None: the alert's area."),
    )
    target_groups = forms.TypedMultipleChoiceField(
        label=_("Target groups served"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capabilities = forms.TypedMultipleChoiceField(
        label=_("Capabilities offered"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Membership.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.TypedMultipleChoiceField(
        label=_("Organisations"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    lists = forms.TypedMultipleChoiceField(
        label=_("Saved lists"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their people are added to the audience; with no other choice, only them."),
    )

    def __init__(
        self,
        *args: Any,
        municipalities: QuerySet[Municipality],
        target_groups: Iterable[TargetGroup],
        capabilities: Iterable[CapabilityType],
        organisations: Iterable[Organisation],
        lists: Iterable[SavedList],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choose("audience_municipalities", _sorted_municipalities(municipalities))
        self._choose("target_groups", [(g.pk, g.name) for g in target_groups])
        self._choose("capabilities", [(c.pk, c.name) for c in capabilities])
        self._choose("organisations", [(o.pk, o.name) for o in organisations])
        self._choose("lists", [(s.pk, s.name) for s in lists])

    def _choose(self, name: str, choices: list[tuple[int, str]]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    def filters(self) -> AudienceFilters:
        data = self.cleaned_data
        return AudienceFilters(
            municipalities=frozenset(data.get("audience_municipalities") or ()),
            target_groups=frozenset(data.get("target_groups") or ()),
            capabilities=frozenset(data.get("capabilities") or ()),
            organisations=frozenset(data.get("organisations") or ()),
            roles=frozenset(data.get("roles") or ()),
            lists=frozenset(data.get("lists") or ()),
        )

    @staticmethod
    def initial_for(filters: AudienceFilters) -> dict[str, list[Any]]:
        return {
            "audience_municipalities": sorted(filters.municipalities),
            "target_groups": sorted(filters.target_groups),
            "capabilities": sorted(filters.capabilities),
            "organisations": sorted(filters.organisations),
            "roles": sorted(filters.roles),
            "lists": sorted(filters.lists),
        }


class SavedListForm(forms.Form):
    name = forms.CharField(label=_("Name of the list"), max_length=100)
