"""The network directory's API schemas: what the JSON API reads and writes.

Output schemas read model rows (ninja's ``from_attributes``); input schemas parse request bodies
and query strings. Inputs only parse and bound values; the rules (E.164 phones, registration
number format, URLs, emails, date order) are checked by ``noturiba.network.actions``, which
answer with field errors the API turns into 422.

Every string a client sends goes through :data:`Text`, which refuses NUL characters and
unpaired surrogates: PostgreSQL and UTF-8 cannot store them, and they are never real text.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Discriminator, Field, StringConstraints, Tag

from noturiba.network.exports import EXPORT_FORMATS
from noturiba.network.models import (
    Agreement,
    CapabilityType,
    Institution,
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Person,
    TargetGroup,
)
from noturiba.network.selectors import SORTS

# Largest id any supported database stores; a bigger one cannot name a row.
MAX_ID = 2**63 - 1
MAX_CODES = 100
COORDINATE_STEP = Decimal("0.00001")


def _plain_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    return value


def _coordinate(value: Decimal | None) -> Decimal | None:
    """Coordinates are kept to 5 decimal places (about a metre)."""
    if value is None:
        return None
    return value.quantize(COORDINATE_STEP, rounding=ROUND_HALF_UP)


Text = Annotated[str, AfterValidator(_plain_text)]
Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    AfterValidator(_plain_text),
]
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
Latitude = Annotated[Decimal, Field(ge=-90, le=90), AfterValidator(_coordinate)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180), AfterValidator(_coordinate)]
Quantity = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
StartupHours = Annotated[int, Field(ge=0, le=32767)]
if TYPE_CHECKING:
    SortKey = str
    ExportFormatName = str
    MunicipalityKind = str
    LegalForm = str
    OrganisationScope = str
    InstitutionKind = str
    Language = str
    Channel = str
    Role = str
else:
    # Choices as inline enums: Django's choice classes share names such as ``Kind``, which
    # would collide in the OpenAPI document.
    SortKey = Literal[tuple(SORTS)]
    ExportFormatName = Literal[tuple(sorted(EXPORT_FORMATS))]
    MunicipalityKind = Literal[tuple(Municipality.Kind.values)]
    LegalForm = Literal[tuple(Organisation.LegalForm.values)]
    OrganisationScope = Literal[tuple(Organisation.Scope.values)]
    InstitutionKind = Literal[tuple(Institution.Kind.values)]
    Language = Literal[tuple(Person.Language.values)]
    Channel = Literal[tuple(Person.Channel.values)]
    Role = Literal[tuple(Membership.Role.values)]


def not_sent(**constraints: Any) -> Any:
    """A patch field that may be left out; sent as null it fails its (non-null) type.

    The ``None`` default only tells "not sent" apart: endpoints read ``exclude_unset``.
    """
    return Field(None, **constraints)


class Input(Schema):
    """Request bodies refuse unknown fields: a misspelt field must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


# --- Reference data -------------------------------------------------------------------------


class MunicipalityOut(Schema):
    code: str = Field(description="ISO 3166-2:LV code, e.g. `LV-067` (Ogre).")
    atvk_code: str = Field(description="National ATVK code; empty when unknown.")
    name_lv: str = Field(description="Latvian name.")
    name_en: str = Field(description="English name.")
    kind: MunicipalityKind = Field(description="`state_city` or `novads`.")
    latitude: float = Field(description="Approximate centre, WGS 84 degrees.")
    longitude: float = Field(description="Approximate centre, WGS 84 degrees.")
    valid_from: datetime.date = Field(description="First day the municipality existed.")
    valid_to: datetime.date | None = Field(description="Last day, or null while it exists.")
    successor: str | None = Field(
        description="Code of the municipality it was merged into, if any."
    )

    @staticmethod
    def resolve_successor(obj: Municipality) -> str | None:
        return obj.successor.code if obj.successor_id and obj.successor else None


class CapabilityTypeOut(Schema):
    code: str = Field(description="Stable code, e.g. `transport`, `first_aid`.")
    unit: str = Field(description="Unit of quantities of this capability, e.g. `seats`, `m2`.")
    unit_label: str = Field(description="The unit in the interface language.")
    name_lv: str = Field(description="Latvian name.")
    name_en: str = Field(description="English name.")
    hxl_sector: str = Field(description="HXL sector hashtag attribute used in exports.")

    @staticmethod
    def resolve_unit_label(obj: CapabilityType) -> str:
        return str(obj.get_unit_display())


