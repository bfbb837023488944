"""Shelters and other places to take cover: where they are, how many they hold, who can get in.

Capacity is counted two ways from the floor area: the national short-stay norm of 0.75 m² per
person and Sphere's 3.5 m² of covered living space per person for longer stays. Occupancy and
status are updated by the operator (often from a phone); each change is kept as a
:class:`ShelterUpdate`. Writes go through ``noturiba.shelters.actions``.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noturiba.network.models import Institution, Municipality, Organisation, coordinate_constraints

SHORT_STAY_M2_PER_PERSON = Decimal("0.75")
SPHERE_M2_PER_PERSON = Decimal("3.5")

ACCESSIBILITY_FIELDS = (
    "step_free",
    "accessible_toilet",
    "lift",
    "hearing_loop",
    "wheelchair_spaces",
)
FACILITY_FIELDS = ("water", "toilets", "heating", "power_backup", "first_aid")


def people_for_area(area: Decimal | None, per_person: Decimal) -> int | None:
    """Whole people that ``area`` m² holds at ``per_person`` m² each (rounded down)."""
    if area is None:
        return None
    return int((area / per_person).to_integral_value(rounding=ROUND_FLOOR))


class Shelter(models.Model):
    class Kind(models.TextChoices):
        SHELTER = "shelter", _("shelter (patvertne)")
        COVER = "cover", _("place to take cover (aizsegtā vieta)")
        EVACUATION = "evacuation", _("evacuation / reception centre")
        WARM_ROOM = "warm_room", _("warm room")

    class Status(models.TextChoices):
        CLOSED = "closed", _("closed")
        OPENING = "opening", _("opening")
        OPEN = "open", _("open")
        FULL = "full", _("full")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SHELTER)
    address = models.CharField(_("address"), max_length=300)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="shelters",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    operator_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("operated by organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shelters",
    )
    operator_institution = models.ForeignKey(
        Institution,
        verbose_name=_("operated by institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shelters",
    )
    contact_phone = models.CharField(_("phone"), max_length=16, blank=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    # Accessibility.
    step_free = models.BooleanField(_("step-free entrance"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    lift = models.BooleanField(_("lift"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    wheelchair_spaces = models.PositiveSmallIntegerField(_("spaces for wheelchairs"), default=0)
    # Facilities.
    water = models.BooleanField(_("drinking water"), default=False)
    toilets = models.BooleanField(_("toilets"), default=False)
    heating = models.BooleanField(_("heating"), default=False)
    power_backup = models.BooleanField(_("backup power"), default=False)
    first_aid = models.BooleanField(_("first aid"), default=False)

    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.CLOSED
    )
    occupancy = models.PositiveIntegerField(_("people inside now"), default=0)
    occupancy_updated_at = models.DateTimeField(_("occupancy updated at"), null=True, blank=True)
    notes = models.TextField(_("notes for the public"), blank=True)
    is_public = models.BooleanField(
        _("shown to the public"),
        default=False,
        help_text=_("Listed on the public shelter map and in the public exports."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["is_public", "status"], name="shelter_public_status_idx"),
        ]
        constraints = [
            *coordinate_constraints("shelter"),
            models.CheckConstraint(
                condition=Q(floor_area__isnull=True) | Q(floor_area__gt=0),
                name="shelter_floor_area_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def short_stay_capacity(self) -> int | None:
        """People the floor holds at the national short-stay norm (0.75 m² each)."""
        return people_for_area(self.floor_area, SHORT_STAY_M2_PER_PERSON)

    @property
    def sphere_capacity(self) -> int | None:
        """People the floor holds at Sphere's 3.5 m² of covered living space each."""
        return people_for_area(self.floor_area, SPHERE_M2_PER_PERSON)

    @property
    def free_places(self) -> int | None:
        """Short-stay places not taken (never below zero); None without a floor area."""
        capacity = self.short_stay_capacity
        if capacity is None:
            return None
        return max(capacity - self.occupancy, 0)

    @property
    def free_places_long_stay(self) -> int | None:
        capacity = self.sphere_capacity
        if capacity is None:
            return None
        return max(capacity - self.occupancy, 0)

    @property
    def is_accessible(self) -> bool:
        return self.step_free and self.accessible_toilet


class ShelterUpdate(models.Model):
    """A status or occupancy change of a shelter, as its operator reported it."""

    shelter = models.ForeignKey(Shelter, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=8, choices=Shelter.Status.choices)
    occupancy = models.PositiveIntegerField(_("people inside"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("shelter update")
        verbose_name_plural = _("shelter updates")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["shelter", "-created_at"], name="shelter_update_idx")]

    def __str__(self) -> str:
        return f"{self.shelter_id}: {self.status}, {self.occupancy}"
