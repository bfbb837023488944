"""Who may do what: every permission rule of the platform, in one place.

Views, the API and actions call these functions; nothing else decides access. Rules follow
DESIGN.md's roles:

- a **coordinator** manages everything in the network directory;
- an **organisation admin** edits their own organisation and its people;
- an **organisation member** sees the directory and their own organisation's people;
- an **institution officer** sees contacts of organisations in their jurisdiction;
- a **trainer** sees the directory;
- the **public** sees only organisations marked public, and no people.

``Actor`` is what the request carries (an authenticated user or ``AnonymousUser``). The role
facts of a user are read once per request into :class:`Roles` and cached on the user object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from noturiba.network.models import (
    Agreement,
    ImportBatch,
    Institution,
    Membership,
    Municipality,
    Organisation,
    Person,
)

Actor = Any  # settings.AUTH_USER_MODEL instance or AnonymousUser


@dataclass(frozen=True)
class Roles:
    authenticated: bool = False
    coordinator: bool = False
    trainer: bool = False
    person_id: int | None = None
    admin_of: frozenset[int] = field(default_factory=frozenset)
    member_of: frozenset[int] = field(default_factory=frozenset)
    institution_id: int | None = None
    national_officer: bool = False
    jurisdiction: frozenset[int] = field(default_factory=frozenset)

    @property
    def officer(self) -> bool:
        return self.institution_id is not None

    @property
    def organisations(self) -> frozenset[int]:
        return self.admin_of | self.member_of


ANONYMOUS = Roles()


def roles_of(actor: Actor) -> Roles:
    """The role facts of ``actor``, computed once and cached on the object."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return ANONYMOUS
    cached = getattr(actor, "_noturiba_roles", None)
    if cached is not None:
        return cached
    person = Person.objects.filter(user=actor).only("id", "institution_id").first()
    admin_of: set[int] = set()
    member_of: set[int] = set()
    institution_id = None
    national = False
    jurisdiction: frozenset[int] = frozenset()
    if person is not None:
        for organisation_id, role in Membership.objects.filter(person=person).values_list(
            "organisation_id", "role"
        ):
            (admin_of if role == Membership.Role.ADMIN else member_of).add(organisation_id)
        institution_id = person.institution_id
        if institution_id is not None:
            institution = Institution.objects.only("is_national").get(pk=institution_id)
            national = institution.is_national
            jurisdiction = frozenset(institution.municipalities.values_list("id", flat=True))
    roles = Roles(
        authenticated=True,
        coordinator=bool(actor.is_coordinator),
        trainer=bool(actor.is_trainer),
        person_id=person.id if person else None,
        admin_of=frozenset(admin_of),
        member_of=frozenset(member_of),
        institution_id=institution_id,
        national_officer=national,
        jurisdiction=jurisdiction,
    )
    actor._noturiba_roles = roles
    return roles


def forget_roles(actor: Actor) -> None:
    """Drop the cached role facts (after a membership or institution change)."""
    if hasattr(actor, "_noturiba_roles"):
        del actor._noturiba_roles


# --- Organisations -------------------------------------------------------------------------


def organisation_filter(actor: Actor) -> Q:
    """A filter on Organisation for the organisations ``actor`` may see at all."""
    roles = roles_of(actor)
    if roles.authenticated:
        return Q()
    return Q(is_public=True)


def can_view_organisation(actor: Actor, organisation: Organisation) -> bool:
    return roles_of(actor).authenticated or organisation.is_public


def can_view_organisation_details(actor: Actor, organisation: Organisation) -> bool:
    """Registration number, contacts, address, capabilities: signed-in users only.

    The public sees a public organisation's name, description, website, legal form, areas and
    target groups — nothing more.
    """
    return roles_of(actor).authenticated


def can_view_exact_locations(actor: Actor) -> bool:
    """Map points at an organisation's own coordinates; the public gets its seat municipality."""
    return roles_of(actor).authenticated


def can_see_capabilities(actor: Actor) -> bool:
    """What organisations can offer is for the network, not the public page (nor its filters)."""
    return roles_of(actor).authenticated