class TargetGroupOut(Schema):
    code: str = Field(description="Stable code, e.g. `seniors`.")
    name_lv: str = Field(description="Latvian name.")
    name_en: str = Field(description="English name.")
    parent: str | None = Field(description="Code of the broader group, if any.")

    @staticmethod
    def resolve_parent(obj: TargetGroup) -> str | None:
        return obj.parent.code if obj.parent_id and obj.parent else None


# --- Organisations --------------------------------------------------------------------------


class OfferOut(Schema):
    code: str = Field(description="Capability code from the catalogue.")
    quantity: Decimal = Field(description="How much can be offered, in `unit` (decimal string).")
    unit: str = Field(description="Unit of the quantity.")
    startup_hours: int | None = Field(description="Can start within this many hours.")
    availability: str = Field(description="Availability notes.")

    @staticmethod
    def resolve_code(obj: OrganisationCapability) -> str:
        return obj.capability.code

    @staticmethod
    def resolve_unit(obj: OrganisationCapability) -> str:
        return obj.capability.unit


class _OrganisationBasics(Schema):
    id: int
    name: str = Field(description="Name of the organisation.")
    legal_form: LegalForm = Field(description="Legal form.")
    description: str = Field(description="What the organisation does.")
    website: str = Field(description="Website URL; empty when none.")
    municipality: str | None = Field(description="Code of the seat municipality.")
    municipalities: list[str] = Field(description="Codes of the municipalities it covers.")
    target_groups: list[str] = Field(description="Codes of the target groups it serves.")

    @staticmethod
    def resolve_municipality(obj: Organisation) -> str | None:
        return obj.municipality.code if obj.municipality_id and obj.municipality else None

    @staticmethod
    def resolve_municipalities(obj: Organisation) -> list[str]:
        return [municipality.code for municipality in obj.municipalities.all()]

    @staticmethod
    def resolve_target_groups(obj: Organisation) -> list[str]:
        return [group.code for group in obj.target_groups.all()]


class PublicOrganisationOut(_OrganisationBasics):
    """What anyone may see of an organisation marked public."""


class OrganisationOut(_OrganisationBasics):
    """An organisation as signed-in users see it."""

    registration_number: str | None = Field(
        description="Register of Enterprises number (11 digits), if it has one."
    )
    scope: OrganisationScope = Field(description="Where it works: local, regional, …")
    email: str = Field(description="General contact email; empty when none.")
    phone: str = Field(description="General contact phone in E.164; empty when none.")
    address: str = Field(description="Postal address.")
    latitude: float | None = Field(description="Location, WGS 84 degrees.")
    longitude: float | None = Field(description="Location, WGS 84 degrees.")
    capabilities: list[OfferOut] = Field(
        description="Capabilities offered now (quantity above zero); all declared ones are at "
        "`/organisations/{id}/capabilities`."
    )
    is_public: bool = Field(description="Listed publicly (the public sees the basic fields).")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_capabilities(obj: Organisation) -> list[OrganisationCapability]:
        return list(getattr(obj, "offered_capabilities", []))


def _organisation_view(value: Any) -> str:
    """Which schema an organisation is shown with: the presenter marks each row with
    ``show_details`` from the policy; a row that is not marked gets the public view."""
    if isinstance(value, OrganisationOut | PublicOrganisationOut):
        # Serialising what was validated: the schema chosen then.
        return "full" if isinstance(value, OrganisationOut) else "public"
    return "full" if getattr(value, "show_details", False) is True else "public"


OrganisationView = Annotated[
    Annotated[OrganisationOut, Tag("full")] | Annotated[PublicOrganisationOut, Tag("public")],
    Discriminator(_organisation_view),
]


class OfferIn(Input):
    quantity: Quantity = Field(description="How much can be offered, in the capability's unit.")
    startup_hours: StartupHours | None = Field(
        None, description="Can start within this many hours (e.g. 2)."
    )
    availability: Text = Field("", max_length=300, description="Availability notes.")


class NewOfferIn(OfferIn):
    code: Code = Field(description="Capability code from `/capabilities`.")


