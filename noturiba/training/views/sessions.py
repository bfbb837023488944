"""Training pages: sessions — the list, one session, scheduling, changing, publishing and
cancelling it (URLs in ``urlpatterns`` below, collected by ``training/urls.py``).

Who sees what is ``policy.session_filter`` (through the selectors: a session one may not see
is a 404); who may change a session is ``policy.can_run_session`` (a 403 for someone who sees a
published session but does not run it).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from noturiba.accounts import policy
from noturiba.network.views.common import attach_errors, page_of, vary_on_htmx, wants_partial
from noturiba.training.actions import sessions as actions
from noturiba.training.forms.sessions import CancelSessionForm, SessionForm
from noturiba.training.models import Course, TrainingSession
from noturiba.training.selectors import sessions as selectors
from noturiba.training.selectors.curriculum import active_courses

PAGE_SIZE = 20


@login_required
@require_safe
def session_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.SessionFilters.from_query(request.GET)
    sessions = selectors.search_sessions(request.user, filters)
    context: dict[str, Any] = {
        "page": page_of(request, sessions, PAGE_SIZE),
        "filters": filters,
        "query": urlencode(filters.as_query()),
        "past_query": urlencode(
            [(k, v) for k, v in filters.as_query() if k != "past"]
            + ([] if filters.past else [("past", "1")])
        ),
    }
    if wants_partial(request):
        return vary_on_htmx(render(request, "training/sessions/_results_update.html", context))
    context.update(
        municipalities=selectors.session_municipalities(),
        courses=active_courses(),
        languages=TrainingSession._meta.get_field("language").choices,
        modes=TrainingSession.Mode.choices,
        can_schedule=policy.can_schedule_sessions(request.user),
        can_view_knowledge=policy.can_view_competency_matrix(request.user),
    )
    return vary_on_htmx(render(request, "training/sessions/list.html", context))


@login_required
@require_safe
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.get_session_for_user(request.user, session_id)
    can_run = policy.can_run_session(request.user, trainer_ids=selectors.trainer_ids(session))
    return render(
        request,
        "training/sessions/detail.html",
        {
            "session": session,
            "free_places": selectors.free_places(session),
            "modules": [row.module for row in session.course.course_modules.all()],
            "cancellation_reason": session.cancellation_reason,
            "can_run": can_run,
            "can_edit": can_run and session.status != TrainingSession.Status.CANCELLED,
            "can_publish": can_run and session.status == TrainingSession.Status.DRAFT,
            "can_cancel": can_run
            and session.status != TrainingSession.Status.CANCELLED
            and not session_has_ended(session),
        },
    )


def session_has_ended(session: TrainingSession) -> bool:
    return session.ends_at <= timezone.now()


def _render_form(
    request: HttpRequest, form: SessionForm, session: TrainingSession | None
) -> HttpResponse:
    return render(
        request,
        "training/sessions/form.html",
        {"form": form, "session": session},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_schedule_sessions(request.user):
        raise PermissionDenied
    if request.method != "POST":
        initial: dict[str, Any] = {"capacity": 25, "language": "lv"}
        course = Course.objects.filter(code=request.GET.get("course", "")[:40]).first()
        if course is not None:
            initial["course"] = course
        if getattr(request.user, "is_trainer", False):
            initial["trainers"] = [request.user]
        return _render_form(request, SessionForm(initial=initial), None)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            session = actions.schedule_session(
                request.user,
                data=form.data_for_action(),
                trainers=form.cleaned_data["trainers"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("The session is saved as a draft. Publish it when it is ready.")
            )
            return redirect("training:session_detail", session_id=session.pk)
    return _render_form(request, form, None)


def _session_to_run(request: HttpRequest, session_id: int) -> TrainingSession:
    session = selectors.get_session_for_user(request.user, session_id)
    if not policy.can_run_session(request.user, trainer_ids=selectors.trainer_ids(session)):
        raise PermissionDenied
    return session


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_to_run(request, session_id)
    if session.status == TrainingSession.Status.CANCELLED:
        messages.error(request, _("A cancelled session can no longer be changed."))
        return redirect("training:session_detail", session_id=session.pk)
    if request.method != "POST":
        form = SessionForm(initial=SessionForm.initial_for(session), session=session)
        return _render_form(request, form, session)
    form = SessionForm(request.POST, session=session)
    if form.is_valid():
        try:
            actions.update_session(
                request.user,
                session=session,
                data=form.data_for_action(),
                trainers=form.cleaned_data["trainers"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("training:session_detail", session_id=session.pk)
    return _render_form(request, form, session)


@login_required
@require_POST
def session_publish(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_to_run(request, session_id)
    try:
        actions.publish_session(request.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The session is published: the network can enrol."))
    return redirect("training:session_detail", session_id=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_to_run(request, session_id)
    form = CancelSessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_session(
                request.user, session=session, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The session is cancelled."))
            return redirect("training:session_detail", session_id=session.pk)
    return render(
        request,
        "training/sessions/cancel.html",
        {"session": session, "form": form},
        status=400 if form.errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("training/sessions/", session_list, name="sessions"),
    path("training/sessions/new/", session_create, name="session_create"),
    path("training/sessions/<int:session_id>/", session_detail, name="session_detail"),
    path("training/sessions/<int:session_id>/edit/", session_edit, name="session_edit"),
    path("training/sessions/<int:session_id>/publish/", session_publish, name="session_publish"),
    path("training/sessions/<int:session_id>/cancel/", session_cancel, name="session_cancel"),
]