def can_create_organisation(actor: Actor) -> bool:
    return roles_of(actor).coordinator


def can_edit_organisation(actor: Actor, organisation: Organisation) -> bool:
    roles = roles_of(actor)
    return roles.coordinator or organisation.pk in roles.admin_of


def can_delete_organisation(actor: Actor, organisation: Organisation) -> bool:
    return roles_of(actor).coordinator


def can_import_directory(actor: Actor) -> bool:
    return roles_of(actor).coordinator


def can_manage_import_batch(actor: Actor, batch: ImportBatch) -> bool:
    """An uploaded import file is seen and confirmed only by the coordinator who uploaded it."""
    return can_import_directory(actor) and batch.uploaded_by_id == actor.pk


def can_export_directory(actor: Actor) -> bool:
    """Anyone may export what they can see: the public gets the public organisations without
    details (``can_view_organisation_details``); people's contacts follow ``people_filter``."""
    return True


def _in_jurisdiction(roles: Roles) -> Q:
    """Organisations that cover or sit in the officer's jurisdiction."""
    return Q(municipalities__in=roles.jurisdiction) | Q(municipality__in=roles.jurisdiction)


def can_view_contacts(actor: Actor, organisation: Organisation) -> bool:
    """May ``actor`` see the people (names, emails, phones) of ``organisation``?"""
    roles = roles_of(actor)
    if roles.coordinator or organisation.pk in roles.organisations:
        return True
    if roles.officer:
        if roles.national_officer:
            return True
        return (
            Organisation.objects.filter(pk=organisation.pk).filter(_in_jurisdiction(roles)).exists()
        )
    return False


# --- People --------------------------------------------------------------------------------


def people_filter(actor: Actor) -> Q:
    """A filter on Person for the people whose contacts ``actor`` may see."""
    roles = roles_of(actor)
    if not roles.authenticated:
        return Q(pk__in=[])
    if roles.coordinator:
        return Q()
    visible = Q(pk=roles.person_id) if roles.person_id else Q(pk__in=[])
    if roles.organisations:
        visible |= Q(memberships__organisation__in=roles.organisations)
    if roles.officer:
        if roles.national_officer:
            return Q()
        in_jurisdiction = Organisation.objects.filter(_in_jurisdiction(roles)).values("pk")
        visible |= Q(memberships__organisation__in=in_jurisdiction)
        visible |= Q(institution_id=roles.institution_id)
    return visible


def visible_people(actor: Actor, queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    base = Person.objects.all() if queryset is None else queryset
    roles = roles_of(actor)
    if roles.coordinator or roles.national_officer:
        return base if roles.authenticated else base.none()
    # The membership join may repeat a person: filter by id instead of distinct().
    ids = Person.objects.filter(people_filter(actor)).values("pk")
    return base.filter(pk__in=ids)


def can_view_person(actor: Actor, person: Person) -> bool:
    return visible_people(actor, Person.objects.filter(pk=person.pk)).exists()


def can_create_person(actor: Actor, organisation: Organisation) -> bool:
    return can_edit_organisation(actor, organisation)


def can_edit_person(actor: Actor, person: Person) -> bool:
    """Coordinators edit anyone; an organisation admin edits people of their organisations."""
    roles = roles_of(actor)
    if roles.coordinator:
        return True
    if person.pk is not None and person.pk == roles.person_id:
        return True
    if not roles.admin_of:
        return False
    return Membership.objects.filter(person=person, organisation__in=roles.admin_of).exists()


def editable_organisations(actor: Actor) -> QuerySet[Organisation]:
    roles = roles_of(actor)
    if roles.coordinator:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=roles.admin_of)


# --- Institutions and agreements -------------------------------------------------------------


def can_view_institutions(actor: Actor) -> bool:
    return roles_of(actor).authenticated


def can_manage_institutions(actor: Actor) -> bool:
    return roles_of(actor).coordinator


def agreement_filter(actor: Actor) -> Q:
    """Agreements are seen by coordinators, the organisation's people and the institution's."""
    roles = roles_of(actor)
    if not roles.authenticated:
        return Q(pk__in=[])
    if roles.coordinator:
        return Q()
    visible = Q(organisation__in=roles.organisations)
    if roles.institution_id:
        visible |= Q(institution_id=roles.institution_id)
    return visible


