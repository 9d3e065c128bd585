from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models


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


class CertificationQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(status=Certification.Status.VERIFIED)


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
