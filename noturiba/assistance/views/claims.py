"""Assistance requests: the claims pages (mounted under ``/requests/``).

- the offer form under each line of a request page (``_line_claims.html``) posts to
  ``claim_offer``; managers accept or decline pending offers, organisations withdraw theirs;
- a claim's page (``claim``): its history with notes and photos, the progress form (phone-first),
  release, ask to take over, answer a request to take over;
- "Our claims" (``my_claims``): the organisations' claims by state and what waits for them;
- a claim photo (``claim_photo``), served only to those who may see the claim's history.

Every form works without JavaScript: POST, then a redirect with a message saying what happened.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from noturiba.accounts import policy
from noturiba.assistance.actions import claims as actions
from noturiba.assistance.forms.claims import (
    AcceptOfferForm,
    ClaimUpdateForm,
    OfferForm,
    ReasonForm,
    TransferRequestForm,
)
from noturiba.assistance.models import AssistanceRequest, Claim, Offer
from noturiba.assistance.photos import prepare_photos
from noturiba.assistance.selectors import claims as selectors

# The request page's URL name (another module's); "Our claims" when it is not there.
REQUEST_PAGE = "assistance:detail"


def request_page(request: AssistanceRequest) -> str:
    try:
        return reverse(REQUEST_PAGE, args=[request.pk])
    except NoReverseMatch:
        return reverse("assistance:my_claims")


def _back(http: HttpRequest, fallback: str) -> HttpResponse:
    target = http.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={http.get_host()}, require_https=http.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _refused(http: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(http, message)


def _form_errors(http: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(http, f"{label}: {error}" if label else error)


# --- Offers (from the request page) ----------------------------------------------------------


@login_required
@require_POST
def offer(http: HttpRequest, line_id: int) -> HttpResponse:
    line = selectors.get_line_of_visible_request(http.user, line_id)
    back = request_page(line.request)
    organisations = policy.offering_organisations(http.user)
    if not organisations.exists():
        raise PermissionDenied
    form = OfferForm(http.POST, organisations=organisations)
    if not form.is_valid():
        _form_errors(http, form)
        return _back(http, back)
    try:
        made = actions.offer_line_part(
            http.user,
            line=line,
            organisation=form.cleaned_data["organisation"],
            quantity=form.cleaned_data["quantity"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _refused(http, error)
    else:
        values = {
            "quantity": actions.amount(made.quantity),
            "unit": line.get_unit_display(),
            "capability": line.capability,
            "organisation": made.organisation.name,
        }
        if made.state == Offer.State.ACCEPTED:
            messages.success(
                http,
                _("%(organisation)s claimed %(quantity)s %(unit)s of %(capability)s.") % values,
            )
        else:
            messages.success(
                http,
                _(
                    "%(organisation)s offered %(quantity)s %(unit)s of %(capability)s; "
                    "the offer waits for the request's approval."
                )
                % values,
            )
    return _back(http, back)


@login_required
@require_POST
def accept_offer(http: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.get_offer_for_user(http.user, pk)
    back = request_page(found.line.request)
    form = AcceptOfferForm(http.POST)
    if not form.is_valid():
        _form_errors(http, form)
        return _back(http, back)
    try:
        claim = actions.accept_offer(http.user, offer=found, quantity=form.cleaned_data["quantity"])
    except ValidationError as error:
        _refused(http, error)
    else:
        messages.success(
            http,
            _("The offer of %(organisation)s is accepted: %(quantity)s %(unit)s claimed.")
            % {
                "organisation": found.organisation.name,
                "quantity": actions.amount(claim.quantity),
                "unit": found.line.get_unit_display(),
            },
        )
    return _back(http, back)


@login_required
@require_POST
def decline_offer(http: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.get_offer_for_user(http.user, pk)
    back = request_page(found.line.request)
    form = ReasonForm(http.POST)
    if not form.is_valid():
        _form_errors(http, form)
        return _back(http, back)
    try:
        actions.decline_offer(http.user, offer=found, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _refused(http, error)
    else:
        messages.success(
            http,
            _("The offer of %(organisation)s is declined.")
            % {"organisation": found.organisation.name},
        )
    return _back(http, back)


@login_required
@require_POST
def withdraw_offer(http: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.get_offer_for_user(http.user, pk)
    back = request_page(found.line.request)
    try:
        actions.withdraw_offer(http.user, offer=found)
    except ValidationError as error:
        _refused(http, error)
    else:
        messages.success(http, _("Your offer is withdrawn."))
    return _back(http, back)


# --- Claims ---------------------------------------------------------------------------------


def _claim_context(http: HttpRequest, claim: Claim, **forms: Any) -> dict[str, Any]:
    actor = http.user
    request = claim.line.request
    history = selectors.sees_claim_history(actor, claim)
    can_report = policy.can_report_on_claim(actor, claim.organisation_id)
    is_open = claim.state in actions.OPEN_STATES
    can_release = is_open and (
        policy.can_offer_for(actor, claim.organisation_id) or selectors.manages(actor, request)
    )
    transfer = selectors.pending_transfer(claim) if is_open else None
    takers = policy.offering_organisations(actor).exclude(pk=claim.organisation_id).order_by("name")
    can_ask = (
        is_open
        and transfer is None
        and request.state == AssistanceRequest.State.OPEN
        and takers.exists()
    )
    context: dict[str, Any] = {
        "claim": claim,
        "line": claim.line,
        "request_obj": request,
        "request_url": request_page(request),
        "history": selectors.claim_history(claim) if history else None,
        "can_report": can_report and is_open,
        "can_release": can_release,
        "can_ask": can_ask,
        "transfer": transfer,
        "can_answer": transfer is not None
        and policy.can_answer_transfer(actor, holder_organisation_id=claim.organisation_id),
        "can_withdraw_transfer": transfer is not None
        and policy.can_offer_for(actor, transfer.to_organisation_id),
    }
    if context["can_report"]:
        context["update_form"] = forms.get("update_form") or ClaimUpdateForm(
            current_state=claim.state
        )
    if can_release:
        context["release_form"] = forms.get("release_form") or ReasonForm(prefix="release")
    if can_ask:
        context["transfer_form"] = forms.get("transfer_form") or TransferRequestForm(
            organisations=takers, prefix="transfer"
        )
    return context


@login_required
@require_GET
def claim_page(http: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.get_claim_for_user(http.user, pk)
    return render(http, "assistance/claims/claim.html", _claim_context(http, claim))


def _claim_again(http: HttpRequest, claim: Claim, status: int = 200, **forms: Any) -> HttpResponse:
    return render(
        http, "assistance/claims/claim.html", _claim_context(http, claim, **forms), status=status
    )


@login_required
@require_POST
def update_claim(http: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.get_claim_for_user(http.user, pk)
    if not policy.can_report_on_claim(http.user, claim.organisation_id):
        raise PermissionDenied
    if claim.state not in actions.OPEN_STATES:
        messages.error(
            http,
            _("This claim is %(state)s: it takes no more updates.")
            % {"state": claim.get_state_display()},
        )
        return redirect("assistance:claim", pk=claim.pk)
    form = ClaimUpdateForm(http.POST, http.FILES, current_state=claim.state)
    if form.is_valid():
        try:
            photos = prepare_photos(
                form.cleaned_data["photos"],
                [form.cleaned_data["photo_description"]] * len(form.cleaned_data["photos"]),
            )
            actions.update_claim(
                http.user,
                claim=claim,
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
                photos=photos,
            )
        except ValidationError as error:
            code = getattr(error, "code", None)
            field = {actions.NOTE_REQUIRED: "note", actions.INVALID_TRANSITION: "state"}.get(
                code or "", "photos"
            )
            for message in error.messages:
                form.add_error(field, message)
        else:
            messages.success(
                http,
                _("Your update is saved: the claim is %(state)s.")
                % {"state": claim.get_state_display()},
            )
            return redirect("assistance:claim", pk=claim.pk)
    return _claim_again(http, claim, status=422, update_form=form)


@login_required
@require_POST
def release_claim(http: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.get_claim_for_user(http.user, pk)
    form = ReasonForm(http.POST, prefix="release")
    if form.is_valid():
        try:
            actions.release_claim(http.user, claim=claim, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _refused(http, error)
        else:
            messages.success(
                http,
                _("The claim is released: %(quantity)s %(unit)s are open to offers again.")
                % {
                    "quantity": actions.amount(claim.quantity),
                    "unit": claim.line.get_unit_display(),
                },
            )
        return redirect("assistance:claim", pk=claim.pk)
    return _claim_again(http, claim, status=422, release_form=form)


@login_required
@require_POST
def ask_transfer(http: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.get_claim_for_user(http.user, pk)
    organisations = policy.offering_organisations(http.user).exclude(pk=claim.organisation_id)
    if not organisations.exists():
        raise PermissionDenied
    form = TransferRequestForm(http.POST, organisations=organisations, prefix="transfer")
    if form.is_valid():
        try:
            actions.request_transfer(
                http.user,
                claim=claim,
                to_organisation=form.cleaned_data["to_organisation"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _refused(http, error)
        else:
            messages.success(
                http,
                _("%(holder)s's admins are asked to hand the claim over to %(organisation)s.")
                % {
                    "holder": claim.organisation.name,
                    "organisation": form.cleaned_data["to_organisation"].name,
                },
            )
        return redirect("assistance:claim", pk=claim.pk)
    return _claim_again(http, claim, status=422, transfer_form=form)


def _answer(http: HttpRequest, pk: int, verb: str) -> HttpResponse:
    transfer = selectors.get_transfer_for_user(http.user, pk)
    claim_id = transfer.claim_id
    try:
        if verb == "approve":
            actions.approve_transfer(http.user, transfer=transfer)
            text = _("The claim is handed over to %(organisation)s.")
        elif verb == "decline":
            actions.decline_transfer(
                http.user, transfer=transfer, reason=http.POST.get("reason", "")
            )
            text = _("You keep the claim: the request of %(organisation)s is declined.")
        else:
            actions.withdraw_transfer(http.user, transfer=transfer)
            text = _("The request of %(organisation)s to take over is withdrawn.")
    except ValidationError as error:
        _refused(http, error)
    else:
        messages.success(http, text % {"organisation": transfer.to_organisation.name})
    return _back(http, reverse("assistance:claim", args=[claim_id]))


@login_required
@require_POST
def approve_transfer(http: HttpRequest, pk: int) -> HttpResponse:
    return _answer(http, pk, "approve")


@login_required
@require_POST
def decline_transfer(http: HttpRequest, pk: int) -> HttpResponse:
    return _answer(http, pk, "decline")


@login_required
@require_POST
def withdraw_transfer(http: HttpRequest, pk: int) -> HttpResponse:
    return _answer(http, pk, "withdraw")


@login_required
@require_http_methods(["GET"])
def my_claims(http: HttpRequest) -> HttpResponse:
    context = selectors.our_claims(http.user)
    context["has_organisation"] = bool(policy.roles_of(http.user).organisations)
    return render(http, "assistance/claims/my_claims.html", context)


@login_required
@require_GET
def claim_photo(http: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.get_photo_for_user(http.user, pk)
    response = HttpResponse(bytes(photo.content), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="claim-photo-{photo.pk}.jpg"'
    return response


urlpatterns: list[URLPattern] = [
    path("claims/", my_claims, name="my_claims"),
    path("claims/<int:pk>/", claim_page, name="claim"),
    path("claims/<int:pk>/update/", update_claim, name="claim_update"),
    path("claims/<int:pk>/release/", release_claim, name="claim_release"),
    path("claims/<int:pk>/take-over/", ask_transfer, name="claim_transfer"),
    path("claims/photos/<int:pk>/", claim_photo, name="claim_photo"),
    path("lines/<int:line_id>/offer/", offer, name="claim_offer"),
    path("offers/<int:pk>/accept/", accept_offer, name="offer_accept"),
    path("offers/<int:pk>/decline/", decline_offer, name="offer_decline"),
    path("offers/<int:pk>/withdraw/", withdraw_offer, name="offer_withdraw"),
    path("transfers/<int:pk>/approve/", approve_transfer, name="transfer_approve"),
    path("transfers/<int:pk>/decline/", decline_transfer, name="transfer_decline"),
    path("transfers/<int:pk>/withdraw/", withdraw_transfer, name="transfer_withdraw"),
]