def can_view_agreement(actor: Actor, agreement: Agreement) -> bool:
    return Agreement.objects.filter(pk=agreement.pk).filter(agreement_filter(actor)).exists()


def can_manage_agreements(actor: Actor) -> bool:
    return roles_of(actor).coordinator


def can_filter_by_agreements(actor: Actor) -> bool:
    """Filtering the directory by agreements reveals them; only those who see them may."""
    return roles_of(actor).authenticated


# --- Accounts ------------------------------------------------------------------------------


def can_use_admin_site(actor: Actor) -> bool:
    return roles_of(actor).coordinator and bool(getattr(actor, "is_staff", False))


def requires_two_factor(actor: Actor, *, required_setting: bool) -> bool:
    """Coordinators must use two-factor sign-in unless the deployment turned it off."""
    return required_setting and roles_of(actor).coordinator


def can_manage_account_of(actor: Actor, owner: Actor) -> bool:
    """API tokens and two-factor devices: the owner manages their own, coordinators anyone's."""
    roles = roles_of(actor)
    if not roles.authenticated:
        return False
    return roles.coordinator or getattr(owner, "pk", None) == actor.pk


def officer_jurisdiction(actor: Actor) -> QuerySet[Municipality]:
    roles = roles_of(actor)
    if roles.national_officer:
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=roles.jurisdiction)


def has_person_with(actor: Actor, organisation_id: int) -> bool:
    return organisation_id in roles_of(actor).organisations


# --- Alerts --------------------------------------------------------------------------------


def can_write_alerts(actor: Actor) -> bool:
    """Coordinators and institution officers write and send alerts."""
    roles = roles_of(actor)
    return roles.coordinator or roles.officer


def can_send_alert(actor: Actor, municipalities: Iterable[int]) -> bool:
    """Coordinators alert anywhere; an officer only within their jurisdiction.

    ``municipalities`` are the alert's area and audience; an officer's alert must name at least
    one (an alert to the whole network is the coordinators' call), unless the officer's
    institution is national.
    """
    roles = roles_of(actor)
    if roles.coordinator or roles.national_officer:
        return True
    if not roles.officer:
        return False
    wanted = frozenset(municipalities)
    return bool(wanted) and wanted <= roles.jurisdiction


def can_view_alert(
    actor: Actor, *, created_by_id: int | None, municipalities: Iterable[int]
) -> bool:
    """Who follows an alert's deliveries and answers: its author, coordinators, and officers
    whose jurisdiction covers the alert's whole area."""
    roles = roles_of(actor)
    if not roles.authenticated:
        return False
    if created_by_id is not None and created_by_id == actor.pk:
        return True
    return can_write_alerts(actor) and can_send_alert(actor, municipalities)


def can_download_public_cap(*, status: str, scope: str, sent: bool) -> bool:
    """Anyone, signed in or not, may fetch the CAP file of a public, actual alert once it is
    sent: it is what the public CAP feed links to."""
    return sent and status == "Actual" and scope == "Public"


def can_approve_alert(
    actor: Actor, *, created_by_id: int | None, municipalities: Iterable[int]
) -> bool:
    """Two-person approval: someone who may send the alert, other than its author."""
    if created_by_id is not None and created_by_id == getattr(actor, "pk", None):
        return False
    return can_write_alerts(actor) and can_send_alert(actor, municipalities)


def can_use_saved_list(actor: Actor, *, created_by_id: int | None) -> bool:
    """A saved audience list is its author's; coordinators use and manage every list."""
    roles = roles_of(actor)
    if not can_write_alerts(actor):
        return False
    return roles.coordinator or (created_by_id is not None and created_by_id == actor.pk)


def can_manage_alert_templates(actor: Actor) -> bool:
    """Coordinators add and change the alert templates everyone uses."""
    return roles_of(actor).coordinator


def can_manage_webhook_endpoints(actor: Actor) -> bool:
    return roles_of(actor).coordinator


