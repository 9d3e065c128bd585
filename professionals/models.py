"""Mental-health professionals: who they are, how they applied, how they were vetted.

A public application creates an unlisted Professional (everything the applicant told us, in
structured fields) and an Application (the vetting record). Vetters' assessments reach a
consensus that lists the professional or defers the application.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from wnwa.lib.states import STATE_NAMES, US_STATES
from wnwa.lib.storage import private_storage
from wnwa.lib.uploads import random_name


class Vocabulary(models.Model):
    """A staff-maintained list entry; the slug is what filters and URLs carry."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Specialty(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name_plural = "specialties"


class Language(Vocabulary):
    pass


class InsuranceCarrier(Vocabulary):
    pass


class Association(models.TextChoices):
    APA = "APA", "American Psychological Association (APA)"
    NASW = "NASW", "National Association of Social Workers (NASW)"
    ACA = "ACA", "American Counseling Association (ACA)"
    AAMFT = "AAMFT", "American Association for Marriage and Family Therapy (AAMFT)"
    APSYCHA = "APsychA", "American Psychiatric Association"
    NBCC = "NBCC", "National Board for Certified Counselors (NBCC)"
    OTHER = "other", "Another association"


class Professional(models.Model):
    """A mental-health professional: unlisted while the application is vetted, listed after."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    credentials = models.CharField(max_length=100, blank=True, help_text="For example PsyD, LCSW.")
    email = models.EmailField()
    phone = models.CharField(max_length=20, help_text="E.164.")
    website = models.URLField(blank=True)
    practice_name = models.CharField(max_length=200, blank=True)
    street_address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    county = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, choices=US_STATES)
    postal_code = models.CharField(max_length=10, blank=True)

    specialties = models.ManyToManyField(Specialty, blank=True, related_name="professionals")
    languages = models.ManyToManyField(Language, blank=True, related_name="professionals")
    insurance_carriers = models.ManyToManyField(
        InsuranceCarrier, blank=True, related_name="professionals"
    )
    accepts_ppo = models.BooleanField("PPO plans", default=False)
    accepts_hmo = models.BooleanField("HMO plans", default=False)
    accepts_self_pay = models.BooleanField("self-pay", default=False)

    answers_24_7 = models.BooleanField("answers officers' calls 24/7", default=False)
    sees_within_24h = models.BooleanField("sees officers within 24 hours", default=False)
    # Family members see these first (docs/product.md, "Families").
    sees_families = models.BooleanField("sees officers' families", default=False)

    police_experience = models.TextField(max_length=2000, blank=True)
    association = models.CharField(max_length=10, choices=Association.choices, blank=True)
    association_other = models.CharField(max_length=150, blank=True)
    follows_code_of_ethics = models.BooleanField(default=False)

    is_listed = models.BooleanField(default=False)
    availability_confirmed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["is_listed", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answers_24_7=True) | models.Q(sees_within_24h=True),
                name="professional_promises_availability",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def state_name(self) -> str:
        return STATE_NAMES.get(self.state, self.state)

    @property
    def plan_types(self) -> list[str]:
        plans = [("PPO", self.accepts_ppo), ("HMO", self.accepts_hmo)]
        plans.append(("self-pay", self.accepts_self_pay))
        return [label for label, accepted in plans if accepted]

    @property
    def association_label(self) -> str:
        if self.association == Association.OTHER:
            return self.association_other
        return self.get_association_display()


class TelehealthState(models.Model):
    """A state where the professional may see clients by video (licensed there)."""

    professional = models.ForeignKey(
        Professional, on_delete=models.CASCADE, related_name="telehealth_states"
    )
    state = models.CharField(max_length=2, choices=US_STATES)

    class Meta:
        ordering = ["state"]
        constraints = [
            models.UniqueConstraint(fields=["professional", "state"], name="telehealth_state_once")
        ]

    def __str__(self) -> str:
        return self.state


class Licence(models.Model):
    professional = models.ForeignKey(
        Professional, on_delete=models.CASCADE, related_name="licences"
    )
    kind = models.CharField(
        "licence type", max_length=120, help_text="For example Licensed Clinical Social Worker."
    )
    number = models.CharField("licence number", max_length=60)
    state = models.CharField(max_length=2, choices=US_STATES)
    expires_on = models.DateField("expires on")

    class Meta:
        ordering = ["expires_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["professional", "state", "number"], name="licence_once_per_professional"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number} ({self.state})"


class Application(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        DEFERRED = "deferred", "Deferred"

    professional = models.ForeignKey(
        Professional, on_delete=models.CASCADE, related_name="applications"
    )
    reference = models.CharField(max_length=12, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    submitted_at = models.DateTimeField(auto_now_add=True)
    round = models.PositiveSmallIntegerField(
        default=1, help_text="Goes up when a deferred application is reopened."
    )
    deferral_reason = models.TextField(
        blank=True, help_text="The deferring vetters' internal notes; never sent to the applicant."
    )
    applicant_message = models.TextField(
        blank=True, help_text="What the outcome email told the applicant, as it was sent."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"Application {self.reference} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.NEW, self.Status.IN_REVIEW}


class Assessment(models.Model):
    class Method(models.TextChoices):
        OFFICE = "office", "Office visit"
        VIDEO = "video", "Video call"

    class Recommendation(models.TextChoices):
        APPROVE = "approve", "Approve"
        DEFER = "defer", "Defer"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    vetter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    round = models.PositiveSmallIntegerField(default=1)
    method = models.CharField(max_length=10, choices=Method.choices)
    assessed_on = models.DateField()
    notes = models.TextField(
        "internal notes",
        max_length=5000,
        help_text="For vetters and network admins only: never sent to the applicant.",
    )
    message_to_applicant = models.TextField(
        max_length=3000,
        blank=True,
        help_text="Sent in the outcome email when the consensus it joins decides the application.",
    )
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices)
    # The vetter's own finding on the applicant's answer: approved professionals are listed as
    # seeing officers' families only when every approving vetter of the round found so.
    sees_families = models.BooleanField(
        "sees officers' families",
        default=False,
        help_text="Tick if you found that they see officers' families (spouses and partners, "
        "adult children, parents). Family members of the network see them first.",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "vetter", "round"], name="one_assessment_per_vetter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_recommendation_display()} by {self.vetter}"


def _document_name(instance: "Document", filename: str) -> str:
    # The applicant's file name is never part of the path: a random name, the checked type.
    return random_name("applications", instance.extension)


class Document(models.Model):
    class Kind(models.TextChoices):
        LICENCE = "licence", "Licence"
        CV = "cv", "CV"
        MALPRACTICE = "malpractice", "Malpractice insurance certificate"

    EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    file = models.FileField(storage=private_storage, upload_to=_document_name, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    display_name = models.CharField(
        max_length=120, help_text="The applicant's file name, for display only."
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.display_name})"

    @property
    def extension(self) -> str:
        return self.EXTENSIONS[self.content_type]

    @property
    def download_name(self) -> str:
        return f"{self.application.reference}-{self.kind}.{self.extension}"


class ReconfirmationToken(models.Model):
    """A single-use link emailed to a listed professional; only its hash is stored."""

    professional = models.ForeignKey(
        Professional, on_delete=models.CASCADE, related_name="reconfirmation_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"reconfirmation link for {self.professional}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        return self.used_at is None and (now or timezone.now()) < self.expires_at
