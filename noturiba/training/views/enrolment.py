"""Training pages: enrolment (URLs in ``urlpatterns`` below, collected by ``training/urls.py``).

- a session's enrolment box (``_session_box.html``, included by the session page; also a page of
  its own, ``session_place``) with "Enrol", "Cancel my place" and the waiting-list place;
- an organisation admin enrols several of their own people;
- the enrolment list of a session (coordinators and its trainers), and its CSV;
- "My trainings"; the ``.ics`` of a session; personal and organisation calendar feeds.
"""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from noturiba.accounts import policy
from noturiba.network.exports import safe_cell
from noturiba.network.models import Organisation
from noturiba.network.views.common import PAGE_SIZE, page_of
from noturiba.training.actions import enrolment as actions
from noturiba.training.calendar import CONTENT_TYPE, session_calendar, sessions_calendar
from noturiba.training.forms.enrolment import EnrolPeopleForm, FeedOwnerForm
from noturiba.training.models import CalendarFeed, Enrolment, TrainingSession
from noturiba.training.selectors import enrolment as selectors

Status = Enrolment.Status


def _back(request: HttpRequest, session: TrainingSession) -> HttpResponse:
    """Back to where the form was (``next``, a local address), else the session's place page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("training:session_place", pk=session.pk)


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def session_place(request: HttpRequest, pk: int) -> HttpResponse:
    """The enrolment box of a session on a page of its own (where its forms come back to)."""
    session = selectors.get_session_for_user(request.user, pk)
    return render(request, "training/enrolment/session_place.html", {"session": session})


@login_required
@require_POST
def enrol_self(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_session_for_user(request.user, pk)
    person = selectors.person_of(request.user)
    if person is None:
        messages.error(request, _("Your account has no person record, so it cannot be enrolled."))
        return _back(request, session)
    try:
        enrolment = actions.enrol_person(request.user, session=session, person=person)
    except ValidationError as error:
        _refused(request, error)
    else:
        if enrolment.status == Status.CONFIRMED:
            messages.success(request, _("You are enrolled: your place is confirmed."))
        else:
            messages.success(
                request,
                _("The session is full: you are number %(position)d on the waiting list.")
                % {"position": selectors.waitlist_position(enrolment) or 0},
            )
    return _back(request, session)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a place (GET asks to confirm; POST cancels)."""
    enrolment = selectors.get_enrolment_for_user(request.user, pk)
    session = enrolment.session
    if request.method == "POST":
        try:
            actions.cancel_enrolment(request.user, enrolment=enrolment)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("The place of %(name)s is cancelled.") % {"name": enrolment.person.full_name},
            )
        return _back(request, session)
    return render(
        request,
        "training/enrolment/cancel_confirm.html",
        {"enrolment": enrolment, "session": session, "next": request.GET.get("next", "")},
    )


# People offered at once on the "enrol people" page; a search by name finds the others.
CHOICES_SHOWN = 100


