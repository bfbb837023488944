"""The network directory's JSON API (mounted at ``/api/v1/`` by ``noturiba.api.main``).

Endpoints are thin: parse (``noturiba.network.schemas``), call one selector or action, present.
Visibility comes from ``noturiba.network.selectors`` (404 when hidden, never a hint that the
object exists), permission from the actions (403) — both from ``noturiba.accounts.policy``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.responses import Status

from noturiba.accounts import policy
from noturiba.api.auth import PUBLIC_OPENAPI, actor_of, public, signed_in
from noturiba.api.errors import ErrorOut
from noturiba.api.pagination import Page, PageQuery, paginate
from noturiba.network import actions, exports, selectors
from noturiba.network.models import (
    CapabilityType,
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Person,
    TargetGroup,
)
from noturiba.network.schemas import (
    MAX_ID,
    AgreementIn,
    AgreementOut,
    CapabilityTypeOut,
    DirectoryQuery,
    ExportQuery,
    InstitutionIn,
    InstitutionOut,
    InstitutionPatch,
    MunicipalityOut,
    OfferIn,
    OfferOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    OrganisationView,
    PeopleQuery,
    PersonIn,
    PersonOut,
    PersonPatch,
    TargetGroupOut,
)

router = Router()


class OrganisationPage(Page[OrganisationView]):
    """A page of organisations: full ones for signed-in callers, public ones otherwise."""


ObjectPath = Path(..., ge=1, le=MAX_ID, description="Id of the object.")
CodePath = Path(..., max_length=40, pattern=r"^[a-z0-9_-]+$", description="Capability code.")


def _responses(ok: int, schema: Any, *errors: int) -> dict[int, Any]:
    return {ok: schema, **dict.fromkeys((*errors, 422), ErrorOut)}


# --- Looking up reference codes sent in bodies ---------------------------------------------


class _Codes:
    """Resolves codes sent in a body, collecting every unknown one as a field error."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def _unknown(self, field: str, codes: Iterable[str]) -> None:
        self.errors.setdefault(field, []).append(
            _("Unknown code: %(codes)s") % {"codes": ", ".join(sorted(codes))}
        )

    def municipalities(self, field: str, codes: Sequence[str]) -> list[Municipality]:
        """Municipalities by code; a merged one resolves to the one it was merged into."""
        wanted = {code.upper() for code in codes}
        found = {
            municipality.code: municipality
            for municipality in Municipality.objects.filter(code__in=wanted).select_related(
                "successor"
            )
        }
        if wanted - set(found):
            self._unknown(field, wanted - set(found))
        resolved: dict[int, Municipality] = {}
        for municipality in found.values():
            current = municipality
            while current.successor is not None and not current.is_current():
                current = current.successor
            resolved[current.pk] = current
        return list(resolved.values())

    def municipality(self, field: str, code: str | None) -> Municipality | None:
        if code is None:
            return None
        found = self.municipalities(field, [code])
        return found[0] if found else None

    def target_groups(self, field: str, codes: Sequence[str]) -> list[TargetGroup]:
        found = list(TargetGroup.objects.filter(code__in=set(codes)))
        missing = set(codes) - {group.code for group in found}
        if missing:
            self._unknown(field, missing)
        return found

    def capability(self, field: str, code: str) -> CapabilityType | None:
        capability = CapabilityType.objects.filter(code=code).first()
        if capability is None:
            self._unknown(field, [code])
        return capability

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


# --- Reference data ---------------------------------------------------------------------------


@router.get(
    "/municipalities",
    response=_responses(200, Page[MunicipalityOut]),
    auth=public,
    openapi_extra=PUBLIC_OPENAPI,
    tags=["reference data"],
)
def list_municipalities(
    request: HttpRequest,
    paging: Query[PageQuery],
    include_historical: bool = Query(
        False, description="Also list municipalities that no longer exist (merged ones)."
    ),
) -> dict[str, Any]:
    """Latvia's local governments: the current ones, or all with `include_historical=1`."""
    queryset = (
        Municipality.objects.all() if include_historical else selectors.current_municipalities()
    )
    return paginate(request, queryset.select_related("successor"), paging)


