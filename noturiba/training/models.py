"""The training programme: curriculum, sessions, enrolment, attendance, certificates, competencies.

The curriculum (competencies, modules, courses) is reference data keyed by stable codes and loaded
by ``noturiba load_reference``. Everything else is written only through
``noturiba.training.actions``; who may do what is in ``noturiba.accounts.policy``.

How the pieces fit: a *course* is made of *modules*; each module confers *competencies*, some of
which expire (``validity_months``). A *session* schedules a course; people *enrol* (confirmed or on
the waiting list); the trainer records *attendance* (hours) and an optional assessment score on the
enrolment. A completed enrolment issues a *certificate* (a snapshot of what it shows, with a public
verification code) and one *competency grant* per competency of the course: the learning record
and the competency matrix read the grants.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noturiba.network.models import Localised, Municipality, Organisation, Person

# Verification codes: Crockford's base32 alphabet (no I, L, O, U), so a code read aloud or typed
# from paper is unambiguous. 12 characters = 60 bits.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Competency(Localised):
    """Something a person can do after training; may expire and call for a refresher."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    description_lv = models.TextField(_("description (Latvian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: the competency does not expire."),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["sort_order", "code"]


class Module(Localised):
    """A unit of the curriculum with learning outcomes, hours and the competencies it confers."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    summary_lv = models.TextField(_("summary (Latvian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    outcomes_lv = models.TextField(
        _("learning outcomes (Latvian)"), blank=True, help_text=_("One outcome per line.")
    )
    outcomes_en = models.TextField(
        _("learning outcomes (English)"), blank=True, help_text=_("One outcome per line.")
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    competencies = models.ManyToManyField(
        Competency, verbose_name=_("competencies conferred"), related_name="modules", blank=True
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_module_hours_positive"),
        ]


class Course(Localised):
    """A programme of modules; completing it issues a certificate."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    description_lv = models.TextField(_("description (Latvian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    modules: models.ManyToManyField[Module, CourseModule] = models.ManyToManyField(
        Module, through="CourseModule", related_name="courses", verbose_name=_("modules")
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Empty: no assessment."),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("attendance needed (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    is_active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__isnull=True) | Q(pass_mark__lte=100),
                name="training_course_pass_mark_percent",
            ),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__gte=1, min_attendance_percent__lte=100),
                name="training_course_attendance_percent",
            ),
        ]