def can_view_external_alerts(actor: Actor) -> bool:
    """Alerts received from outside CAP sources are for those who write alerts."""
    return can_write_alerts(actor)


def can_import_cap(actor: Actor) -> bool:
    return can_write_alerts(actor)


def can_manage_cap_subscriptions(actor: Actor) -> bool:
    """Which external CAP feeds the platform polls is the coordinators' call."""
    return roles_of(actor).coordinator


def alert_filter(actor: Actor) -> Q:
    """A filter on Alert for the alerts ``actor`` may follow: ``can_view_alert`` as a query
    (the author; coordinators and national officers every alert; other officers the alerts
    with an area wholly within their jurisdiction)."""
    roles = roles_of(actor)
    if not roles.authenticated:
        return Q(pk__in=[])
    if roles.coordinator or roles.national_officer:
        return Q()
    own = Q(created_by_id=actor.pk)
    if not roles.officer:
        return own
    from django.apps import apps  # the alerts app imports this module

    areas = apps.get_model("alerts", "Alert").municipalities.through.objects
    outside = areas.exclude(municipality_id__in=roles.jurisdiction)
    return own | (Q(pk__in=areas.values("alert_id")) & ~Q(pk__in=outside.values("alert_id")))


# --- Training programme --------------------------------------------------------------------
#
# Coordinators run the programme (curriculum, every session, revoking certificates); a trainer
# schedules sessions and runs their own (attendance, results, certificates); a leader enrols
# themselves, an organisation admin enrols their own organisation's people; officers see the
# network's knowledge of their jurisdiction in aggregate. Functions taking ``trainer_ids`` are
# given the session's trainers (user ids), read once by the caller.


def can_manage_curriculum(actor: Actor) -> bool:
    """Competencies, modules and courses are the coordinators' reference data."""
    return roles_of(actor).coordinator


def can_schedule_sessions(actor: Actor) -> bool:
    roles = roles_of(actor)
    return roles.coordinator or roles.trainer


def can_run_session(actor: Actor, *, trainer_ids: Iterable[int]) -> bool:
    """Edit, publish or cancel a session, see its enrolments, take attendance, record results
    and issue its certificates: coordinators, and the session's own trainers."""
    roles = roles_of(actor)
    if roles.coordinator:
        return True
    return roles.trainer and actor.pk in set(trainer_ids)


def can_view_trainer_feedback(actor: Actor, *, trainer_id: int) -> bool:
    """A trainer's feedback across their sessions: that trainer and coordinators."""
    return can_run_session(actor, trainer_ids=[trainer_id])


def session_filter(actor: Actor) -> Q:
    """A filter on TrainingSession: published sessions for everyone signed in; drafts for
    coordinators and the session's trainers."""
    roles = roles_of(actor)
    if not roles.authenticated:
        return Q(pk__in=[])
    if roles.coordinator:
        return Q()
    published = Q(status="published") | Q(status="cancelled", published_at__isnull=False)
    if roles.trainer:
        return published | Q(trainers=actor.pk)
    return published


def can_view_session(
    actor: Actor, *, status: str, published: bool, trainer_ids: Iterable[int]
) -> bool:
    """``session_filter`` for one session already read."""
    roles = roles_of(actor)
    if not roles.authenticated:
        return False
    if status == "published" or (status == "cancelled" and published):
        return True
    return can_run_session(actor, trainer_ids=trainer_ids)


def can_enrol_person(actor: Actor, person: Person) -> bool:
    """A leader enrols themselves; an organisation admin their own organisation's people;
    coordinators anyone."""
    roles = roles_of(actor)
    if roles.coordinator:
        return True
    if roles.person_id is not None and roles.person_id == person.pk:
        return True
    if not roles.admin_of:
        return False
    return Membership.objects.filter(person=person, organisation_id__in=roles.admin_of).exists()