class OrganisationIn(Input):
    """A new organisation (coordinators only)."""

    name: Text = Field(min_length=1, max_length=200, description="Name of the organisation.")
    registration_number: Text | None = Field(
        None, max_length=11, description="Register of Enterprises number, 11 digits."
    )
    legal_form: LegalForm = Field(
        Organisation.LegalForm.ASSOCIATION.value, description="Legal form."
    )
    scope: OrganisationScope = Field(Organisation.Scope.LOCAL.value, description="Where it works.")
    description: Text = Field("", max_length=10_000, description="What the organisation does.")
    website: Text = Field("", max_length=200, description="Website URL.")
    email: Text = Field("", max_length=254, description="General contact email.")
    phone: Text = Field(
        "", max_length=32, description="Phone; Latvian or international, stored in E.164."
    )
    address: Text = Field("", max_length=300, description="Postal address.")
    municipality: Code | None = Field(None, description="Code of the seat municipality.")
    latitude: Latitude | None = Field(None, description="WGS 84; rounded to 5 decimals.")
    longitude: Longitude | None = Field(None, description="WGS 84; rounded to 5 decimals.")
    is_public: bool = Field(False, description="List publicly (basic fields only).")
    municipalities: list[Code] = Field(
        [], max_length=MAX_CODES, description="Codes of the municipalities it covers."
    )
    target_groups: list[Code] = Field(
        [], max_length=MAX_CODES, description="Codes of the target groups it serves."
    )
    capabilities: list[NewOfferIn] = Field(
        [], max_length=MAX_CODES, description="What it can offer, one entry per capability code."
    )


class OrganisationPatch(Input):
    """A partial update: only the fields sent change. Lists replace the whole list."""

    name: Text = not_sent(min_length=1, max_length=200)
    registration_number: Text | None = Field(None, max_length=11)
    legal_form: LegalForm = not_sent()
    scope: OrganisationScope = not_sent()
    description: Text = not_sent(max_length=10_000)
    website: Text = not_sent(max_length=200)
    email: Text = not_sent(max_length=254)
    phone: Text = not_sent(max_length=32)
    address: Text = not_sent(max_length=300)
    municipality: Code | None = Field(None, description="Seat municipality code, or null.")
    latitude: Latitude | None = Field(None)
    longitude: Longitude | None = Field(None)
    is_public: bool = not_sent()
    municipalities: list[Code] = not_sent(max_length=MAX_CODES)
    target_groups: list[Code] = not_sent(max_length=MAX_CODES)


class DirectoryQuery(Schema):
    """The directory's filters, as on the directory page (any value within a filter matches;
    filters combine with AND)."""

    q: Text = Field("", max_length=200, description="Words to find in names and descriptions.")
    municipality: list[Code] = Field(
        [], max_length=50, description="Municipality codes (repeat the parameter for more)."
    )
    target_group: list[Code] = Field([], max_length=50, description="Target group codes.")
    capability: list[Code] = Field([], max_length=50, description="Capability codes offered.")
    institution: ObjectId | None = Field(
        None, description="Only organisations with a valid agreement with this institution."
    )
    agreement: bool = Field(False, description="Only organisations with a valid agreement.")
    sort: SortKey = Field("name", description="Sort order.")

    def as_query(self) -> dict[str, Any]:
        """The filters in the form ``DirectoryFilters.from_query`` reads."""
        return {
            "q": self.q,
            "municipality": self.municipality,
            "target_group": self.target_group,
            "capability": self.capability,
            "institution": str(self.institution) if self.institution else "",
            "agreement": "1" if self.agreement else "",
            "sort": self.sort,
        }


class ExportQuery(DirectoryQuery):
    """The directory's filters and the file format wanted."""

    format: ExportFormatName = Field(
        description="`csv` (UTF-8 with BOM, importable again), `hxl` (CSV with an HXL hashtag "
        "row), `geojson` (RFC 7946) or `vcard` (vCard 4.0, organisations and visible people)."
    )


# --- People ---------------------------------------------------------------------------------


class MembershipOut(Schema):
    organisation: int = Field(description="Organisation id.")
    organisation_name: str
    role: Role = Field(description="`admin` or `member`.")
    title: str = Field(description="Position in the organisation.")

    @staticmethod
    def resolve_organisation(obj: Membership) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_organisation_name(obj: Membership) -> str:
        return obj.organisation.name