@router.get(
    "/capabilities",
    response=_responses(200, Page[CapabilityTypeOut]),
    auth=public,
    openapi_extra=PUBLIC_OPENAPI,
    tags=["reference data"],
)
def list_capabilities(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """The capability catalogue: what organisations can offer in a crisis, with units."""
    return paginate(request, selectors.capability_catalogue(), paging)


@router.get(
    "/target-groups",
    response=_responses(200, Page[TargetGroupOut]),
    auth=public,
    openapi_extra=PUBLIC_OPENAPI,
    tags=["reference data"],
)
def list_target_groups(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """Groups of people organisations serve."""
    return paginate(request, selectors.target_groups().select_related("parent"), paging)


# --- Organisations ------------------------------------------------------------------------------


def _mark_details(actor: policy.Actor, rows: Sequence[Organisation]) -> Sequence[Organisation]:
    """Mark each row with whether ``actor`` may see its details (``OrganisationView``)."""
    for row in rows:
        row.show_details = policy.can_view_organisation_details(actor, row)  # type: ignore[attr-defined]
    return rows


def _present_organisation(actor: policy.Actor, organisation: Organisation) -> Organisation:
    detailed = selectors.with_directory_details(Organisation.objects.filter(pk=organisation.pk))
    return _mark_details(actor, [detailed.get()])[0]


def _offers(codes: _Codes, payload: OrganisationIn) -> list[actions.CapabilityOffer]:
    offers: list[actions.CapabilityOffer] = []
    seen: set[str] = set()
    for index, offer in enumerate(payload.capabilities):
        field = f"capabilities.{index}.code"
        if offer.code in seen:
            codes.errors.setdefault(field, []).append(_("This capability is listed twice."))
            continue
        seen.add(offer.code)
        capability = codes.capability(field, offer.code)
        if capability is not None:
            offers.append(
                actions.CapabilityOffer(
                    capability=capability,
                    quantity=offer.quantity,
                    startup_hours=offer.startup_hours,
                    availability=offer.availability,
                )
            )
    return offers


@router.get(
    "/organisations",
    response=_responses(200, OrganisationPage),
    auth=public,
    openapi_extra=PUBLIC_OPENAPI,
    tags=["organisations"],
)
def list_organisations(
    request: HttpRequest, filters: Query[DirectoryQuery], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The directory, with the directory page's search and filters.

    Signed-in callers get full organisations; anonymous callers only organisations marked
    public, with their public fields (`PublicOrganisationOut`).
    """
    actor = actor_of(request)
    directory = selectors.DirectoryFilters.from_query(filters.as_query())
    queryset = selectors.with_directory_details(selectors.search_directory(actor, directory))
    return paginate(request, queryset, paging, present=lambda rows: _mark_details(actor, rows))


@router.post(
    "/organisations",
    response=_responses(201, OrganisationOut, 400, 401, 403),
    auth=signed_in,
    tags=["organisations"],
)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Any]:
    """Add an organisation to the directory (coordinators)."""
    actor = actor_of(request)
    codes = _Codes()
    seat = codes.municipality("municipality", payload.municipality)
    municipalities = codes.municipalities("municipalities", payload.municipalities)
    target_groups = codes.target_groups("target_groups", payload.target_groups)
    offers = _offers(codes, payload)
    codes.check()
    data = payload.model_dump(exclude={"municipalities", "target_groups", "capabilities"})
    data["municipality"] = seat
    with transaction.atomic():
        organisation = actions.create_organisation(
            actor, data=data, municipalities=municipalities, target_groups=target_groups
        )
        if offers:
            actions.set_capabilities(actor, organisation=organisation, offers=offers)
    return Status(201, _present_organisation(actor, organisation))


EXPORT_OPENAPI: dict[str, Any] = {
    "responses": {
        "200": {
            "description": "The file, as an attachment.",
            "content": {
                media: {"schema": {"type": "string"}}
                for media in ("text/csv", "application/geo+json", "text/vcard")
            },
        }
    }
}


# Declared before ``/organisations/{id}``, which the path converter would not match anyway.
@router.get(
    "/organisations/export",
    response=dict.fromkeys((401, 403, 422), ErrorOut),
    openapi_extra=EXPORT_OPENAPI,
    tags=["organisations"],
)
def export_organisations(request: HttpRequest, query: Query[ExportQuery]) -> StreamingHttpResponse:
    """The filtered directory as a file: the same filters and rules as the list."""
    actor = actor_of(request)
    if not policy.can_export_directory(actor):
        raise PermissionDenied
    directory = selectors.DirectoryFilters.from_query(query.as_query())
    export = exports.export_organisations(
        actor, directory, query.format, base_url=request.build_absolute_uri("/")
    )
    response = StreamingHttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/organisations/{int:organisation_id}",
    response=_responses(200, OrganisationView, 401, 404),
    auth=public,
    openapi_extra=PUBLIC_OPENAPI,
    tags=["organisations"],
)
def get_organisation(request: HttpRequest, organisation_id: int = ObjectPath) -> Organisation:
    """One organisation; 404 when it does not exist or the caller may not see it."""
    actor = actor_of(request)
    organisation = selectors.get_organisation_for_user(actor, organisation_id)
    return _present_organisation(actor, organisation)


@router.patch(
    "/organisations/{int:organisation_id}",
    response=_responses(200, OrganisationOut, 400, 401, 403, 404),
    auth=signed_in,
    tags=["organisations"],
)
def update_organisation(
    request: HttpRequest, payload: OrganisationPatch, organisation_id: int = ObjectPath
) -> Organisation:
    """Change some fields (coordinators, or the organisation's admins)."""
    actor = actor_of(request)
    organisation = selectors.get_organisation_for_user(actor, organisation_id)
    data = payload.model_dump(exclude_unset=True)
    codes = _Codes()
    municipalities = (
        codes.municipalities("municipalities", data.pop("municipalities"))
        if "municipalities" in data
        else None
    )
    target_groups = (
        codes.target_groups("target_groups", data.pop("target_groups"))
        if "target_groups" in data
        else None
    )
    if "municipality" in data:
        data["municipality"] = codes.municipality("municipality", data["municipality"])
    codes.check()
    actions.update_organisation(
        actor,
        organisation=organisation,
        data=data,
        municipalities=municipalities,
        target_groups=target_groups,
    )
    return _present_organisation(actor, organisation)


# --- An organisation's capabilities -------------------------------------------------------------


def _capabilities_of(actor: policy.Actor, organisation_id: int) -> QuerySet[OrganisationCapability]:
    organisation = selectors.get_organisation_for_user(actor, organisation_id)
    if not policy.can_view_organisation_details(actor, organisation):
        raise PermissionDenied
    return selectors.organisation_capabilities(organisation)


@router.get(
    "/organisations/{int:organisation_id}/capabilities",
    response=_responses(200, Page[OfferOut], 401, 403, 404),
    auth=signed_in,
    tags=["organisations"],
)
def list_organisation_capabilities(
    request: HttpRequest, paging: Query[PageQuery], organisation_id: int = ObjectPath
) -> dict[str, Any]:
    """Every capability the organisation declared, including those with quantity 0."""
    rows = _capabilities_of(actor_of(request), organisation_id)
    return paginate(request, rows.order_by("capability__sort_order", "capability__code"), paging)


@router.get(
    "/organisations/{int:organisation_id}/capabilities/{code}",
    response=_responses(200, OfferOut, 401, 403, 404),
    auth=signed_in,
    tags=["organisations"],
)
def get_organisation_capability(
    request: HttpRequest, organisation_id: int = ObjectPath, code: str = CodePath
) -> OrganisationCapability:
    """One declared capability; 404 when the organisation has not declared it."""
    row = _capabilities_of(actor_of(request), organisation_id).filter(capability__code=code).first()
    if row is None:
        raise Http404
    return row


@router.put(
    "/organisations/{int:organisation_id}/capabilities/{code}",
    response=_responses(200, OfferOut, 400, 401, 403, 404),
    auth=signed_in,
    tags=["organisations"],
)
def set_organisation_capability(
    request: HttpRequest,
    payload: OfferIn,
    organisation_id: int = ObjectPath,
    code: str = CodePath,
) -> OrganisationCapability:
    """Declare or change what the organisation offers of one capability (its editors)."""
    actor = actor_of(request)
    organisation = selectors.get_organisation_for_user(actor, organisation_id)
    capability = selectors.capability_catalogue().filter(code=code).first()
    if capability is None:
        raise Http404
    row = actions.set_capability(
        actor,
        organisation=organisation,
        capability=capability,
        quantity=payload.quantity,
        startup_hours=payload.startup_hours,
        availability=payload.availability,
    )
    # As stored (the quantity with its two decimal places).
    return selectors.organisation_capabilities(organisation).get(pk=row.pk)


@router.delete(
    "/organisations/{int:organisation_id}/capabilities/{code}",
    response=_responses(204, None, 401, 403, 404),
    auth=signed_in,
    tags=["organisations"],
)
def remove_organisation_capability(
    request: HttpRequest, organisation_id: int = ObjectPath, code: str = CodePath
) -> Status[None]:
    """Withdraw a declared capability (its editors)."""
    actor = actor_of(request)
    row = _capabilities_of(actor, organisation_id).filter(capability__code=code).first()
    if row is None:
        raise Http404
    actions.remove_capability(actor, row=row)
    return Status(204, None)


# --- People -------------------------------------------------------------------------------------


def _with_memberships(actor: policy.Actor, people: QuerySet[Person]) -> QuerySet[Person]:
    """People with their memberships in organisations ``actor`` may see, in one more query."""
    memberships = (
        Membership.objects.filter(organisation__in=selectors.organisations_visible_to(actor))
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )
    return people.prefetch_related(
        Prefetch("memberships", queryset=memberships, to_attr="visible_memberships")
    )


def _present_person(actor: policy.Actor, person: Person) -> Person:
    return _with_memberships(actor, Person.objects.filter(pk=person.pk)).get()


@router.get(
    "/people",
    response=_responses(200, Page[PersonOut], 401, 404),
    auth=signed_in,
    tags=["people"],
)
def list_people(
    request: HttpRequest, query: Query[PeopleQuery], paging: Query[PageQuery]
) -> dict[str, Any]:
    """People whose contacts the caller may see, optionally of one organisation."""
    actor = actor_of(request)
    if query.organisation is not None:
        organisation = selectors.get_organisation_for_user(actor, query.organisation)
        people = selectors.organisation_people(actor, organisation)
    else:
        people = selectors.people_visible_to(actor)
    return paginate(request, _with_memberships(actor, people).order_by("full_name", "id"), paging)


@router.get(
    "/people/{int:person_id}",
    response=_responses(200, PersonOut, 401, 404),
    auth=signed_in,
    tags=["people"],
)
def get_person(request: HttpRequest, person_id: int = ObjectPath) -> Person:
    """One person; 404 when the caller may not see their contacts."""
    actor = actor_of(request)
    return _present_person(actor, selectors.get_person_for_user(actor, person_id))


@router.post(
    "/organisations/{int:organisation_id}/people",
    response=_responses(201, PersonOut, 400, 401, 403, 404),
    auth=signed_in,
    tags=["people"],
)
def create_person(
    request: HttpRequest, payload: PersonIn, organisation_id: int = ObjectPath
) -> Status[Person]:
    """Add a person to an organisation (coordinators, or the organisation's admins)."""
    actor = actor_of(request)
    organisation = selectors.get_organisation_for_user(actor, organisation_id)
    person = actions.create_person(
        actor,
        organisation=organisation,
        data=payload.model_dump(exclude={"role", "title"}),
        role=payload.role,
        title=payload.title,
    )
    return Status(201, _present_person(actor, person))


@router.patch(
    "/people/{int:person_id}",
    response=_responses(200, PersonOut, 400, 401, 403, 404),
    auth=signed_in,
    tags=["people"],
)
def update_person(
    request: HttpRequest, payload: PersonPatch, person_id: int = ObjectPath
) -> Person:
    """Change a person's contact details (coordinators, their organisation's admins, or
    the person themselves)."""
    actor = actor_of(request)
    person = selectors.get_person_for_user(actor, person_id)
    actions.update_person(actor, person=person, data=payload.model_dump(exclude_unset=True))
    return _present_person(actor, person)


# --- Institutions -------------------------------------------------------------------------------


@router.get(
    "/institutions",
    response=_responses(200, Page[InstitutionOut], 401),
    auth=signed_in,
    tags=["institutions"],
)
def list_institutions(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """State and municipal institutions the network works with."""
    institutions = selectors.institutions_visible_to(actor_of(request))
    return paginate(request, institutions.prefetch_related("municipalities"), paging)


@router.get(
    "/institutions/{int:institution_id}",
    response=_responses(200, InstitutionOut, 401, 404),
    auth=signed_in,
    tags=["institutions"],
)
def get_institution(request: HttpRequest, institution_id: int = ObjectPath) -> Any:
    return selectors.get_institution_for_user(actor_of(request), institution_id)


@router.post(
    "/institutions",
    response=_responses(201, InstitutionOut, 400, 401, 403),
    auth=signed_in,
    tags=["institutions"],
)
def create_institution(request: HttpRequest, payload: InstitutionIn) -> Status[Any]:
    """Add an institution (coordinators)."""
    codes = _Codes()
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
    response=_responses(200, InstitutionOut, 400, 401, 403, 404),
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
    codes = _Codes()
    municipalities = (
        codes.municipalities("municipalities", data.pop("municipalities"))
        if "municipalities" in data
        else None
    )
    codes.check()
    return actions.update_institution(
        actor, institution=institution, data=data, municipalities=municipalities
    )


# --- Agreements ---------------------------------------------------------------------------------


@router.get(
    "/agreements",
    response=_responses(200, Page[AgreementOut], 401),
    auth=signed_in,
    tags=["agreements"],
)
def list_agreements(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """Cooperation agreements the caller may see (their organisation's or institution's)."""
    return paginate(request, selectors.agreements_visible_to(actor_of(request)), paging)


@router.get(
    "/agreements/{int:agreement_id}",
    response=_responses(200, AgreementOut, 401, 404),
    auth=signed_in,
    tags=["agreements"],
)
def get_agreement(request: HttpRequest, agreement_id: int = ObjectPath) -> Any:
    return selectors.get_agreement_for_user(actor_of(request), agreement_id)


@router.post(
    "/agreements",
    response=_responses(201, AgreementOut, 400, 401, 403),
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
