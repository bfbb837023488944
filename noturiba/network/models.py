"""The network directory: who is in the network, where, serving whom, able to offer what.

Reference data (municipalities, the capability catalogue, target groups) is keyed by stable
codes and loaded by ``noturiba load_reference``. Organisations, people, institutions and
agreements are written only through ``noturiba.network.actions``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from noturiba.lib.text import fold

REGISTRATION_NUMBER_RE = r"^[4-9]\d{10}$"
registration_number_validator = RegexValidator(
    REGISTRATION_NUMBER_RE,
    _("A registration number of the Register of Enterprises has 11 digits, e.g. 40008012345."),
    code="registration_number",
)


def coordinate_constraints(prefix: str, *, paired: bool = True) -> list[models.BaseConstraint]:
    """A model's latitude and longitude (nullable decimals) within range and, with ``paired``,
    both given or neither. ``prefix`` names the constraints (``<prefix>_latitude_range`` …)."""
    constraints: list[models.BaseConstraint] = [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
        ),
        models.CheckConstraint(
            condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
        ),
    ]
    if paired:
        constraints.append(
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name=f"{prefix}_coordinates_paired",
            )
        )
    return constraints


class Localised(models.Model):
    """Reference rows with a Latvian and an English name."""

    name_lv = models.CharField(_("name (Latvian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "lv").startswith("en") else self.name_lv


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def current(self, on: datetime.date | None = None) -> MunicipalityQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Municipality(Localised):
    """A local government of Latvia, keyed by its ISO 3166-2:LV code."""

    class Kind(models.TextChoices):
        STATE_CITY = "state_city", _("state city")
        NOVADS = "novads", _("municipality (novads)")

    code = models.CharField(_("ISO 3166-2 code"), max_length=6, unique=True)
    atvk_code = models.CharField(_("ATVK code"), max_length=7, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    population = models.PositiveIntegerField(_("approximate population"), default=0)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_lv"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="municipality_validity_ordered",
            )
        ]

    def is_current(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class Unit(models.TextChoices):
    SEATS = "seats", _("seats")
    SQUARE_METRES = "m2", _("m²")
    MEALS = "meals", _("meals a day")
    LITRES = "litres", _("litres")
    PEOPLE = "people", _("people")
    HOURS = "hours", _("hours")
    KILOWATTS = "kw", _("kW")
    PLACES = "places", _("places")
    VEHICLES = "vehicles", _("vehicles")


class CapabilityType(Localised):
    """An entry of the capability catalogue: what an organisation can offer in a crisis."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    hxl_sector = models.CharField(_("HXL sector"), max_length=40, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("capability type")
        verbose_name_plural = _("capability catalogue")
        ordering = ["sort_order", "code"]


