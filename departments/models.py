import datetime
import math

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

US_STATE = RegexValidator(r"^[A-Z]{2}$", "Use the two-letter state code, for example IL.")


class Department(models.Model):
    class Status(models.TextChoices):
        PROSPECTIVE = "prospective", "Prospective"
        ACTIVE = "active", "Active member"
        LAPSED = "lapsed", "Lapsed"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    state = models.CharField(max_length=2, validators=[US_STATE])
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

    # The department's designation of the network's peers (state confidentiality laws protect
    # peers the officer's own agency designates).
    designation_signed_on = models.DateField(null=True, blank=True)
    designation_signed_by = models.CharField(max_length=200, blank=True)

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

    def peer_quota(self) -> tuple[int, int]:
        return peer_quota(self.sworn_strength)

    def quota_deadline(self) -> datetime.date | None:
        if self.joined_on is None:
            return None
        months = settings.PEER_QUOTA_MONTHS
        year = self.joined_on.year + (self.joined_on.month - 1 + months) // 12
        month = (self.joined_on.month - 1 + months) % 12 + 1
        day = min(self.joined_on.day, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
        return datetime.date(year, month, day)

    def days_to_quota_deadline(self, today: datetime.date | None = None) -> int | None:
        deadline = self.quota_deadline()
        if deadline is None:
            return None
        return (deadline - (today or timezone.localdate())).days


def peer_quota(strength: int) -> tuple[int, int]:
    """Peers a department of `strength` sworn officers must have trained: (low, high).

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
    # Round away float noise before ceil: 50 * 0.07 must give 4, not 4 from 3.5000000000000004.
    return max(1, math.ceil(round(n * low_rate, 9))), max(1, math.ceil(round(n * high_rate, 9)))