class CourseModule(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_modules")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="course_modules")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("module of a course")
        verbose_name_plural = _("modules of a course")
        ordering = ["course", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "module"], name="training_course_module_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id}:{self.module_id}"


class TrainingSession(models.Model):
    """One run of a course: when, where, who teaches, how many may come."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("in person and online")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Empty: the course name.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(
        _("format"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    online_url = models.URLField(_("online link"), blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        related_name="training_sessions_led",
        blank=True,
    )
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    language = models.CharField(
        _("language"), max_length=2, choices=Person.Language.choices, default="lv"
    )
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessibility_notes = models.CharField(_("accessibility notes"), max_length=300, blank=True)
    registration_deadline = models.DateTimeField(_("registration closes"), null=True, blank=True)
    issuing_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("issuing organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_sessions_issued",
        help_text=_("Named on certificates. Empty: the network itself."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancellation_reason = models.CharField(
        _("reason for cancelling"), max_length=500, blank=True, editable=False
    )
    results_closed_at = models.DateTimeField(
        _("results closed at"),
        null=True,
        blank=True,
        help_text=_("When the trainer closed attendance and certificates were issued."),
    )
    sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text="iCalendar SEQUENCE: raised on every change."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="training_session_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_session_capacity"),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="training_session_upcoming"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.course.name

    @property
    def is_open_for_registration(self) -> bool:
        now = timezone.now()
        if self.status != self.Status.PUBLISHED or self.starts_at <= now:
            return False
        return self.registration_deadline is None or now <= self.registration_deadline


class Enrolment(models.Model):
    """A person's place in a session, and what they did there (attendance, score)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    class Attendance(models.TextChoices):
        PRESENT = "present", _("present")
        PARTIAL = "partial", _("partly present")
        ABSENT = "absent", _("absent")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("enrolled at"), default=timezone.now, editable=False)
    waitlisted_at = models.DateTimeField(
        null=True, blank=True, help_text="Order of the waiting list (first come, first promoted)."
    )
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True
    )
    hours_attended = models.DecimalField(
        _("hours attended"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    score = models.PositiveSmallIntegerField(
        _("assessment score (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="training_enrolment_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100),
                name="training_enrolment_score_percent",
            ),
            models.CheckConstraint(
                condition=Q(hours_attended__isnull=True) | Q(hours_attended__gte=0),
                name="training_enrolment_hours_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="training_enrolment_session"),
            models.Index(fields=["person", "status"], name="training_enrolment_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"


class Feedback(models.Model):
    """An attendee's ratings (1–5) and comments; trainers see them only summed up."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="feedback")
    overall = models.PositiveSmallIntegerField(
        _("overall"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    content = models.PositiveSmallIntegerField(
        _("content"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    trainer = models.PositiveSmallIntegerField(
        _("trainer"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    relevance = models.PositiveSmallIntegerField(
        _("usefulness for my work"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comments = models.TextField(_("comments"), blank=True, max_length=4000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5)
                & Q(content__gte=1, content__lte=5)
                & Q(trainer__gte=1, trainer__lte=5)
                & Q(relevance__gte=1, relevance__lte=5),
                name="training_feedback_ratings_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"feedback {self.enrolment_id}"


class Certificate(models.Model):
    """Proof that a person completed a course: a snapshot of exactly what the certificate shows."""

    code = models.CharField(
        _("verification code"),
        max_length=CODE_LENGTH,
        unique=True,
        default=new_verification_code,
        editable=False,
    )
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="certificates")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    # The snapshot: what the PDF and the public verification page show, frozen at issue.
    holder_name = models.CharField(_("name"), max_length=200)
    course_name_lv = models.CharField(max_length=200)
    course_name_en = models.CharField(max_length=200)
    modules = models.JSONField(
        default=list, help_text="[{code, name_lv, name_en, hours}] as taught."
    )
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    trainer_names = models.CharField(_("trainers"), max_length=400, blank=True)
    issuer_name = models.CharField(_("issued by"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "id"]
        indexes = [
            models.Index(
                fields=["revoked_at"],
                condition=Q(revoked_at__isnull=False),
                name="training_certificate_revoked",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="training_certificate_revocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def state_on(self, day: datetime.date) -> str:
        """ "revoked", "expired" or "valid" on ``day`` (a Europe/Riga calendar date)."""
        if self.revoked_at is not None:
            return "revoked"
        if self.valid_until is not None and day > self.valid_until:
            return "expired"
        return "valid"


class CompetencyGrant(models.Model):
    """The learning record: a person holds a competency from a date, until a date (or for good)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="competency_grants")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="grants")
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    acquired_on = models.DateField(_("acquired on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("competency held")
        verbose_name_plural = _("competencies held")
        ordering = ["person", "competency", "-acquired_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "competency"], name="training_grant_once_per_certificate"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("acquired_on")),
                name="training_grant_valid_after_acquired",
            ),
        ]
        indexes = [
            # The competency matrix reads every grant held today from this index alone.
            models.Index(
                fields=["person", "competency", "valid_until", "acquired_on", "certificate"],
                name="training_grant_matrix",
            ),
            models.Index(fields=["competency", "valid_until"], name="training_grant_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.competency_id} until {self.valid_until}"


class Invitation(models.Model):
    """An invitation to a session sent to someone whose competency expires (or is missing)."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="training_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="training_invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.session_id}"


class CalendarFeed(models.Model):
    """A secret address of an iCalendar feed (calendar programs cannot sign in)."""

    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    organisation = models.OneToOneField(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=40, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, organisation__isnull=True)
                | Q(person__isnull=True, organisation__isnull=False),
                name="training_feed_person_or_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"calendar feed {self.pk}"


class CompetencyMatrixSnapshot(models.Model):
    """The competency matrix's counts for every current municipality, computed by the task
    worker (``noturiba.training.tasks.refresh_competency_matrix``) so that the knowledge page
    reads them instead of running the aggregate. ``counts``: ``{municipality id: {competency id:
    [people holding it, of whom expiring soon]}}`` (ids as strings, JSON keys); ``day``: the
    Riga date validity was judged on; ``version``: ``knowledge_version`` read before counting
    (a different one now means the data changed since); ``charts``: the network's attendance
    and feedback per month (``selectors.knowledge.charts_to_json``), for coordinators' charts."""

    computed_at = models.DateTimeField(default=timezone.now, db_index=True)
    day = models.DateField()
    version = models.CharField(max_length=200)
    counts = models.JSONField(default=dict)
    charts = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("competency matrix snapshot")
        verbose_name_plural = _("competency matrix snapshots")
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"competency matrix of {self.day} ({self.computed_at:%Y-%m-%d %H:%M})"


class OrganisationTrainingCoverage(models.Model):
    """How much of an organisation is trained, refreshed with the competency matrix by the task
    worker: the people of the organisation and how many of them hold at least one current
    competency. Assistance matching reads it instead of counting grants per request."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    people = models.PositiveIntegerField(default=0)
    trained_people = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("organisation training coverage")
        verbose_name_plural = _("organisation training coverage")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.trained_people}/{self.people}"

    @property
    def share(self) -> float | None:
        return self.trained_people / self.people if self.people else None
