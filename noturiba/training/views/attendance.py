"""Attendance, assessment scores and feedback pages.

- ``attendance``: the trainer's list of confirmed participants, one present/absent choice and
  hours per person (and a score when the course is assessed). Without JavaScript it is one
  form with one submit (POST-redirect-GET); with ``training/attendance.js`` every tap is sent
  at once to ``attendance_marks`` (JSON, a batch of marks, idempotent), kept in the phone's
  storage and retried while the network is away.
- ``sign_in_sheet`` / ``sign_in_sheet_template``: the same marks from a CSV file, all or nothing.
- ``feedback``: the attendee's survey; ``feedback_summary`` and ``trainer_feedback``: the
  answers summed up for the trainers and coordinators, comments without names.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from noturiba.accounts import policy
from noturiba.network.exports import safe_cell
from noturiba.network.views.common import page_of
from noturiba.training.actions import attendance as actions
from noturiba.training.forms.attendance import (
    AttendanceForm,
    FeedbackForm,
    SignInSheetForm,
)
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.selectors import attendance as selectors
from noturiba.training.sign_in_sheet import (
    TEMPLATE_HEADER,
    SheetError,
    compact_hours,
    read_sheet,
)

MAX_MARKS = 1000
COMMENTS_PAGE_SIZE = 25
SESSIONS_PAGE_SIZE = 25
QUESTION_LABELS = {
    "overall": gettext_lazy("Overall"),
    "content": gettext_lazy("Content"),
    "trainer": gettext_lazy("Trainer"),
    "relevance": gettext_lazy("Usefulness for work"),
}


def hours_text(hours: Decimal | None) -> str:
    """Hours as the interface writes numbers (``2,5`` in Latvian), without a needless ``,0``."""
    if hours is None:
        return ""
    return formats.number_format(compact_hours(hours), use_l10n=True)


def status_label(enrolment: Enrolment) -> str:
    """What a row says about a person, in words (never colour alone)."""
    hours = hours_text(enrolment.hours_attended)
    if enrolment.attendance == Enrolment.Attendance.PRESENT:
        return _("present · %(hours)s h") % {"hours": hours}
    if enrolment.attendance == Enrolment.Attendance.PARTIAL:
        return _("partly present · %(hours)s h") % {"hours": hours}
    if enrolment.attendance == Enrolment.Attendance.ABSENT:
        return _("absent")
    return _("not marked yet")


def result_label(enrolment: Enrolment, pass_mark: int | None) -> str:
    if pass_mark is None or enrolment.score is None:
        return ""
    if enrolment.score >= pass_mark:
        return _("passed (%(score)d%%)") % {"score": enrolment.score}
    return _("not passed (%(score)d%%)") % {"score": enrolment.score}


def _refusal_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Attendance ---------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    run = selectors.get_session_to_run(request.user, session_id)
    session = run.session
    enrolments = list(selectors.attendance_list(session))
    data = request.POST if request.method == "POST" else None
    form = AttendanceForm(
        data, enrolments=enrolments, full_hours=run.full_hours, assessed=run.pass_mark is not None
    )
    status = 200
    if data is not None:
        if not run.is_open_for_marks():
            messages.error(request, _("Attendance cannot be changed now; nothing was saved."))
            return redirect("training:attendance", session_id=session.pk)
        if form.is_valid():
            try:
                result = actions.record_attendance(
                    request.user, session=session, marks=form.marks()
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for key, errors in error.error_dict.items():
                        form.add_error(form.field_for_error(key), errors)
                else:
                    form.add_error(None, error)
            else:
                return _saved(request, session_id=session.pk, marked=result.marked)
        status = 400
    rows = [
        {
            "enrolment": enrolment,
            "mark": mark,
            "hours": hours,
            "score": score,
            "status": status_label(enrolment),
            "result": result_label(enrolment, run.pass_mark),
        }
        for enrolment, mark, hours, score in form.rows()
    ]
    now = timezone.now()
    return render(
        request,
        "training/attendance/attendance.html",
        {
            "run": run,
            "session": session,
            "form": form,
            "rows": rows,
            "is_open": run.is_open_for_marks(now),
            "not_yet_open": now < run.marks_open_at,
            "full_hours": hours_text(run.full_hours),
            "marks_url": reverse("training:attendance_marks", args=[session.pk]),
            "server_now_ms": int(now.timestamp() * 1000),
        },
        status=status,
    )


def _error(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status
    )


def _parse_marks(body: bytes) -> list[actions.Mark]:
    """``{"marks": [{"enrolment": 12, "attendance": "present", "hours": "2.5", "score": 80}]}``
    → marks; ``ValueError`` with a message for anything else."""
    try:
        payload = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(_("The request is not JSON.")) from error
    items = payload.get("marks") if isinstance(payload, dict) else None
    if not isinstance(items, list) or not items or len(items) > MAX_MARKS:
        raise ValueError(
            _('Send {"marks": [...]} with 1 to %(count)d marks.') % {"count": MAX_MARKS}
        )
    marks = []
    for item in items:
        if not isinstance(item, dict) or type(item.get("enrolment")) is not int:
            raise ValueError(_("Every mark names its enrolment (a number)."))
        attendance = item.get("attendance")
        if attendance is not None and attendance not in Enrolment.Attendance.values:
            raise ValueError(_("Attendance is present, partial or absent."))
        hours = item.get("hours")
        if hours is not None and hours != "":
            try:
                hours = Decimal(str(hours).replace(",", "."))
            except InvalidOperation as error:
                raise ValueError(_("Hours are a number.")) from error
            if not hours.is_finite():
                raise ValueError(_("Hours are a number."))
        else:
            hours = None
        marked_at = item.get("marked_at")
        if marked_at is not None:
            try:
                parsed = parse_datetime(marked_at) if isinstance(marked_at, str) else None
            except ValueError:  # well-formed but impossible (month 13)
                parsed = None
            if parsed is None or timezone.is_naive(parsed):
                raise ValueError(_("marked_at is a date and time with its offset (ISO 8601)."))
            marked_at = parsed
        score = item.get("score")
        if score == "":
            score = None
        if score is not None and (type(score) is not int):
            if isinstance(score, str) and score.strip().isdigit() and len(score.strip()) <= 3:
                score = int(score)
            else:
                raise ValueError(_("A score is a whole number from 0 to 100."))
        marks.append(
            actions.Mark(
                enrolment_id=item["enrolment"],
                attendance=attendance,
                hours=hours,
                score=score,
                set_score="score" in item,
                marked_at=marked_at,
            )
        )
    return marks


@never_cache
@login_required
@require_POST
def attendance_marks(request: HttpRequest, session_id: int) -> JsonResponse:
    """A batch of marks from the attendance page's script: saved whole or not at all; sending
    the same batch again changes nothing. Answers the rows' new state, or the project's error
    shape (400 a bad mark, 409 the session does not take marks now)."""
    run = selectors.get_session_to_run(request.user, session_id)
    try:
        marks = _parse_marks(request.body)
    except ValueError as error:
        return _error(400, "invalid", str(error))
    try:
        result = actions.record_attendance(request.user, session=run.session, marks=marks)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return _error(
                400,
                "invalid",
                _("Some marks were not saved."),
                {
                    key: [str(m) for e in errors for m in e.messages]
                    for key, errors in error.error_dict.items()
                },
            )
        return _error(409, error.code or "closed", _refusal_message(error))
    rows = Enrolment.objects.filter(pk__in=[mark.enrolment_id for mark in marks]).select_related(
        "person"
    )
    return JsonResponse(
        {
            "marked": result.marked,
            "changed": result.changed,
            "stale": [str(pk) for pk in result.stale],
            "rows": {
                str(enrolment.pk): {
                    "attendance": enrolment.attendance,
                    "hours": hours_text(enrolment.hours_attended),
                    "score": enrolment.score,
                    "status": status_label(enrolment),
                    "result": result_label(enrolment, run.pass_mark),
                }
                for enrolment in rows
            },
        }
    )


# --- Sign-in sheet ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sign_in_sheet(request: HttpRequest, session_id: int) -> HttpResponse:
    run = selectors.get_session_to_run(request.user, session_id)
    session = run.session
    form = SignInSheetForm(request.POST or None, request.FILES or None)
    row_errors: list[tuple[int, str]] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                sheet = read_sheet(form.cleaned_data["file"])
                result = actions.record_sign_in_sheet(request.user, session=session, sheet=sheet)
            except SheetError as error:
                form.add_error("file", error.message)
            except actions.SignInSheetError as error:
                row_errors = error.rows
            except ValidationError as error:
                form.add_error(None, _refusal_message(error))
            else:
                return _saved(request, session_id=session.pk, marked=result.marked)
    return render(
        request,
        "training/attendance/sign_in_sheet.html",
        {
            "run": run,
            "session": session,
            "form": form,
            "row_errors": row_errors,
            "full_hours": hours_text(run.full_hours),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def sign_in_sheet_template(request: HttpRequest, session_id: int) -> HttpResponse:
    """A CSV file of the confirmed participants to fill in (``;``-separated, UTF-8 with a BOM,
    as Excel in Latvia opens and saves it)."""
    run = selectors.get_session_to_run(request.user, session_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header = TEMPLATE_HEADER if run.pass_mark is not None else TEMPLATE_HEADER[:-1]
    writer.writerow(header)
    for enrolment in selectors.attendance_list(run.session):
        row = [
            str(enrolment.person_id),
            safe_cell(enrolment.person.full_name),
            safe_cell(enrolment.person.email),
            ""
            if enrolment.hours_attended is None
            else str(compact_hours(enrolment.hours_attended)),
        ]
        if run.pass_mark is not None:
            row.append("" if enrolment.score is None else str(enrolment.score))
        writer.writerow(row)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{run.session.pk}-sign-in.csv"'
    return response


# --- Feedback -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, session_id: int) -> HttpResponse:
    """The attendee's survey: 404 for anyone not enrolled; an explanation (403) for someone
    enrolled who did not attend or before the session ends."""
    enrolment = selectors.get_enrolment_for_feedback(request.user, session_id)
    session = enrolment.session
    refusal = selectors.feedback_refusal(enrolment)
    if refusal:
        return render(
            request,
            "training/attendance/feedback_closed.html",
            {"session": session, "refusal": refusal},
            status=403,
        )
    existing = selectors.feedback_of(enrolment)
    data = request.POST if request.method == "POST" else None
    form = FeedbackForm.for_feedback(existing, data)
    if data is not None and form.is_valid():
        ratings = {question: form.cleaned_data[question] for question in selectors.QUESTIONS}
        try:
            actions.give_feedback(
                request.user,
                enrolment=enrolment,
                ratings=ratings,
                comments=form.cleaned_data["comments"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your answers are saved."))
            return redirect("training:feedback", session_id=session.pk)
    return render(
        request,
        "training/attendance/feedback.html",
        {"session": session, "form": form, "existing": existing},
        status=400 if form.errors else 200,
    )


def _question_rows(summary: selectors.FeedbackSummary) -> list[dict[str, Any]]:
    return [
        {
            "label": QUESTION_LABELS[question.question],
            "average": question.average,
            "counts": list(zip(selectors.RATINGS, question.counts, strict=True)),
        }
        for question in summary.questions
    ]


@login_required
@require_GET
def feedback_summary(request: HttpRequest, session_id: int) -> HttpResponse:
    run = selectors.get_session_to_run(request.user, session_id)
    summary = selectors.session_feedback_summary(run.session)
    trainers = list(
        run.session.trainers.order_by("full_name", "pk").only("pk", "full_name", "email")
    )
    return render(
        request,
        "training/attendance/feedback_summary.html",
        {
            "session": run.session,
            "summary": summary,
            "questions": _question_rows(summary),
            "ratings": selectors.RATINGS,
            "comments": page_of(
                request, selectors.session_feedback_comments(run.session), COMMENTS_PAGE_SIZE
            ),
            "trainers": [(trainer, _may_see_trainer(request, trainer.pk)) for trainer in trainers],
            "may_invite": run.session.status != TrainingSession.Status.CANCELLED
            and run.session.ends_at <= timezone.now(),
        },
    )


@login_required
@require_POST
def feedback_invite(request: HttpRequest, session_id: int) -> HttpResponse:
    """Email the survey link to the attendees who have not answered yet."""
    run = selectors.get_session_to_run(request.user, session_id)
    try:
        sent = actions.invite_to_feedback(request.user, session=run.session)
    except ValidationError as error:
        messages.error(request, _refusal_message(error))
    else:
        messages.success(
            request,
            ngettext(
                "The survey link was emailed to %(count)d attendee.",
                "The survey link was emailed to %(count)d attendees.",
                sent,
            )
            % {"count": sent},
        )
    return redirect("training:feedback_summary", session_id=run.session.pk)


def _may_see_trainer(request: HttpRequest, user_id: int) -> bool:
    """``selectors.get_trainer``'s own check, for showing the link or not."""
    return policy.can_view_trainer_feedback(request.user, trainer_id=user_id)


