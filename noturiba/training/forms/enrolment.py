"""Forms for enrolment: an organisation admin picks people to enrol; a calendar feed to replace."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from noturiba.network.models import Organisation, Person


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


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


class FeedOwnerForm(forms.Form):
    """Which feed to replace: the person's own (no organisation) or an organisation's."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose an organisation you administer.")},
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
