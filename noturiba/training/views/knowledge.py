"""Knowing the network's knowledge: a person's learning record, an organisation's training
coverage, the competency matrix by municipality with its charts, and the people whose
competencies expire soon with one-click invitations (URLs in ``urlpatterns`` below, collected by
``training/urls.py``).

Who sees what is in ``noturiba.accounts.policy``: the learning record (the person, admins of
their organisations, coordinators), the coverage (the organisation's admins, coordinators), the
matrix (coordinators everywhere, officers in their jurisdiction, counts only), the expiring
people and invitations (coordinators).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from noturiba.accounts import policy
from noturiba.network.models import Municipality
from noturiba.training import charts, tasks
from noturiba.training.actions import knowledge as actions
from noturiba.training.forms.knowledge import ExpiringFilter, InviteForm, MatrixForm
from noturiba.training.models import CompetencyGrant
from noturiba.training.selectors import knowledge as selectors

COVERAGE_PAGE_SIZE = 25
EXPIRING_PAGE_SIZE = 25
CHART_MONTHS = selectors.CHART_MONTHS


def _page(request: HttpRequest, items: Any, size: int, key: str = "page") -> Page:
    return Paginator(items, size).get_page(request.GET.get(key))


# --- A person's learning record -----------------------------------------------------------------


@login_required
@require_GET
def learning_record(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.get_person_for_record(request.user, person_id)
    record = selectors.learning_record(person)
    return render(request, "training/knowledge/learning_record.html", {"record": record})


# --- An organisation's training coverage --------------------------------------------------------


@login_required
@require_GET
def coverage(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.get_organisation_for_coverage(request.user, organisation_id)
    total, rows = selectors.coverage_by_competency(organisation)
    competencies = [row.competency for row in rows]
    people = _page(request, selectors.organisation_people(organisation), COVERAGE_PAGE_SIZE)
    table = selectors.coverage_cells(list(people.object_list), competencies)
    heading = _("Share of the organisation's people holding each competency")
    chart = _chart(
        charts.horizontal_bars(
            [charts.Point(row.competency.name, row.percent) for row in rows],
            title=heading,
            description=_(
                "Horizontal bars, one per competency: the percentage of the organisation's "
                "%(people)s people who hold it today."
            )
            % {"people": total},
            unit="%",
        ),
        heading,
        [_("Competency"), _("People holding it"), _("Percentage"), _("Expiring soon")],
        [[row.competency.name, row.held, f"{row.percent} %", row.expiring] for row in rows],
    )
    return render(
        request,
        "training/knowledge/coverage.html",
        {
            "organisation": organisation,
            "total": total,
            "rows": rows,
            "competencies": competencies,
            "page": people,
            "table": table,
            "chart": chart,
            "window": selectors.EXPIRY_WINDOW_DAYS,
        },
    )


# --- The competency matrix and its charts -------------------------------------------------------


def _month(day: Any) -> str:
    return formats.date_format(day, "M Y")


def _chart(svg: Any, heading: str, headings: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    """What ``_chart.html`` shows: the SVG and its data table."""
    return {"svg": svg, "heading": heading, "headings": headings, "rows": rows}


def _charts(
    matrix: selectors.CompetencyMatrix, municipality_ids: list[int] | None, chart_index: int
) -> dict[str, Any]:
    """The three charts of the knowledge page: the coverage chart from the matrix; attendance and
    feedback for the whole network from the matrix's snapshot, for a jurisdiction (or with no
    snapshot yet) from ``chart_figures`` (two queries when not cached)."""
    if municipality_ids is None and matrix.charts is not None:
        attendance, feedback = matrix.charts
    else:
        attendance, feedback = selectors.chart_figures(municipality_ids, months=CHART_MONTHS)
    heading = _("People attending training, per month")
    charts_shown: dict[str, Any] = {
        "attendance": _chart(
            charts.columns(
                [charts.Point(_month(month), people) for month, people in attendance],
                title=heading,
                description=_(
                    "Columns, one per month of the last %(months)s months: how many different "
                    "people attended a session that month."
                )
                % {"months": CHART_MONTHS},
            ),
            heading,
            [_("Month"), _("People attending")],
            [[_month(month), people] for month, people in attendance],
        ),
    }
    heading = _("Average rating of sessions, per month (1 to 5)")
    charts_shown["feedback"] = _chart(
        charts.columns(
            [charts.Point(_month(row.month), row.overall) for row in feedback],
            title=heading,
            description=_(
                "Columns, one per month: the average overall rating attendees gave the sessions "
                "of that month, from 1 to 5; a dash where no one answered. The data table has "
                "every rating and the number of answers."
            ),
            maximum=5,
        ),
        heading,
        [_("Month"), _("Answers"), _("Overall"), _("Content"), _("Trainer"), _("Usefulness")],
        [
            [_month(r.month), r.answers, r.overall, r.content, r.trainer, r.relevance]
            for r in feedback
        ],
    )
    charts_shown["coverage"] = None
    charts_shown["coverage_competency"] = None
    missing = matrix.freshness == selectors.Freshness.MISSING
    if matrix.competencies and matrix.rows and not missing:
        competency = matrix.competencies[chart_index]
        cells = [(row.municipality, row.cells[chart_index]) for row in matrix.rows]
        heading = _("“%(competency)s” by municipality, people per 10,000 inhabitants") % {
            "competency": competency.name
        }
        charts_shown["coverage_competency"] = competency
        charts_shown["coverage"] = _chart(
            charts.horizontal_bars(
                [
                    charts.Point(
                        municipality.name,
                        cell.per_10k,
                        "—" if cell.per_10k is None else f"{cell.per_10k} ({cell.held})",
                    )
                    for municipality, cell in cells
                ],
                title=heading,
                description=_(
                    "Horizontal bars, one per municipality: people holding the competency today "
                    "per 10,000 inhabitants, with the number of people in brackets."
                ),
            ),
            heading,
            [_("Municipality"), _("People"), _("Per 10,000 inhabitants")],
            [[municipality.name, cell.held, cell.per_10k] for municipality, cell in cells],
        )
    return charts_shown


@login_required
@require_GET
def knowledge(request: HttpRequest) -> HttpResponse:
    if not policy.can_view_competency_matrix(request.user):
        raise PermissionDenied
    form = MatrixForm(request.GET)
    matrix = selectors.competency_matrix(request.user, threshold=form.threshold_value())
    if matrix.freshness != selectors.Freshness.CURRENT:
        # Shown as it is (or "being computed"); the worker computes newer figures.
        tasks.request_matrix_refresh(running_too=True)
    chart_code = request.GET.get("chart", "")
    codes = [competency.code for competency in matrix.competencies]
    chart_index = codes.index(chart_code) if chart_code in codes else 0
    coordinator = policy.can_view_expiring_people(request.user)
    scope = None if coordinator else [row.municipality.pk for row in matrix.rows]
    context = {
        "form": form,
        "matrix": matrix,
        "window": selectors.EXPIRY_WINDOW_DAYS,
        "can_see_people": coordinator,
        "expiring_rows": [
            (competency, sum(row.cells[index].expiring for row in matrix.rows))
            for index, competency in enumerate(matrix.competencies)
        ],
        **_charts(matrix, scope, chart_index),
    }
    return render(request, "training/knowledge/knowledge.html", context)


# --- People whose competencies expire; invitations ----------------------------------------------


def _expiring_filter(request: HttpRequest, data: Any) -> ExpiringFilter:
    return ExpiringFilter(
        data, municipalities=Municipality.objects.current().order_by("name_lv", "pk")
    )


def _expiring(form: ExpiringFilter) -> QuerySet[CompetencyGrant]:
    valid = form.is_valid()
    competency = form.cleaned_data.get("competency") if valid else None
    municipality = form.cleaned_data.get("municipality") if valid else None
    return selectors.expiring_grants(
        competency_id=competency.pk if competency else None,
        municipality_id=municipality.pk if municipality else None,
    )


@login_required
@require_GET
def expiring(request: HttpRequest) -> HttpResponse:
    if not policy.can_view_expiring_people(request.user):
        raise PermissionDenied
    form = _expiring_filter(request, request.GET or None)
    page = _page(request, _expiring(form), EXPIRING_PAGE_SIZE)
    return render(
        request,
        "training/knowledge/expiring.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.describe_expiring(list(page.object_list)),
            "query": form.query(),
            "window": selectors.EXPIRY_WINDOW_DAYS,
        },
    )


def _report(request: HttpRequest, results: list[actions.InvitationResult]) -> None:
    created = sum(result.created for result in results)
    already = sum(result.session is not None and not result.created for result in results)
    missing = [result for result in results if result.session is None]
    if created:
        messages.success(
            request,
            ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", created)
            % {"count": created},
        )
    if already:
        messages.info(
            request,
            ngettext(
                "%(count)s person was already invited to that session; nothing was sent again.",
                "%(count)s people were already invited to those sessions; nothing was sent again.",
                already,
            )
            % {"count": already},
        )
    for result in missing:
        messages.warning(
            request,
            _(
                "No upcoming session with a free place renews “%(competency)s”: "
                "%(person)s was not invited."
            )
            % {"competency": result.competency.name, "person": result.person.full_name},
        )


def _back(request: HttpRequest, query: str) -> HttpResponseRedirect:
    url = reverse("training:expiring")
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    """One click: invite one person to the next session renewing one competency."""
    if not policy.can_view_expiring_people(request.user):
        raise PermissionDenied
    form = InviteForm(request.POST)
    query = _expiring_filter(request, request.POST).query()
    if not form.is_valid():
        messages.error(request, _("That competency of that person does not exist."))
        return _back(request, query)
    grant = form.cleaned_data["grant"]
    result = actions.invite_to_next_session(
        request.user, person=grant.person, competency=grant.competency
    )
    _report(request, [result])
    return _back(request, query)


@login_required
@require_POST
def invite_all(request: HttpRequest) -> HttpResponse:
    """Invite everyone on the page shown (same filters, same page number)."""
    if not policy.can_view_expiring_people(request.user):
        raise PermissionDenied
    form = _expiring_filter(request, request.POST)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("The filter is not valid; nobody was invited."))
        return _back(request, "")
    page = Paginator(_expiring(form), EXPIRING_PAGE_SIZE).get_page(request.POST.get("page"))
    grants = list(page.object_list)
    results = actions.invite_people(
        request.user, pairs=[(grant.person, grant.competency) for grant in grants]
    )
    if not results:
        messages.info(request, _("Nobody to invite."))
    _report(request, results)
    query = form.query()
    if page.number > 1:
        query = f"{query}&page={page.number}" if query else f"page={page.number}"
    return _back(request, query)


urlpatterns: list[URLPattern] = [
    path("training/people/<int:person_id>/record/", learning_record, name="learning_record"),
    path(
        "training/organisations/<int:organisation_id>/coverage/",
        coverage,
        name="coverage",
    ),
    path("training/knowledge/", knowledge, name="knowledge"),
    path("training/knowledge/expiring/", expiring, name="expiring"),
    path("training/knowledge/expiring/invite/", invite, name="invite"),
    path("training/knowledge/expiring/invite-all/", invite_all, name="invite_all"),
]
