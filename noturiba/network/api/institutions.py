"""Institutions and cooperation agreements."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from noturiba.api.auth import actor_of, signed_in
from noturiba.api.pagination import Page, PageQuery, paginate
from noturiba.network import actions, selectors
from noturiba.network.api.common import (
    CodeLookup,
    ObjectPath,
    responses,
)
from noturiba.network.schemas import (
    AgreementIn,
    AgreementOut,
    InstitutionIn,
    InstitutionOut,
    InstitutionPatch,
)

router = Router()


# --- Institutions -------------------------------------------------------------------------------


@router.get(
    "/institutions",
    response=responses(200, Page[InstitutionOut], 401),
    auth=signed_in,
    tags=["institutions"],
)
def list_institutions(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """State and municipal institutions the network works with."""
    institutions = selectors.institutions_visible_to(actor_of(request))
    return paginate(request, institutions.prefetch_related("municipalities"), paging)


@router.get(
    "/institutions/{int:institution_id}",
    response=responses(200, InstitutionOut, 401, 404),
    auth=signed_in,
    tags=["institutions"],
)
def get_institution(request: HttpRequest, institution_id: int = ObjectPath) -> Any:
    return selectors.get_institution_for_user(actor_of(request), institution_id)


@router.post(
    "/institutions",
    response=responses(201, InstitutionOut, 400, 401, 403),
    auth=signed_in,
    tags=["institutions"],
)
def create_institution(request: HttpRequest, payload: InstitutionIn) -> Status[Any]:
    """Add an institution (coordinators)."""
    codes = CodeLookup()
    municipalities = codes.municipalities("municipalities", payload.municipalities)
    codes.check()
    institution = actions.create_institution(
        actor_of(request),
        data=payload.model_dump(exclude={"municipalities"}),
        municipalities=municipalities,
    )
    return Status(201, institution)


@router.patch(
    "/institutions/{int:institution_id}",
    response=responses(200, InstitutionOut, 400, 401, 403, 404),
    auth=signed_in,
    tags=["institutions"],
)
def update_institution(
    request: HttpRequest, payload: InstitutionPatch, institution_id: int = ObjectPath
) -> Any:
    """Change some fields of an institution (coordinators)."""
    actor = actor_of(request)
    institution = selectors.get_institution_for_user(actor, institution_id)
    data = payload.model_dump(exclude_unset=True)
    codes = CodeLookup()
    municipalities = codes.popped_municipalities(data)
    codes.check()
    return actions.update_institution(
        actor, institution=institution, data=data, municipalities=municipalities
    )


# --- Agreements ---------------------------------------------------------------------------------


@router.get(
    "/agreements",
    response=responses(200, Page[AgreementOut], 401),
    auth=signed_in,
    tags=["agreements"],
)
def list_agreements(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """Cooperation agreements the caller may see (their organisation's or institution's)."""
    return paginate(request, selectors.agreements_visible_to(actor_of(request)), paging)


@router.get(
    "/agreements/{int:agreement_id}",
    response=responses(200, AgreementOut, 401, 404),
    auth=signed_in,
    tags=["agreements"],
)
def get_agreement(request: HttpRequest, agreement_id: int = ObjectPath) -> Any:
    return selectors.get_agreement_for_user(actor_of(request), agreement_id)


@router.post(
    "/agreements",
    response=responses(201, AgreementOut, 400, 401, 403),
    auth=signed_in,
    tags=["agreements"],
)
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Status[Any]:
    """Record a cooperation agreement between an organisation and an institution
    (coordinators)."""
    actor = actor_of(request)
    errors: dict[str, list[str]] = {}
    try:
        organisation = selectors.get_organisation_for_user(actor, payload.organisation)
    except Http404:
        errors["organisation"] = [_("No such organisation.")]
    try:
        institution = selectors.get_institution_for_user(actor, payload.institution)
    except Http404:
        errors["institution"] = [_("No such institution.")]
    if errors:
        raise ValidationError(errors)
    agreement = actions.create_agreement(
        actor,
        organisation=organisation,
        institution=institution,
        scope=payload.scope,
        signed_on=payload.signed_on,
        valid_until=payload.valid_until,
    )
    return Status(201, selectors.get_agreement_for_user(actor, agreement.pk))