@login_required
@require_http_methods(["GET", "POST"])
def enrol_people(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation admin (or a coordinator) enrols several people at once."""
    session = selectors.get_session_for_user(request.user, pk)
    roles = policy.roles_of(request.user)
    if not (roles.coordinator or roles.admin_of):
        raise PermissionDenied
    candidates = selectors.enrollable_for_session(request.user, session)
    data = request.POST if request.method == "POST" else None
    form = EnrolPeopleForm(data, people=candidates)
    search = request.GET.get("q", "").strip()[:100]
    shown = candidates.filter(full_name__icontains=search) if search else candidates
    shown_people = list(shown[: CHOICES_SHOWN + 1])
    chosen = {str(value) for value in data.getlist("people")} if data is not None else set()
    if data is not None and form.is_valid():
        confirmed: list[str] = []
        waitlisted: list[str] = []
        refused: list[str] = []
        for person in form.cleaned_data["people"]:
            try:
                enrolment = actions.enrol_person(request.user, session=session, person=person)
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{person.full_name}: {'; '.join(_messages_of(error))}")
                continue
            (confirmed if enrolment.status == Status.CONFIRMED else waitlisted).append(
                person.full_name
            )
        if confirmed:
            messages.success(
                request, _("Confirmed places: %(names)s.") % {"names": ", ".join(confirmed)}
            )
        if waitlisted:
            messages.warning(
                request, _("On the waiting list: %(names)s.") % {"names": ", ".join(waitlisted)}
            )
        for line in refused:
            messages.error(request, _("Not enrolled — %(reason)s") % {"reason": line})
        return redirect("training:enrol_people", pk=session.pk)
    return render(
        request,
        "training/enrolment/enrol_people.html",
        {
            "session": session,
            "form": form,
            "shown": shown_people[:CHOICES_SHOWN],
            "more": len(shown_people) > CHOICES_SHOWN,
            "search": search,
            "chosen": chosen,
            "enrolled": selectors.already_enrolled_of(request.user, session),
            "open_reason": _open_reason(session),
        },
        status=400 if form.errors else 200,
    )


def _messages_of(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error) or _("You may not enrol this person.")]


def _open_reason(session: TrainingSession) -> str:
    refusal = selectors.refusal_reason(session, timezone.now())
    return "" if refusal is None else str(refusal.message)


STATUS_TABS = [
    (Status.CONFIRMED, Status.CONFIRMED.label),
    (Status.WAITLISTED, Status.WAITLISTED.label),
    (Status.CANCELLED, Status.CANCELLED.label),
]


@login_required
@require_GET
def session_enrolments(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmed, waiting list or cancelled (``?status=``), for coordinators and the trainers."""
    session = selectors.get_session_for_user(request.user, pk)
    selectors.check_may_see_enrolments(request.user, session)
    status = request.GET.get("status", Status.CONFIRMED)
    if status not in Status.values:
        status = Status.CONFIRMED
    page = page_of(request, selectors.session_enrolments(session, status))
    return render(
        request,
        "training/enrolment/session_enrolments.html",
        {
            "session": session,
            "status": status,
            "tabs": STATUS_TABS,
            "counts": selectors.enrolment_counts(session),
            "page": page,
            "query": f"status={status}",
            "first_number": page.start_index(),
        },
    )


@login_required
@require_GET
def session_enrolments_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmed people with their contacts, for the trainer."""
    session = selectors.get_session_for_user(request.user, pk)
    selectors.check_may_see_enrolments(request.user, session)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}-confirmed.csv"'
    response.write("\ufeff")  # spreadsheet programs read UTF-8 (Latvian letters) with a BOM
    writer = csv.writer(response)
    writer.writerow([_("Name"), _("Email"), _("Phone"), _("Enrolled at")])
    for enrolment in selectors.session_enrolments(session, Status.CONFIRMED):
        person = enrolment.person
        writer.writerow(
            [
                safe_cell(person.full_name),
                safe_cell(person.email),
                safe_cell(person.phone),
                timezone.localtime(enrolment.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return response


@login_required
@require_GET
def my_trainings(request: HttpRequest) -> HttpResponse:
    person = selectors.person_of(request.user)
    upcoming = past = None
    if person is not None:
        upcoming = page_of(request, selectors.my_enrolments(person, upcoming=True))
        past = Paginator(selectors.my_enrolments(person, upcoming=False), PAGE_SIZE).get_page(
            request.GET.get("past_page")
        )
    return render(
        request,
        "training/enrolment/my_trainings.html",
        {"person": person, "page": upcoming, "past": past},
    )


# --- iCalendar ---------------------------------------------------------------------------------


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """A published (or cancelled after publishing) session as an ``.ics`` file."""
    session = selectors.get_session_for_user(request.user, pk)
    if session.published_at is None and session.status != TrainingSession.Status.PUBLISHED:
        raise Http404  # a draft has no calendar entry yet
    full = selectors.session_for_calendar(session.pk)
    return _calendar_response(session_calendar(full), f"training-{session.pk}.ics")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A feed at a secret address (no sign-in: calendar programs cannot)."""
    feed = selectors.feed_by_token(token)
    if feed.person is not None:
        name = _("Trainings: %(name)s") % {"name": feed.person.full_name}
        language = feed.person.preferred_language
    else:
        assert feed.organisation is not None
        name = _("Trainings: %(name)s") % {"name": feed.organisation.name}
        language = None
    body = sessions_calendar(selectors.feed_sessions(feed), name=name, language=language)
    return _calendar_response(body, "trainings.ics")


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feeds(request: HttpRequest) -> HttpResponse:
    """The user's own feed and those of the organisations they administer; create or replace
    one (POST, with ``organisation`` for an organisation's)."""
    person = selectors.person_of(request.user)
    organisations = selectors.feed_owner_organisations(request.user)
    if request.method == "POST":
        form = FeedOwnerForm(request.POST, organisations=organisations)
        if not form.is_valid():
            messages.error(request, _("Choose an organisation you administer."))
            return redirect("training:calendar_feeds")
        organisation: Organisation | None = form.cleaned_data["organisation"]
        if organisation is None and person is None:
            raise PermissionDenied
        replaced = actions.replace_calendar_feed(
            request.user, person=person if organisation is None else None, organisation=organisation
        )
        if replaced:
            messages.success(
                request,
                _(
                    "The calendar address is replaced. The old address no longer works: add the "
                    "new one to your calendar program."
                ),
            )
        else:
            messages.success(
                request, _("The calendar address is ready: add it to your calendar program.")
            )
        return redirect("training:calendar_feeds")
    existing = selectors.feeds_of(person=person, organisations=organisations)
    rows: list[tuple[str, Organisation | None, str]] = []
    if person is not None:
        rows.append((_("My trainings"), None, _feed_url(existing.get(("person", person.pk)))))
    for organisation in organisations:
        feed = existing.get(("organisation", organisation.pk))
        rows.append((organisation.name, organisation, _feed_url(feed)))
    return render(request, "training/enrolment/calendar_feeds.html", {"rows": rows})


def _feed_url(feed: CalendarFeed | None) -> str:
    """The feed's absolute address (the platform's public address), empty when there is none."""
    if feed is None:
        return ""
    path = reverse("training:calendar_feed", args=[feed.token])
    return str(settings.PUBLIC_URL).rstrip("/") + path


urlpatterns: list[URLPattern] = [
    path("training/sessions/<int:pk>/place/", session_place, name="session_place"),
    path("training/sessions/<int:pk>/enrol/", enrol_self, name="enrol_self"),
    path("training/sessions/<int:pk>/enrol-people/", enrol_people, name="enrol_people"),
    path("training/sessions/<int:pk>/enrolments/", session_enrolments, name="session_enrolments"),
    path(
        "training/sessions/<int:pk>/enrolments.csv",
        session_enrolments_csv,
        name="session_enrolments_csv",
    ),
    path("training/sessions/<int:pk>.ics", session_ics, name="session_ics"),
    path("training/enrolments/<int:pk>/cancel/", cancel_enrolment, name="cancel_enrolment"),
    path("training/my/", my_trainings, name="my_trainings"),
    path("training/calendar/", calendar_feeds, name="calendar_feeds"),
    path("training/calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
]
