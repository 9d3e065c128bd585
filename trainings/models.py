import datetime
from pathlib import Path

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from wnwa.lib.storage import private_storage
from wnwa.lib.uploads import random_name


class CourseType(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    days = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    price = models.DecimalField(max_digits=8, decimal_places=2)
    description = models.TextField(blank=True)
    topics = models.TextField(blank=True, help_text="One topic a line.")

    class Meta:
        ordering = ["days", "name"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"

    course = models.ForeignKey(CourseType, on_delete=models.PROTECT, related_name="sessions")
    starts_on = models.DateField()
    ends_on = models.DateField()
    venue = models.CharField(max_length=200)
    address = models.CharField(max_length=300)
    lodging_note = models.TextField(blank=True)
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    registration_open = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    announced = models.BooleanField(
        default=False, help_text="The interest list was told of this session (once only)."
    )
    calendar_sequence = models.PositiveIntegerField(
        default=0,
        help_text="The SEQUENCE of its calendar event: goes up with each change trainees are "
        "sent, so their calendars replace the event.",
    )

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.starts_on:%b %-d, %Y}"

    @property
    def days(self) -> list[datetime.date]:
        """Every day of the session, first to last: attendance is taken on each."""
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + datetime.timedelta(days=n) for n in range(count)]

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def exam_closes_on(self) -> datetime.date:
        return self.ends_on + datetime.timedelta(days=settings.TRAININGS_EXAM_WINDOW_DAYS)

    def exam_is_open(self, today: datetime.date) -> bool:
        """Open from the last day of the session through the 30th day after it."""
        return self.ends_on <= today <= self.exam_closes_on


class Registration(models.Model):
    """A trainee's place (or place in line) on a session. Trainees may not have an account."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered"
        WAITLISTED = "waitlisted", "On the waitlist"
        CANCELLED = "cancelled", "Cancelled"

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="registrations")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=20, help_text="E.164.")
    department = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices)
    fee = models.DecimalField(max_digits=8, decimal_places=2)
    paid = models.BooleanField(default=False)
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The waitlist is served in this order.
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "session",
                Lower("email"),
                condition=~models.Q(status="cancelled"),
                name="registration_once_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.session}"

    @property
    def is_registered(self) -> bool:
        return self.status == self.Status.REGISTERED


class Attendance(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendance"
    )
    day = models.DateField()
    present = models.BooleanField()

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="attendance_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.day} · {'present' if self.present else 'absent'}"


class Question(models.Model):
    """A multiple-choice question with exactly one right choice (checked by the services)."""

    course = models.ForeignKey(CourseType, on_delete=models.PROTECT, related_name="questions")
    text = models.TextField(max_length=1000)
    # Retired questions stay, so past attempts still read back; they are never drawn again.
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=models.Q(is_correct=True),
                name="one_right_choice_per_question",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ExamAttempt(models.Model):
    """One sitting of the exam. `layout` is the order drawn for this attempt:
    [{"question": id, "choices": [id, ...]}, ...], fixed when the attempt starts."""

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField()
    layout = models.JSONField()
    answers = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField()
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["registration", "number"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "number"], name="attempt_number_once"),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number} · {self.registration}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def percent(self) -> int | None:
        """The score rounded down to a whole percent, for display only (never for passing)."""
        if self.correct is None or not self.total:
            return None
        return self.correct * 100 // self.total


class ExamLink(models.Model):
    """A single-use emailed link to start one attempt, for trainees without an account.

    Only a hash of the token is stored: a database dump does not open anyone's exam.
    """

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="exam_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Exam link · {self.registration}"


class Interest(models.Model):
    """Someone who asked to be told when the next session is published."""

    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(Lower("email"), name="interest_email_once")]

    def __str__(self) -> str:
        return self.email


class CertificationQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(status=Certification.Status.VERIFIED)


def certificate_upload_to(instance, filename: str) -> str:
    # Never the uploader's file name: it may carry a name or be hostile.
    return random_name("certificates", Path(filename).suffix)


class Certification(models.Model):
    """A person's certification as a peer supporter.

    `person` is empty while a trainee who passed the exam has no account yet; `email` then ties the
    certification to the account created later.
    """

    class Source(models.TextChoices):
        EXAM = "exam", "WNWA exam"
        EXTERNAL = "external", "External training, verified by staff"
        LEGACY = "legacy", "Certified before the portal"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certifications",
    )
    email = models.EmailField(blank=True)
    name = models.CharField(
        max_length=150, blank=True, help_text="The holder's name as printed on the certificate."
    )
    course = models.ForeignKey(
        CourseType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    certified_on = models.DateField()
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    provider = models.CharField(
        max_length=200, blank=True, help_text="External trainings: who gave it."
    )
    hours = models.PositiveSmallIntegerField(null=True, blank=True)
    certificate = models.FileField(
        upload_to=certificate_upload_to, storage=private_storage, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.CharField(max_length=300, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["-certified_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(email=""),
                name="certification_has_holder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person or self.email} · {self.get_source_display()} · {self.certified_on}"

    @property
    def holder_name(self) -> str:
        if self.person_id and self.person.full_name:
            return self.person.full_name
        return self.name or (self.person.email if self.person_id else self.email)
