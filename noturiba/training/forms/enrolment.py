"""Forms for enrolment: an organisation admin picks people to enrol; a calendar feed to
replace."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from noturiba.network.models import Organisation, Person

MAX_ID = 2**63 - 1


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)

    def clean(self, value: Any) -> Any:
        # An id no database column can hold is simply not a choice (not an overflow error).
        for item in value or ():
            text = str(item)
            if not text.isdigit() or not 1 <= int(text) <= MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().clean(value)


class EnrolPeopleForm(forms.Form):
    """Several of the admin's own people at once; ``people`` are those not enrolled yet."""

    people = PersonChoice(
        label=_("People to enrol"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one person."),
            "invalid_choice": _("Choose people of your own organisation who are not enrolled yet."),
            "invalid_pk_value": _(
                "Choose people of your own organisation who are not enrolled yet."
            ),
        },
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, PersonChoice)
        field.queryset = people


class OrganisationChoice(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        text = str(value or "")
        if text and (not text.isdigit() or not 1 <= int(text) <= MAX_ID):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class FeedOwnerForm(forms.Form):
    """Which feed to replace: the person's own (no organisation) or an organisation's."""

    organisation = OrganisationChoice(
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose an organisation you administer.")},
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
