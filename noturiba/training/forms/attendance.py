"""Forms of the attendance page (the no-JavaScript form of all participants), the sign-in
sheet upload and the feedback survey."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from noturiba.training.actions.attendance import Mark
from noturiba.training.models import Enrolment, Feedback
from noturiba.training.sign_in_sheet import (
    MAX_FILE_BYTES,
    compact_hours,
    parse_hours,
    parse_score,
)

Attendance = Enrolment.Attendance
MARK_CHOICES = [
    (Attendance.PRESENT.value, gettext_lazy("Present")),
    (Attendance.ABSENT.value, gettext_lazy("Absent")),
]

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class AttendanceForm(forms.Form):
    """One radio group (present / absent), an hours field and, when the course is assessed, a
    score field per participant: ``mark_<id>``, ``hours_<id>``, ``score_<id>``."""

    def __init__(
        self,
        data: Any = None,
        *,
        enrolments: Sequence[Enrolment],
        full_hours: Decimal,
        assessed: bool,
    ) -> None:
        super().__init__(data)
        self.enrolments = list(enrolments)
        self.full_hours = full_hours
        self.assessed = assessed
        for enrolment in self.enrolments:
            pk = enrolment.pk
            current = enrolment.attendance
            self.fields[f"mark_{pk}"] = forms.ChoiceField(
                label=enrolment.person.full_name,
                choices=MARK_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial=Attendance.ABSENT
                if current == Attendance.ABSENT
                else current and "present",
            )
            hours = (
                enrolment.hours_attended
                if current in (Attendance.PRESENT, Attendance.PARTIAL)
                else None
            )
            self.fields[f"hours_{pk}"] = forms.CharField(
                label=_("Hours"),
                required=False,
                max_length=8,
                initial=_hours_text(hours if hours is not None else full_hours),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4}),
            )
            if assessed:
                self.fields[f"score_{pk}"] = forms.CharField(
                    label=_("Score (%)"),
                    required=False,
                    max_length=4,
                    initial="" if enrolment.score is None else str(enrolment.score),
                    widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
                )

    def rows(self) -> list[tuple[Enrolment, forms.BoundField, forms.BoundField, Any]]:
        return [
            (
                enrolment,
                self[f"mark_{enrolment.pk}"],
                self[f"hours_{enrolment.pk}"],
                self[f"score_{enrolment.pk}"] if self.assessed else None,
            )
            for enrolment in self.enrolments
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for enrolment in self.enrolments:
            pk = enrolment.pk
            if cleaned.get(f"mark_{pk}") == Attendance.PRESENT:
                text = cleaned.get(f"hours_{pk}", "")
                if text:
                    try:
                        cleaned[f"hours_{pk}"] = parse_hours(text)
                    except ValueError as error:
                        self.add_error(f"hours_{pk}", str(error))
                else:
                    cleaned[f"hours_{pk}"] = None
            score = cleaned.get(f"score_{pk}", "")
            if self.assessed and score:
                try:
                    cleaned[f"score_{pk}"] = parse_score(score)
                except ValueError as error:
                    self.add_error(f"score_{pk}", str(error))
        return cleaned

    def marks(self) -> list[Mark]:
        """The marks of the people whose row says something (an untouched row says nothing)."""
        marks = []
        for enrolment in self.enrolments:
            pk = enrolment.pk
            attendance = self.cleaned_data.get(f"mark_{pk}") or None
            score_text = self.data.get(f"score_{pk}", "").strip() if self.assessed else ""
            score = self.cleaned_data.get(f"score_{pk}") if score_text else None
            set_score = self.assessed and (bool(score_text) or enrolment.score is not None)
            if attendance is None and not set_score:
                continue
            marks.append(
                Mark(
                    enrolment_id=pk,
                    attendance=attendance,
                    hours=self.cleaned_data.get(f"hours_{pk}")
                    if attendance == Attendance.PRESENT
                    else None,
                    score=score if isinstance(score, int) else None,
                    set_score=set_score,
                )
            )
        return marks

    def field_for_error(self, enrolment_id: str) -> str | None:
        name = f"hours_{enrolment_id}"
        return name if name in self.fields else None


def _hours_text(hours: Decimal) -> str:
    """As the interface writes numbers (``2,5`` in Latvian); both ways are read back."""
    return formats.number_format(compact_hours(hours), use_l10n=True)


class SignInSheetForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Sign-in sheet (CSV)"),
        help_text=gettext_lazy(
            "Columns person_id or email, hours and optionally score; separated by ; or ,."
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d KB.") % {"limit": MAX_FILE_BYTES // 1024}
            )
        return bytes(upload.read())


RATING_CHOICES = [
    (1, gettext_lazy("1 – very poor")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, gettext_lazy("5 – excellent")),
]


def _rating(label: StrOrPromise) -> forms.TypedChoiceField:
    """A required 1–5 rating, offered as radio buttons."""
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a rating from 1 to 5.")},
    )


class FeedbackForm(forms.Form):
    overall = _rating(gettext_lazy("Overall, how good was the training?"))
    content = _rating(gettext_lazy("How useful and clear was the content?"))
    trainer = _rating(gettext_lazy("How good was the trainer?"))
    relevance = _rating(gettext_lazy("How useful is it for your work in a crisis?"))
    comments = forms.CharField(
        label=gettext_lazy("Comments (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Trainers read comments without your name."),
    )

    @classmethod
    def for_feedback(cls, feedback: Feedback | None, data: Any = None) -> FeedbackForm:
        if feedback is None or data is not None:
            return cls(data)
        return cls(
            initial={
                "overall": feedback.overall,
                "content": feedback.content,
                "trainer": feedback.trainer,
                "relevance": feedback.relevance,
                "comments": feedback.comments,
            }
        )
