"""Peer listings: a certified officer's card in the directory, and the lists it draws on.

Whether a listing is *shown* is decided in one place, `peers.selectors.listed_peers`: `listable`
(the peer's standing and the listing's completeness, kept by the database) and the predicates of
the clock defined here (confirmed recently, not paused).
"""

import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from peers import schedule
from wnwa.lib.phones import validate_e164

RECONFIRM_DAYS = 180
REMINDER_DAYS_BEFORE = 14
AVAILABLE_HOURS = range(1, 13)
BIO_MAX = 600


class ExperienceArea(models.Model):
    """A staff-maintained area of experience a peer can speak to (docs/product.md's list)."""

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


def fresh_q(*, now: datetime.datetime) -> Q:
    """Confirmed within RECONFIRM_DAYS: no ghost listings."""
    return Q(confirmed_at__gte=now - datetime.timedelta(days=RECONFIRM_DAYS))


def unpaused_q(*, today: datetime.date) -> Q:
    """A paused listing comes back on its `paused_until` date."""
    return Q(paused_until__isnull=True) | Q(paused_until__lte=today)


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
    # Kept right by the database itself, never by the code: triggers (peers/migrations/0006)
    # recompute both from the source rows whenever any of them changes, however it changes (a
    # service, the Django admin, QuerySet.update(), bulk_create, raw SQL). They let the directory
    # read one table instead of joining the officer table (800,000 rows nationally) on every search.
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The peer's department (peer.department, kept by the database).",
    )
    listable = models.BooleanField(
        default=False,
        editable=False,
        help_text=(
            "Kept by the database: the peer is active, of an active member department and"
            " certified, and the listing has a name, a number, a language and an area."
        ),
    )
    retired = models.BooleanField(
        default=False,
        editable=False,
        help_text="Kept by the database: the peer has retired from their department (the card "
        "says so).",
    )
    # Today's place in the directory: refreshed for every listing each day by `shuffle_directory`
    # (the same for everyone that day), and for a new listing when it is first saved.
    rotation = models.BigIntegerField(default=0, editable=False)
    # Kept by the database too: a new random value whenever anything the card shows changes.
    # The directory's cached cards are keyed by it (peers.cards).
    card_version = models.BigIntegerField(default=0, editable=False)
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
    # Family members see only the peers who say yes (docs/product.md, "Families"); a listing
    # made before families joined the network starts without it.
    talks_with_families = models.BooleanField(
        "I talk with family members",
        default=False,
        help_text="Officers' spouses, partners, adult children and parents may call you too.",
    )
    # The weekly hours, in the peer's own time zone: peers.schedule says how they are kept.
    time_zone = models.CharField(
        max_length=40, choices=schedule.ZONE_CHOICES, default=schedule.DEFAULT_ZONE
    )
    week = models.CharField(
        "weekly hours",
        max_length=schedule.WEEK_SLOTS,
        default=schedule.NO_HOURS,
        editable=False,
        validators=[RegexValidator(f"^[01]{{{schedule.WEEK_SLOTS}}}$")],
    )
    # The hours as the peer typed them before hours were days and times (peers/migrations/0007),
    # shown to them on their listing page until they next save it.
    hours_note = models.CharField(max_length=200, blank=True, editable=False)
    available_until = models.DateTimeField(null=True, blank=True)
    paused_until = models.DateField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The peer's own listing data: the one reminder before the lapse has gone out.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The directory walks this index in today's order and stops at a page (or the
            # count's cap); the time-dependent conditions are checked on the rows it meets.
            models.Index(
                fields=["rotation", "id"],
                condition=Q(listable=True),
                name="peers_listing_rotation_idx",
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
        """What the peer still has to fill in (the completeness part of `listable`, in words)."""
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

    def reach(self, now: datetime.datetime) -> "schedule.Reach":
        return schedule.reach_of(self, now)
