"""Training pages: certificates (URLs in ``urlpatterns``, collected by ``training/urls.py``).

- a session's results (who completed and who did not, and why) and closing them, which issues
  the certificates: the session's trainers and coordinators;
- one certificate (download, revocation) and "my certificates": whoever
  ``policy.can_view_certificate`` allows — anyone else gets a 404. The certificate page shows
  them the reason of a revocation (the holder should know why);
- the public verification of a code, without signing in: ``/verify/`` (a form) and
  ``/verify/<code>``. It shows the certificate's own snapshot and its state, never the
  reason of a revocation (it may name a person's circumstances) — only that and when.

There is no rate limit on verification: the project has none for pages (django-axes guards
sign-in only), and a 60-bit random code is not found by guessing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from noturiba.accounts import policy
from noturiba.api.errors import error_response
from noturiba.network.views.common import attach_errors, page_of
from noturiba.training.actions import certificates as actions
from noturiba.training.certificate_pdf import render_certificate, verification_url
from noturiba.training.forms.certificates import RevokeForm, VerifyForm
from noturiba.training.models import Certificate
from noturiba.training.selectors import certificates as selectors

RESULTS_PAGE_SIZE = 50
LIST_PAGE_SIZE = 25


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


# --- Results and issuing --------------------------------------------------------------------


@login_required
@require_GET
def session_results(request: HttpRequest, session_id: int) -> HttpResponse:
    """Who completed the session's course, who did not and why; the button to close results."""
    session = selectors.get_session_to_run(request.user, session_id)
    total_hours = selectors.course_hours(session.course)
    page = page_of(request, selectors.session_enrolments(session), RESULTS_PAGE_SIZE)
    results = selectors.results_of(session, list(page.object_list), total_hours)
    return render(
        request,
        "training/certificates/results.html",
        {
            "session": session,
            "course": session.course,
            "page": page,
            "results": results,
            "total_hours": total_hours,
            "hours_needed": selectors.hours_needed(session.course, total_hours),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def close_results(request: HttpRequest, session_id: int) -> HttpResponse:
    """A confirmation page (GET) and closing the results (POST)."""
    session = selectors.get_session_to_run(request.user, session_id)
    error = None
    if request.method == "POST":
        try:
            issued = actions.close_results(request.user, session=session)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "Results closed: %(count)d certificate issued.",
                    "Results closed: %(count)d certificates issued.",
                    len(issued),
                )
                % {"count": len(issued)},
            )
            return redirect("training:session_results", session_id=session.pk)
    return render(
        request,
        "training/certificates/close_results.html",
        {"session": session, "error": error},
        status=400 if error else 200,
    )


# --- One certificate ------------------------------------------------------------------------


@login_required
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own certificates."""
    page = page_of(request, selectors.certificates_of_person(request.user), LIST_PAGE_SIZE)
    return _private(
        render(
            request,
            "training/certificates/list.html",
            {"page": page, "today": selectors.riga_today()},
        )
    )


def _certificate_page(
    request: HttpRequest, certificate: Certificate, form: RevokeForm | None, status: int = 200
) -> HttpResponse:
    can_revoke = policy.can_revoke_certificate(request.user)
    return _private(
        render(
            request,
            "training/certificates/detail.html",
            {
                "certificate": certificate,
                "state": certificate.state_on(selectors.riga_today()),
                "verification_url": verification_url(certificate.code),
                "can_revoke": can_revoke and certificate.revoked_at is None,
                "form": (form or RevokeForm()) if can_revoke else None,
            },
            status=status,
        )
    )


@login_required
@require_GET
def certificate_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate for its holder (and whoever may see it): download, state, revocation."""
    certificate = selectors.get_certificate_for_user(request.user, code)
    return _certificate_page(request, certificate, None)


