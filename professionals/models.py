from django.conf import settings
from django.db import models


class Professional(models.Model):
    """A vetted mental-health professional, listed for officers once approved."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    credentials = models.CharField(max_length=100, blank=True, help_text="For example PsyD, LCSW.")
    email = models.EmailField()
    phone = models.CharField(max_length=20, help_text="E.164.")
    website = models.URLField(blank=True)
    practice_name = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    county = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2)
    is_listed = models.BooleanField(default=False)
    availability_confirmed_on = models.DateField(null=True, blank=True)
    licence_expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Application(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        DEFERRED = "deferred", "Deferred"

    professional = models.ForeignKey(
        Professional,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="applications",
        help_text="Set when approved (or when a listed professional applies again).",
    )
    reference = models.CharField(max_length=12, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    submitted_at = models.DateTimeField(auto_now_add=True)
    answers = models.JSONField(default=dict, help_text="Everything the applicant typed.")
    deferral_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Application {self.reference} ({self.get_status_display()})"