@login_required
@require_GET
def trainer_feedback(request: HttpRequest, user_id: int) -> HttpResponse:
    trainer = selectors.get_trainer(request.user, user_id)
    summary = selectors.trainer_feedback_summary(trainer)
    return render(
        request,
        "training/attendance/trainer_feedback.html",
        {
            "trainer": trainer,
            "summary": summary,
            "questions": _question_rows(summary),
            "ratings": selectors.RATINGS,
            "page": page_of(
                request, selectors.trainer_sessions_feedback(trainer), SESSIONS_PAGE_SIZE
            ),
        },
    )


def _saved(request: HttpRequest, *, session_id: int, marked: int) -> HttpResponse:
    """Back to the attendance page, saying how many people's attendance was saved."""
    messages.success(
        request,
        ngettext(
            "Saved attendance of %(count)d person.",
            "Saved attendance of %(count)d people.",
            marked,
        )
        % {"count": marked},
    )
    return redirect("training:attendance", session_id=session_id)


urlpatterns: list[URLPattern] = [
    path("training/sessions/<int:session_id>/attendance/", attendance, name="attendance"),
    path(
        "training/sessions/<int:session_id>/attendance/marks/",
        attendance_marks,
        name="attendance_marks",
    ),
    path(
        "training/sessions/<int:session_id>/attendance/sheet/",
        sign_in_sheet,
        name="sign_in_sheet",
    ),
    path(
        "training/sessions/<int:session_id>/attendance/sheet.csv",
        sign_in_sheet_template,
        name="sign_in_sheet_template",
    ),
    path("training/sessions/<int:session_id>/feedback/", feedback, name="feedback"),
    path(
        "training/sessions/<int:session_id>/feedback/summary/",
        feedback_summary,
        name="feedback_summary",
    ),
    path(
        "training/sessions/<int:session_id>/feedback/invite/",
        feedback_invite,
        name="feedback_invite",
    ),
    path("training/trainers/<int:user_id>/feedback/", trainer_feedback, name="trainer_feedback"),
]
