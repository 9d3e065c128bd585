"""Peer listings: a certified officer's card in the directory, and the lists it draws on.

Whether a listing is *shown* is decided in one place, `peers.selectors.listed_peers`, from the
predicates defined here (complete, fresh, not paused) and the peer's own standing.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q

from wnwa.lib.phones import validate_e164

RECONFIRM_DAYS = 180
REMINDER_DAYS_BEFORE = 14
AVAILABLE_HOURS = range(1, 13)
BIO_MAX = 600


class ExperienceArea(models.Model):
    """A staff-maintained area of experience a peer can speak to (PRODUCT.md's list)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A language a peer can talk in; staff-maintained so that filters match exactly."""

    name = models.CharField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=100, help_text="Lower comes first.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class PeerListingQuerySet(models.QuerySet):
    def complete(self):
        return self.filter(complete_q())

    def fresh(self, *, now: datetime.datetime):
        return self.filter(fresh_q(now=now))

    def unpaused(self, *, today: datetime.date):
        return self.filter(unpaused_q(today=today))


def complete_q() -> Q:
    """A listing a caller can use: a name to ask for, a number, a language and an experience."""
    through_areas = PeerListing.areas.through.objects.filter(peerlisting=OuterRef("pk"))
    through_languages = PeerListing.languages.through.objects.filter(peerlisting=OuterRef("pk"))
    return (
        ~Q(shown_name="")
        & ~Q(call_number="")
        & Q(Exists(through_areas))
        & Q(Exists(through_languages))
    )


def fresh_q(*, now: datetime.datetime) -> Q:
    """Confirmed within RECONFIRM_DAYS: no ghost listings."""
    return Q(confirmed_at__gte=now - datetime.timedelta(days=RECONFIRM_DAYS))


def unpaused_q(*, today: datetime.date) -> Q:
    """A paused listing comes back on its `paused_until` date."""
    return Q(paused_until__isnull=True) | Q(paused_until__lte=today)


def available_now_q(*, now: datetime.datetime) -> Q:
    """Reachable at this moment: 24/7, or the "available now" switch is on."""
    return Q(reachability=PeerListing.Reachability.ALWAYS) | Q(available_until__gt=now)


class PeerListing(models.Model):
    """A certified officer's card in the peer directory."""

    class Reachability(models.TextChoices):
        ALWAYS = "always", "Day and night (24/7)"
        HOURS = "hours", "During my weekly hours"
        ON_DEMAND = "on_demand", "Only when I switch on \u201cavailable now\u201d"

    class Gender(models.TextChoices):
        WOMAN = "woman", "Woman"
        MAN = "man", "Man"
        NONBINARY = "nonbinary", "Non-binary"

    peer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_listing"
    )
    # Copies of the peer's standing, so that the directory never joins the officer table (800k
    # rows nationally). Kept in step by peers.services.listings_sync, which every service that
    # moves or (de)activates an officer calls, and nightly by `remind_listings` as a safety net.
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The peer's department (a copy of peer.department).",
    )
    peer_active = models.BooleanField(
        default=True, editable=False, help_text="A copy of peer.is_active."
    )
    shown_name = models.CharField(
        "name shown", max_length=120, help_text="As you want callers to see it, e.g. Pat R."
    )
    rank = models.CharField(max_length=80, blank=True)
    years_of_service = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    languages = models.ManyToManyField(Language, blank=True, related_name="listings")
    areas = models.ManyToManyField(
        ExperienceArea, blank=True, related_name="listings", verbose_name="areas of experience"
    )
    bio = models.TextField(max_length=BIO_MAX, blank=True, validators=[MaxLengthValidator(BIO_MAX)])
    call_number = models.CharField(
        max_length=20, blank=True, validators=[validate_e164], help_text="E.164."
    )
    text_number = models.CharField(
        max_length=20, blank=True, validators=[validate_e164], help_text="E.164."
    )
    reachability = models.CharField(
        max_length=10, choices=Reachability.choices, default=Reachability.ALWAYS
    )
    weekly_hours = models.CharField(max_length=200, blank=True)
    available_until = models.DateTimeField(null=True, blank=True)
    paused_until = models.DateField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The peer's own listing data: the one reminder before the lapse has gone out.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = PeerListingQuerySet.as_manager()

    class Meta:
        indexes = [
            # Portable partial index over the listings that can be shown: the time-dependent
            # conditions (confirmation, pause) are range filters on these columns.
            models.Index(
                fields=["confirmed_at", "paused_until"],
                condition=~Q(shown_name="") & ~Q(call_number="") & Q(peer_active=True),
                name="peers_listing_showable_idx",
            ),
            models.Index(
                fields=["available_until"],
                condition=Q(available_until__isnull=False),
                name="peers_listing_available_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.shown_name or f"Listing {self.pk}"

    def missing(self) -> list[str]:
        """What the peer still has to fill in (the Python side of `complete_q`)."""
        missing = []
        if not self.shown_name:
            missing.append("the name to show")
        if not self.call_number:
            missing.append("a number for calls")
        if self.pk is None or not self.languages.exists():
            missing.append("at least one language")
        if self.pk is None or not self.areas.exists():
            missing.append("at least one area of experience")
        return missing

    def lapses_on(self) -> datetime.datetime | None:
        if self.confirmed_at is None:
            return None
        return self.confirmed_at + datetime.timedelta(days=RECONFIRM_DAYS)

    def is_available(self, now: datetime.datetime) -> bool:
        return self.reachability == self.Reachability.ALWAYS or bool(
            self.available_until and self.available_until > now
        )