class PersonOut(Schema):
    id: int
    full_name: str
    email: str
    phone: str = Field(description="E.164, e.g. `+37120000000`; empty when none.")
    preferred_language: Language
    preferred_channels: list[str] = Field(description="Channels in the order to try them.")
    second_contact_name: str
    second_contact_phone: str
    second_contact_email: str
    institution: int | None = Field(description="Id of the institution they are an officer of.")
    memberships: list[MembershipOut] = Field(description="Their roles in organisations.")

    @staticmethod
    def resolve_institution(obj: Person) -> int | None:
        return obj.institution_id

    @staticmethod
    def resolve_memberships(obj: Person) -> list[Membership]:
        return list(getattr(obj, "visible_memberships", []))


class PersonIn(Input):
    """A new person in an organisation."""

    full_name: Text = Field(min_length=1, max_length=200)
    email: Text = Field("", max_length=254)
    phone: Text = Field("", max_length=32, description="Latvian or international; stored E.164.")
    preferred_language: Language = Field(Person.Language.LATVIAN.value)
    preferred_channels: list[Channel] = Field([], max_length=5)
    second_contact_name: Text = Field("", max_length=200)
    second_contact_phone: Text = Field("", max_length=32)
    second_contact_email: Text = Field("", max_length=254)
    role: Role = Field(Membership.Role.MEMBER.value, description="Role in the organisation.")
    title: Text = Field("", max_length=100, description="Position in the organisation.")


class PersonPatch(Input):
    """A partial update of a person's contact details."""

    full_name: Text = not_sent(min_length=1, max_length=200)
    email: Text = not_sent(max_length=254)
    phone: Text = not_sent(max_length=32)
    preferred_language: Language = not_sent()
    preferred_channels: list[Channel] = not_sent(max_length=5)
    second_contact_name: Text = not_sent(max_length=200)
    second_contact_phone: Text = not_sent(max_length=32)
    second_contact_email: Text = not_sent(max_length=254)


class PeopleQuery(Schema):
    organisation: ObjectId | None = Field(None, description="Only people of this organisation.")


# --- Institutions and agreements --------------------------------------------------------------


class InstitutionOut(Schema):
    id: int
    name: str
    kind: InstitutionKind
    is_national: bool = Field(description="Works across all of Latvia.")
    municipalities: list[str] = Field(
        description="Codes of the municipalities of its jurisdiction."
    )
    email: str
    phone: str
    website: str
    address: str

    @staticmethod
    def resolve_municipalities(obj: Institution) -> list[str]:
        return [municipality.code for municipality in obj.municipalities.all()]


class InstitutionIn(Input):
    name: Text = Field(min_length=1, max_length=200)
    kind: InstitutionKind
    is_national: bool = False
    municipalities: list[Code] = Field([], max_length=MAX_CODES, description="Jurisdiction.")
    email: Text = Field("", max_length=254)
    phone: Text = Field("", max_length=32)
    website: Text = Field("", max_length=200)
    address: Text = Field("", max_length=300)


class InstitutionPatch(Input):
    """A partial update of an institution; ``municipalities`` replaces the jurisdiction."""

    name: Text = not_sent(min_length=1, max_length=200)
    kind: InstitutionKind = not_sent()
    is_national: bool = not_sent()
    municipalities: list[Code] = not_sent(max_length=MAX_CODES)
    email: Text = not_sent(max_length=254)
    phone: Text = not_sent(max_length=32)
    website: Text = not_sent(max_length=200)
    address: Text = not_sent(max_length=300)


class AgreementOut(Schema):
    id: int
    organisation: int = Field(description="Organisation id.")
    organisation_name: str
    institution: int = Field(description="Institution id.")
    institution_name: str
    scope: str = Field(description="What the parties agreed to cooperate on.")
    signed_on: datetime.date
    valid_until: datetime.date | None
    is_valid: bool = Field(description="In force today.")

    @staticmethod
    def resolve_organisation(obj: Agreement) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_organisation_name(obj: Agreement) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_institution(obj: Agreement) -> int:
        return obj.institution_id

    @staticmethod
    def resolve_institution_name(obj: Agreement) -> str:
        return obj.institution.name

    @staticmethod
    def resolve_is_valid(obj: Agreement) -> bool:
        return obj.is_valid_on()


class AgreementIn(Input):
    organisation: ObjectId = Field(description="Organisation id.")
    institution: ObjectId = Field(description="Institution id.")
    scope: Text = Field(min_length=1, max_length=5000)
    signed_on: datetime.date
    valid_until: datetime.date | None = None
