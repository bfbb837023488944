"""People and their memberships."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from noturiba.accounts import policy
from noturiba.api.auth import actor_of, signed_in
from noturiba.api.pagination import Page, PageQuery, paginate
from noturiba.network import actions, selectors
from noturiba.network.api.common import (
    ObjectPath,
    responses,
)
from noturiba.network.models import (
    Membership,
    Person,
)
from noturiba.network.schemas import (
    PeopleQuery,
    PersonIn,
    PersonOut,
    PersonPatch,
)

router = Router()


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
    response=responses(200, Page[PersonOut], 401, 404),
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
    response=responses(200, PersonOut, 401, 404),
    auth=signed_in,
    tags=["people"],
)
def get_person(request: HttpRequest, person_id: int = ObjectPath) -> Person:
    """One person; 404 when the caller may not see their contacts."""
    actor = actor_of(request)
    return _present_person(actor, selectors.get_person_for_user(actor, person_id))


@router.post(
    "/organisations/{int:organisation_id}/people",
    response=responses(201, PersonOut, 400, 401, 403, 404),
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
    response=responses(200, PersonOut, 400, 401, 403, 404),
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
