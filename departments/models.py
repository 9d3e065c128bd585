import calendar
import datetime
import math
from pathlib import Path

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from wnwa.lib.states import US_STATES
from wnwa.lib.storage import private_storage
from wnwa.lib.uploads import DOCUMENT, ContentValidator, random_name

DESIGNATION_MAX_BYTES = 10 * 1024 * 1024


def designation_name(department: "Department", filename: str) -> str:
    # A random name: the signed document is served only through the admins' view.
    return random_name("designations", Path(filename).suffix)


class DesignationStatus(models.TextChoices):
    MISSING = "missing", "Missing"
    AWAITING = "awaiting", "Awaiting verification"
    ON_FILE = "on_file", "On file"


class Department(models.Model):
    class Status(models.TextChoices):
        PROSPECTIVE = "prospective", "Prospective"
        ACTIVE = "active", "Active member"
        LAPSED = "lapsed", "Lapsed"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    state = models.CharField(max_length=2, choices=US_STATES)
    county = models.CharField(max_length=100)
    city = models.CharField(max_length=100)
    sworn_strength = models.PositiveIntegerField(
        validators=[MinValueValidator(1)],
        help_text="Sworn officers, as declared by the department.",
    )
    membership_status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PROSPECTIVE
    )
    joined_on = models.DateField(null=True, blank=True)
    term_ends_on = models.DateField(null=True, blank=True)
    annual_fee = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    # The day the department leaves the network, once known (docs/product.md, "Retired
    # officers"): its retirees are told a month before, and lose access with it on the day
    # (`manage.py departments_leaving`, daily).
    leaves_on = models.DateField(
        null=True,
        blank=True,
        help_text="The last day of membership, once the department has said it leaves. Its "
        "retired officers are emailed a month before; on the day the membership lapses and "
        "they lose access.",
    )
    # The network's own administration, not usage: the notice to the retirees went out.
    leaving_notice_sent_on = models.DateField(null=True, blank=True, editable=False)

    # The department's designation of the network's peers (state confidentiality laws protect
    # peers the officer's own agency designates).
    designation_signed_on = models.DateField(null=True, blank=True)
    designation_signed_by = models.CharField(max_length=200, blank=True)
    designation_document = models.FileField(
        upload_to=designation_name,
        storage=private_storage,
        blank=True,
        validators=[
            FileExtensionValidator(["pdf", "png", "jpg", "jpeg"]),
            ContentValidator(DOCUMENT, max_bytes=DESIGNATION_MAX_BYTES),
        ],
        help_text="The signed designation (PDF or image). Seen only by the department's admins "
        "and network admins.",
    )
    # Who uploaded it and who checked it: administrative acts, not usage (docs/privacy.md).
    designation_uploaded_at = models.DateTimeField(null=True, blank=True)
    designation_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    designation_verified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a network admin checked the document. A new document needs a new check.",
    )
    designation_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["state", "county"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_member(self) -> bool:
        return self.membership_status == self.Status.ACTIVE

    def first_term_end(self) -> datetime.date | None:
        if self.joined_on is None:
            return None
        try:
            return self.joined_on.replace(year=self.joined_on.year + settings.FIRST_TERM_YEARS)
        except ValueError:  # joined on 29 February
            return self.joined_on.replace(
                year=self.joined_on.year + settings.FIRST_TERM_YEARS, day=28
            )

    @property
    def designation_status(self) -> "DesignationStatus":
        """The one answer to "is the designation on file?" (docs/product.md): the compliance
        page, the department's roster page and the Django admin all show this.

        On file means a signed document a network admin has verified; a document not yet
        checked is awaiting verification; anything less is missing.
        """
        if not self.designation_document:
            return DesignationStatus.MISSING
        if self.designation_verified_at is None:
            return DesignationStatus.AWAITING
        return DesignationStatus.ON_FILE

    @property
    def designation_on_file(self) -> bool:
        return self.designation_status == DesignationStatus.ON_FILE

    def term_end(self) -> datetime.date | None:
        """The end of the current commitment: as recorded, or three years from joining."""
        return self.term_ends_on or self.first_term_end()

    def next_renewal(self, today: datetime.date | None = None) -> datetime.date | None:
        """The first commitment runs to its end; after that the membership renews yearly."""
        end = self.term_end()
        if end is None:
            return None
        today = today or timezone.localdate()
        years = 0
        while _add_years(end, years) < today:
            years += 1
        return _add_years(end, years)

    def peer_quota(self) -> tuple[int, int]:
        return peer_quota(self.sworn_strength)

    def quota_deadline(self) -> datetime.date | None:
        if self.joined_on is None:
            return None
        months = settings.PEER_QUOTA_MONTHS
        year = self.joined_on.year + (self.joined_on.month - 1 + months) // 12
        month = (self.joined_on.month - 1 + months) % 12 + 1
        day = min(self.joined_on.day, calendar.monthrange(year, month)[1])
        return datetime.date(year, month, day)

    def days_to_quota_deadline(self, today: datetime.date | None = None) -> int | None:
        deadline = self.quota_deadline()
        if deadline is None:
            return None
        return (deadline - (today or timezone.localdate())).days


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def peer_quota_rates(strength: int) -> tuple[float, float]:
    """The (low, high) share of sworn strength a department must have as trained peers.

    The rates slide linearly in log10(strength) from the small-department rates at or below
    PEER_QUOTA_SMALL_STRENGTH to the large-department rates at or above PEER_QUOTA_LARGE_STRENGTH.
    """
    small, large = settings.PEER_QUOTA_SMALL_STRENGTH, settings.PEER_QUOTA_LARGE_STRENGTH
    (small_low, small_high), (large_low, large_high) = (
        settings.PEER_QUOTA_SMALL_RATES,
        settings.PEER_QUOTA_LARGE_RATES,
    )
    n = max(strength, 1)
    position = (math.log10(min(max(n, small), large)) - math.log10(small)) / (
        math.log10(large) - math.log10(small)
    )
    low_rate = small_low + (large_low - small_low) * position
    high_rate = small_high + (large_high - small_high) * position
    return low_rate, high_rate


def peer_quota(strength: int) -> tuple[int, int]:
    """Peers a department of `strength` sworn officers must have: (low, high), at least 1."""
    n = max(strength, 1)
    low_rate, high_rate = peer_quota_rates(n)
    # Round away float noise before ceil: 50 * 0.07 must give 4, not 4 from 3.5000000000000004.
    return max(1, math.ceil(round(n * low_rate, 9))), max(1, math.ceil(round(n * high_rate, 9)))


class RosterPreview(models.Model):
    """An uploaded roster, parsed and checked, waiting for the admin to confirm it.

    The plan (officers to add, change and deactivate) is kept server-side with a fingerprint of
    the roster it was computed against, so the apply can prove the roster has not changed since,
    and `applied_at` makes a second apply impossible. The plan is emptied once applied.
    """

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="roster_previews"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    full_roster = models.BooleanField(default=False)
    fingerprint = models.CharField(max_length=64)
    rows_read = models.PositiveIntegerField(default=0)
    plan = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    ignored_columns = models.JSONField(default=list, blank=True)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    deactivated = models.PositiveIntegerField(default=0)
    retired = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.department} roster {self.file_name}"

    @property
    def is_applied(self) -> bool:
        return self.applied_at is not None


class InvitationQuerySet(models.QuerySet):
    def queued(self) -> "InvitationQuerySet":
        """Invitations waiting for the sender (after an apply, or a resend)."""
        return self.filter(queued_at__isnull=False)


class Invitation(models.Model):
    """An officer's invitation: queued until the sender emails it, then the day it last went out.

    The department admin sees from it when the officer was invited and when the link expires
    (sent_on + INVITATION_MAX_AGE_DAYS). Whether it was accepted is not kept here: an officer
    who has chosen a password has accepted. There is never a time of acceptance or of any
    sign-in (docs/privacy.md, rule 2): sending an email is the network's administration, an
    officer's first sign-in is usage.
    """

    officer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitation"
    )
    # Set while the email waits for the sender; cleared once it is sent (or no longer wanted).
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_on = models.DateField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["queued_at"],
                name="invitation_queue",
                condition=models.Q(queued_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return "invitation"