@require_GET
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate as a PDF; 404 for anyone ``policy.can_view_certificate`` refuses
    (anonymous visitors included)."""
    certificate = selectors.get_certificate_for_user(request.user, code)
    response = HttpResponse(render_certificate(certificate), content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(
            as_attachment=True, filename=f"sertifikats-{certificate.code}.pdf"
        )
        or "attachment"
    )
    return _private(response)


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.get_certificate_for_user(request.user, code)
    if not policy.can_revoke_certificate(request.user):
        raise PermissionDenied
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            actions.revoke_certificate(
                request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The certificate is revoked."))
            return redirect("training:certificate", code=certificate.code)
    return _certificate_page(request, certificate, form, status=400)


# --- Public verification --------------------------------------------------------------------


def _verification_page(
    request: HttpRequest, context: dict[str, object], status: int = 200
) -> HttpResponse:
    response = render(request, "training/certificates/verify.html", context, status=status)
    return _public(response)


def _public(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    patch_vary_headers(response, ["Accept"])
    return response


def _wants_json(request: HttpRequest) -> bool:
    """A client asking for JSON (``Accept: application/json``); browsers get the page."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _verification_json(verification: selectors.Verification) -> dict[str, object]:
    """The certificate's snapshot and state, for programs (the page's content, no more)."""
    certificate = verification.certificate
    return {
        "code": certificate.code,
        "state": verification.state,
        "holder_name": certificate.holder_name,
        "course": {"lv": certificate.course_name_lv, "en": certificate.course_name_en},
        "modules": [
            {
                "name_lv": module.get("name_lv", ""),
                "name_en": module.get("name_en", ""),
                "hours": module.get("hours", ""),
            }
            for module in certificate.modules or []
        ],
        "hours": str(certificate.hours),
        "completed_on": certificate.completed_on.isoformat(),
        "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
        "trainers": certificate.trainer_names,
        "issuer": certificate.issuer_name,
        "revoked_on": verification.revoked_on.isoformat() if verification.revoked_on else None,
    }


@never_cache
@require_safe
def verify_form(request: HttpRequest) -> HttpResponse:
    """A form to type a code; a typed code is shown at its own address."""
    if "code" not in request.GET:
        return _verification_page(request, {"form": VerifyForm()})
    form = VerifyForm(request.GET)
    if form.is_valid():
        try:
            code = selectors.normalise_code(form.cleaned_data["code"])
        except selectors.MalformedCode as malformed:
            form.add_error("code", malformed.reason)
        else:
            return redirect("training:verify_code", code=code)
    return _verification_page(request, {"form": form, "malformed": True}, status=400)


@never_cache
@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """The state of the certificate with ``code``: valid, expired or revoked (200), no such
    certificate (404) or not a code at all (400). As JSON for ``Accept: application/json``
    (errors in the API's shape)."""
    as_json = _wants_json(request)
    try:
        normalised = selectors.normalise_code(code.rstrip("/"))
    except selectors.MalformedCode as malformed:
        if as_json:
            return _public(error_response(400, "malformed", malformed.reason))
        return _verification_page(
            request, {"form": VerifyForm(), "malformed": True, "reason": malformed.reason}, 400
        )
    verification = selectors.verify_code(normalised)
    if verification is None:
        if as_json:
            message = _("There is no certificate with this code.")
            return _public(error_response(404, "not_found", message))
        return _verification_page(
            request,
            {"form": VerifyForm(initial={"code": normalised}), "unknown": normalised},
            status=404,
        )
    if as_json:
        body = _verification_json(verification)
        return _public(JsonResponse(body, json_dumps_params={"ensure_ascii": False}))
    return _verification_page(
        request, {"form": VerifyForm(), "verification": verification, "code": normalised}
    )


urlpatterns: list[URLPattern] = [
    path(
        "training/sessions/<int:session_id>/results/",
        session_results,
        name="session_results",
    ),
    path(
        "training/sessions/<int:session_id>/results/close/",
        close_results,
        name="close_results",
    ),
    path("training/certificates/", my_certificates, name="my_certificates"),
    path("training/certificates/<str:code>.pdf", certificate_pdf, name="certificate_pdf"),
    path("training/certificates/<str:code>/", certificate_detail, name="certificate"),
    path("training/certificates/<str:code>/revoke/", certificate_revoke, name="certificate_revoke"),
    path("verify/", verify_form, name="verify"),
    path("verify/<path:code>", verify, name="verify_code"),
]