def enrollable_people(actor: Actor) -> QuerySet[Person]:
    """Whom ``actor`` may enrol: ``can_enrol_person`` as a query."""
    roles = roles_of(actor)
    if roles.coordinator:
        return Person.objects.all()
    q = Q(pk__in=[]) if roles.person_id is None else Q(pk=roles.person_id)
    if roles.admin_of:
        q |= Q(memberships__organisation_id__in=roles.admin_of)
    return Person.objects.filter(q).distinct()


def can_view_learning_record(actor: Actor, person: Person) -> bool:
    """A person's learning record: the person, admins of their organisations, coordinators."""
    return can_enrol_person(actor, person)


def can_view_training_coverage(actor: Actor, organisation: Organisation) -> bool:
    """An organisation's training coverage: its admins and coordinators."""
    roles = roles_of(actor)
    return roles.coordinator or organisation.pk in roles.admin_of


def can_view_competency_matrix(actor: Actor) -> bool:
    """The network's knowledge by municipality: coordinators (all) and officers (their
    jurisdiction, see ``competency_matrix_municipalities``)."""
    roles = roles_of(actor)
    return roles.coordinator or roles.officer


def competency_matrix_municipalities(actor: Actor) -> QuerySet[Municipality]:
    roles = roles_of(actor)
    if roles.coordinator:
        return Municipality.objects.all()
    if roles.officer:
        return officer_jurisdiction(actor)
    return Municipality.objects.none()


def can_view_expiring_people(actor: Actor) -> bool:
    """Names of people whose competencies expire, and inviting them: coordinators only
    (officers see counts, never people)."""
    return roles_of(actor).coordinator


def can_revoke_certificate(actor: Actor) -> bool:
    return roles_of(actor).coordinator


def can_view_certificate(actor: Actor, person: Person) -> bool:
    """The certificate file itself: whoever may see the holder's learning record."""
    return can_view_learning_record(actor, person)


def can_give_feedback(actor: Actor, *, person_id: int) -> bool:
    """Only the attendee answers the feedback survey for their own enrolment."""
    roles = roles_of(actor)
    return roles.person_id is not None and roles.person_id == person_id


def can_manage_calendar_feed(
    actor: Actor, *, person_id: int | None, organisation_id: int | None
) -> bool:
    """A person's own feed; an organisation's feed for its admins (and coordinators)."""
    roles = roles_of(actor)
    if person_id is not None:
        return roles.person_id == person_id
    if organisation_id is not None:
        return roles.coordinator or organisation_id in roles.admin_of
    return False


# --- Assistance requests -------------------------------------------------------------------
#
# Coordinators and institution officers post requests (officers in their jurisdiction) and
# manage them: see who can help, invite, approve offers, answer for the requester. Everyone in
# an organisation sees requests offered to the whole network, those their organisation was
# invited to, and those it claimed; the organisation's admins offer, claim, release and hand
# claims over; its members report progress on its claims. The public sees none of it.


def can_post_request(actor: Actor) -> bool:
    roles = roles_of(actor)
    return roles.coordinator or roles.officer


def can_post_request_in(actor: Actor, municipality_id: int) -> bool:
    roles = roles_of(actor)
    if roles.coordinator or roles.national_officer:
        return True
    return roles.officer and municipality_id in roles.jurisdiction


def request_filter(actor: Actor) -> Q:
    """A filter on AssistanceRequest for the requests ``actor`` may see."""
    roles = roles_of(actor)
    if not roles.authenticated:
        return Q(pk__in=[])
    if roles.coordinator or roles.national_officer:
        return Q()
    visible = Q(created_by_id=actor.pk)
    if roles.officer:
        visible |= Q(municipality_id__in=roles.jurisdiction)
    if roles.organisations:
        visible |= Q(offered_to_network=True, state="open")
        visible |= Q(lines__invitations__organisation_id__in=roles.organisations)
        visible |= Q(lines__claims__organisation_id__in=roles.organisations)
        visible |= Q(lines__offers__organisation_id__in=roles.organisations)
    return visible


def can_manage_request(actor: Actor, *, municipality_id: int, created_by_id: int | None) -> bool:
    """Edit, close or cancel a request, see the ranking, invite, decide offers, release any
    claim: coordinators, the author, and officers whose jurisdiction holds the request."""
    roles = roles_of(actor)
    if not roles.authenticated:
        return False
    if created_by_id is not None and created_by_id == actor.pk:
        return True
    return can_post_request(actor) and can_post_request_in(actor, municipality_id)


