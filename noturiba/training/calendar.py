"""Training sessions as iCalendar (RFC 5545), built with the ``icalendar`` library.

One VEVENT per session. Its UID is derived from the session's id and the site's host, so it never
changes: a calendar program that imports the same session again (an updated ``.ics``, the next
poll of a feed) updates its copy instead of adding a second one, and takes the newer version by
SEQUENCE (``session.sequence``, raised on every change). A cancelled session stays in the feed with
STATUS:CANCELLED, so calendars remove or strike it.

Times are written in Europe/Riga (with its VTIMEZONE), as people read them.

Read the sessions with :func:`with_calendar_data` so that a feed of many costs a fixed number of
queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from noturiba.training.models import CourseModule, TrainingSession

RIGA = ZoneInfo("Europe/Riga")
PRODID = "-//Noturiba//Training programme//LV"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def with_calendar_data(sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """``sessions`` with what their events show read up front (course, its modules, the issuer)."""
    return sessions.select_related("course", "issuing_organisation").prefetch_related(
        Prefetch(
            "course__course_modules",
            queryset=CourseModule.objects.select_related("module").order_by("position", "id"),
        )
    )


def site_host() -> str:
    return urlsplit(str(settings.PUBLIC_URL)).hostname or "localhost"


def event_uid(session: TrainingSession) -> str:
    """The session's UID: the same for every version of the session, forever."""
    return f"training-session-{session.pk}@{site_host()}"


def session_url(session: TrainingSession) -> str:
    """The absolute address of the session's page (empty when the page is not wired)."""
    try:
        path = reverse("training:session_detail", args=[session.pk])
    except NoReverseMatch:
        return ""
    return str(settings.PUBLIC_URL).rstrip("/") + path


def session_event(session: TrainingSession, *, stamp: datetime.datetime | None = None) -> Event:
    """The VEVENT of ``session``, texts in the active language."""
    event = Event()
    event.add("uid", event_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", stamp or timezone.now())
    event.add("created", session.created_at)
    event.add("last-modified", session.updated_at)
    event.add("dtstart", session.starts_at.astimezone(RIGA))
    event.add("dtend", session.ends_at.astimezone(RIGA))
    event.add("summary", session.display_title)
    event.add("description", _description(session))
    location = ", ".join(part for part in (session.venue, session.address) if part)
    if session.mode == TrainingSession.Mode.ONLINE and not location:
        location = session.online_url
    if location:
        event.add("location", location)
    url = session.online_url or session_url(session)
    if url:
        event.add("url", url)
    cancelled = session.status == TrainingSession.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    event.add("organizer", _organizer(session))
    return event


def session_calendar(session: TrainingSession, *, language: str | None = None) -> bytes:
    """A calendar with one session (an email attachment, the session's ``.ics`` download)."""
    return sessions_calendar([session], name=None, language=language)


def sessions_calendar(
    sessions: Iterable[TrainingSession], *, name: str | None, language: str | None = None
) -> bytes:
    """A calendar with many sessions (a personal or organisation feed). ``name`` is shown by
    calendar programs as the calendar's title."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        if name:
            calendar.add("x-wr-calname", name)
            calendar.add("name", name)
        calendar.add("x-wr-timezone", "Europe/Riga")
        stamp = timezone.now()
        for session in sessions:
            calendar.add_component(session_event(session, stamp=stamp))
        calendar.add_missing_timezones()
        return calendar.to_ical()


def _description(session: TrainingSession) -> str:
    lines = [session.course.name]
    modules = [link.module for link in session.course.course_modules.all()]
    if modules:
        lines.append("")
        lines.append(_("Modules:"))
        lines.extend(f"- {module.name} ({module.hours} h)" for module in modules)
    if session.online_url:
        lines.append("")
        lines.append(_("Online: %(url)s") % {"url": session.online_url})
    access = [
        str(label)
        for present, label in (
            (session.step_free_access, _("step-free access")),
            (session.accessible_toilet, _("accessible toilet")),
            (session.hearing_loop, _("hearing loop")),
        )
        if present
    ]
    if session.accessibility_notes:
        access.append(session.accessibility_notes)
    if access:
        lines.append("")
        lines.append(_("Accessibility: %(features)s") % {"features": "; ".join(access)})
    if session.status == TrainingSession.Status.CANCELLED:
        lines.insert(0, _("CANCELLED"))
    return "\n".join(lines)


def _organizer(session: TrainingSession) -> vCalAddress:
    address = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1] or f"noreply@{site_host()}"
    organizer = vCalAddress(f"mailto:{address}")
    issuer = session.issuing_organisation
    organizer.params["cn"] = vText(issuer.name if issuer is not None else "Noturība")
    return organizer
