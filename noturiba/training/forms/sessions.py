"""Forms of the session pages: the session's facts, the cancellation reason, the list filters.

Times are typed and shown in Europe/Riga (the site's time zone); Django turns them into aware
datetimes, and refuses a time that does not exist or is ambiguous on a daylight-saving change.
Rules joining several fields (end after start …) are the action's, shown here by field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from noturiba.accounts.models import User
from noturiba.network.models import Municipality, Organisation, Person
from noturiba.training.actions.sessions import MAX_REASON, SESSION_FIELDS
from noturiba.training.models import Course, TrainingSession
from noturiba.training.selectors.curriculum import active_courses

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = str


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


class TrainerChoiceField(forms.ModelMultipleChoiceField):
    """Trainers by user id; a number too large for an id is an invalid choice (SQLite would
    refuse to compare it), not an error."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.email

    def _check_values(self, value: Any) -> Any:
        for choice in value:
            text = str(choice)
            if text.isdigit() and len(text) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": choice},
                )
        return super()._check_values(value)  # type: ignore[misc]  # not in the stubs


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.none(), label=_("Course"))
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Empty: the course name."),
    )
    starts_at = _datetime(_("Starts at"), help_text=_("Riga time."))
    ends_at = _datetime(_("Ends at"), help_text=_("Riga time."))
    mode = forms.ChoiceField(label=_("Format"), choices=TrainingSession.Mode.choices)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        help_text=_("Needed for a session in person or hybrid."),
    )
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("Municipality"), required=False
    )
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("Needed for an online or hybrid session."),
    )
    trainers = TrainerChoiceField(
        queryset=User.objects.none(),
        label=_("Trainers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100_000)
    language = forms.ChoiceField(label=_("Language"), choices=Person.Language.choices)
    step_free_access = forms.BooleanField(label=_("Step-free access"), required=False)
    accessible_toilet = forms.BooleanField(label=_("Accessible toilet"), required=False)
    hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    accessibility_notes = forms.CharField(
        label=_("Accessibility notes"), max_length=300, required=False
    )
    registration_deadline = _datetime(
        _("Registration closes"),
        required=False,
        help_text=_("Riga time. Empty: open until the session starts."),
    )
    issuing_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Issuing organisation"),
        required=False,
        help_text=_("Named on certificates. Empty: the network itself."),
    )

    def __init__(self, *args: Any, session: TrainingSession | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        courses = active_courses()
        if session is not None:  # a session keeps its course even once it is no longer in use
            courses = courses | Course.objects.filter(pk=session.course_id)
        fields["course"].queryset = courses
        fields["municipality"].queryset = Municipality.objects.current().order_by("name_lv")
        fields["trainers"].queryset = User.objects.filter(is_trainer=True, is_active=True).order_by(
            "full_name", "email"
        )
        fields["issuing_organisation"].queryset = Organisation.objects.order_by("name").only(
            "id", "name"
        )

    @classmethod
    def initial_for(cls, session: TrainingSession) -> dict[str, Any]:
        initial = {name: getattr(session, name) for name in SESSION_FIELDS}
        initial["trainers"] = list(session.trainers.all())
        return initial

    def data_for_action(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SESSION_FIELDS}


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the session cancelled?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the session's page to everyone who can see it."),
    )