def can_offer_for(actor: Actor, organisation_id: int) -> bool:
    """Offer, claim, withdraw offers, release a claim or ask to take one over: the
    organisation's admins."""
    return organisation_id in roles_of(actor).admin_of


def has_any_organisation(actor: Actor) -> bool:
    """Whether ``actor`` belongs to an organisation (and so may have claims to follow)."""
    return bool(roles_of(actor).organisations)


def offering_organisations(actor: Actor) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=roles_of(actor).admin_of)


def can_report_on_claim(actor: Actor, organisation_id: int) -> bool:
    """Move a claim through its states with notes and photos: the claiming organisation's
    people (admins and members) and coordinators."""
    roles = roles_of(actor)
    return roles.coordinator or organisation_id in roles.organisations


def can_answer_transfer(actor: Actor, *, holder_organisation_id: int) -> bool:
    """Approve or decline a request to take over a claim: the holder's admins."""
    return holder_organisation_id in roles_of(actor).admin_of


def can_view_sitrep(actor: Actor) -> bool:
    """Situation reports and the 3W export: coordinators (all) and officers (jurisdiction)."""
    roles = roles_of(actor)
    return roles.coordinator or roles.officer


def sitrep_municipalities(actor: Actor) -> QuerySet[Municipality]:
    roles = roles_of(actor)
    if roles.coordinator:
        return Municipality.objects.all()
    if roles.officer:
        return officer_jurisdiction(actor)
    return Municipality.objects.none()


# --- Shelters ------------------------------------------------------------------------------
#
# The public sees shelters marked public. Coordinators see and manage every shelter; officers
# those in their jurisdiction; an operator's people (the operating organisation's admins and
# members, the operating institution's officers) see theirs and update status and occupancy.


def shelter_filter(actor: Actor) -> Q:
    roles = roles_of(actor)
    public = Q(is_public=True)
    if not roles.authenticated:
        return public
    if roles.coordinator or roles.national_officer:
        return Q()
    visible = public
    if roles.officer:
        visible |= Q(municipality_id__in=roles.jurisdiction)
        visible |= Q(operator_institution_id=roles.institution_id)
    if roles.organisations:
        visible |= Q(operator_organisation_id__in=roles.organisations)
    return visible


def can_manage_shelters_in(actor: Actor, municipality_id: int) -> bool:
    """Add and edit shelters (floor area, accessibility, publicity): coordinators anywhere,
    officers in their jurisdiction."""
    roles = roles_of(actor)
    if roles.coordinator or roles.national_officer:
        return True
    return roles.officer and municipality_id in roles.jurisdiction


def can_add_shelters(actor: Actor) -> bool:
    roles = roles_of(actor)
    return roles.coordinator or roles.officer


def can_update_shelter(
    actor: Actor,
    *,
    municipality_id: int,
    operator_organisation_id: int | None,
    operator_institution_id: int | None,
) -> bool:
    """Status and occupancy: the operator's people, and whoever manages the shelter."""
    roles = roles_of(actor)
    if can_manage_shelters_in(actor, municipality_id):
        return True
    if operator_organisation_id is not None and operator_organisation_id in roles.organisations:
        return True
    return operator_institution_id is not None and operator_institution_id == roles.institution_id


def shelter_municipalities(actor: Actor) -> QuerySet[Municipality]:
    """Where ``actor`` may add shelters."""
    roles = roles_of(actor)
    if roles.coordinator or roles.national_officer:
        return Municipality.objects.current()
    return Municipality.objects.current().filter(pk__in=roles.jurisdiction)


# --- Assistance requests: the map of needs (follow pages) -----------------------------------


def can_view_needs_map(actor: Actor) -> bool:
    """The map of open requests: those who may see situation reports, and the organisations'
    people (each sees the requests ``request_filter`` allows; responders only the former)."""
    return can_view_sitrep(actor) or bool(roles_of(actor).organisations)