class TargetGroup(Localised):
    """A group of people an organisation serves; disabilities are split by kind."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["sort_order", "code"]


class Organisation(models.Model):
    """A civil-society organisation of the network."""

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("association (biedrība)")
        FOUNDATION = "foundation", _("foundation (nodibinājums)")
        RELIGIOUS = "religious", _("religious organisation")
        TRADE_UNION = "trade_union", _("trade union")
        SOCIAL_ENTERPRISE = "social_enterprise", _("social enterprise")
        OTHER = "other", _("other")

    class Scope(models.TextChoices):
        LOCAL = "local", _("local community")
        REGIONAL = "regional", _("regional")
        NATIONAL = "national", _("national")
        THEMATIC = "thematic", _("thematic (a target group)")

    name = models.CharField(_("name"), max_length=200)
    registration_number = models.CharField(
        _("registration number"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[registration_number_validator],
        help_text=_("Register of Enterprises number, 11 digits."),
    )
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.ASSOCIATION
    )
    scope = models.CharField(_("works"), max_length=10, choices=Scope.choices, default=Scope.LOCAL)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("seat municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seated_organisations",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("municipalities covered"), blank=True, related_name="+"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups served"), blank=True, related_name="+"
    )
    is_public = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_("Show the name, description, website and areas to the public."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="org_name_idx"),
            models.Index(fields=["-updated_at"], name="org_updated_idx"),
        ]
        # No pairing constraint: the directory has never required both coordinates, and adding
        # one now would need a migration that checks the existing rows first.
        constraints = coordinate_constraints("org", paired=False)

    def __str__(self) -> str:
        return self.name

    def build_search_text(self) -> str:
        """The folded text the directory search matches against."""
        return fold(" ".join(filter(None, [self.name, self.registration_number, self.description])))

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class OrganisationCapability(models.Model):
    """What one organisation can offer of one capability type, and how fast."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="capabilities"
    )
    capability = models.ForeignKey(
        CapabilityType, verbose_name=_("capability"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    startup_hours = models.PositiveSmallIntegerField(
        _("can start within (hours)"), null=True, blank=True
    )
    availability = models.CharField(_("availability notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        ordering = ["capability__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "capability"], name="org_capability_unique"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="org_capability_qty_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.capability} · {self.quantity} {self.capability.get_unit_display()}"


class Institution(models.Model):
    """A state or municipal institution the network works with."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        FIRE_RESCUE = "fire_rescue", _("fire and rescue service")
        MINISTRY = "ministry", _("ministry")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    is_national = models.BooleanField(
        _("national jurisdiction"), default=False, help_text=_("Works across all of Latvia.")
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("jurisdiction"), blank=True, related_name="institutions"
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone in the network: a member of organisations, or an officer of an institution."""

    class Language(models.TextChoices):
        LATVIAN = "lv", _("Latvian")
        ENGLISH = "en", _("English")
        RUSSIAN = "ru", _("Russian")
        UKRAINIAN = "uk", _("Ukrainian")

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        SMS = "sms", _("SMS")

    full_name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(
        _("phone"), max_length=16, blank=True, help_text=_("E.164, e.g. +37120000000")
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.LATVIAN
    )
    preferred_channels = models.JSONField(
        _("preferred channels"),
        default=list,
        blank=True,
        help_text=_("Channels in the order they should be tried."),
    )
    second_contact_name = models.CharField(_("second contact: name"), max_length=200, blank=True)
    second_contact_phone = models.CharField(_("second contact: phone"), max_length=16, blank=True)
    second_contact_email = models.EmailField(_("second contact: email"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sign-in account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("officer of institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officers",
    )
    organisations: models.ManyToManyField[Organisation, Membership] = models.ManyToManyField(
        Organisation, through="Membership", related_name="people", blank=True
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.full_name


class Membership(models.Model):
    """A person's role in an organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("organisation admin")
        MEMBER = "member", _("member / volunteer")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(_("position"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.organisation} ({self.get_role_display()})"


class Agreement(models.Model):
    """A cooperation agreement between an organisation and an institution."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="agreements"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="agreements"
    )
    scope = models.TextField(_("scope"))
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-signed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("signed_on")),
                name="agreement_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.institution}"

    def is_valid_on(self, day: datetime.date | None = None) -> bool:
        on = day or timezone.localdate()
        return self.signed_on <= on and (self.valid_until is None or self.valid_until >= on)


class ImportBatch(models.Model):
    """An uploaded directory file, kept between its preview and the import it was confirmed for.

    The file's bytes are dropped once the import has run (they may hold people's contacts).
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("waiting for confirmation")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file content"), editable=False)
    size = models.PositiveIntegerField(_("file size (bytes)"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    create_anyway = models.BooleanField(
        _("create duplicate candidates anyway"),
        default=False,
        help_text=_("Create rows without a registration number that look like a known one."),
    )
    organisations_created = models.PositiveIntegerField(default=0)
    organisations_updated = models.PositiveIntegerField(default=0)
    organisations_unchanged = models.PositiveIntegerField(default=0)
    organisations_skipped = models.PositiveIntegerField(default=0)
    people_created = models.PositiveIntegerField(default=0)
    people_updated = models.PositiveIntegerField(default=0)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_in_progress(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING} and not self.is_stalled

    # An import of the largest allowed file takes seconds; one running this long lost its worker.
    STALLED_AFTER = datetime.timedelta(minutes=15)

    @property
    def is_stalled(self) -> bool:
        """Started long ago and not finished: its worker stopped. Nothing was written then,
        because an import runs in one transaction."""
        return (
            self.status == self.Status.RUNNING
            and self.started_at is not None
            and timezone.now() - self.started_at > self.STALLED_AFTER
        )
