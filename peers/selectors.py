"""Reads of the peer directory. `listed_peers` is the one definition of "shown" every app uses."""

import datetime
from dataclasses import dataclass, fields, replace

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import MD5, Cast, Concat
from django.utils import timezone

from departments.models import Department
from peers.models import (
    RECONFIRM_DAYS,
    REMINDER_DAYS_BEFORE,
    ExperienceArea,
    Language,
    PeerListing,
    available_now_q,
    complete_q,
    fresh_q,
    unpaused_q,
)
from trainings.models import Certification
from wnwa.accounts.models import User

__all__ = ["RECONFIRM_DAYS", "listed_peers", "listed_peer_count"]


def flag(condition: Q) -> Case:
    """A condition as a true/false column, never NULL (NULL OR FALSE is NULL in SQL, and
    PostgreSQL sorts NULL first in a descending order)."""
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _moment(
    today: datetime.date | None, now: datetime.datetime | None
) -> tuple[datetime.date, datetime.datetime]:
    now = now or timezone.now()
    return today or timezone.localdate(now), now


def eligible_peer_q(prefix: str = "peer__") -> Q:
    """The person may be listed: active, of an active member department, certified."""
    certified = Certification.objects.valid().filter(person=OuterRef(f"{prefix}pk"))
    return Q(
        **{
            f"{prefix}is_active": True,
            f"{prefix}department__membership_status": Department.Status.ACTIVE,
        }
    ) & Q(Exists(certified))


def listed_peers(
    *, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> QuerySet[PeerListing]:
    """Listings shown to officers: an active, certified officer of an active member department,
    with a complete listing that is neither paused nor unconfirmed for RECONFIRM_DAYS."""
    today, now = _moment(today, now)
    return PeerListing.objects.filter(
        eligible_peer_q(), complete_q(), fresh_q(now=now), unpaused_q(today=today)
    )


def listed_peer_count(*, department: Department) -> int:
    return listed_peers().filter(peer__department=department).count()


# --- The directory --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFilters:
    """What an officer asked for. Empty values mean "any"."""

    q: str = ""
    area: ExperienceArea | None = None
    language: Language | None = None
    gender: str = ""
    state: str = ""
    county: str = ""
    available: bool = False
    include_own: bool = False

    def active(self) -> list[str]:
        """Names of the narrowing filters in use (the own-department rule is not one)."""
        names = ["q", "area", "language", "gender", "state", "county", "available"]
        return [name for name in names if getattr(self, name)]

    def without(self, name: str) -> "DirectoryFilters":
        default = next(f.default for f in fields(self) if f.name == name)
        return replace(self, **{name: default})


def rotation_key(today: datetime.date):
    """An order that is the same for everyone today and different tomorrow, storing nothing.

    md5 of the listing id and the date, in SQL: PostgreSQL has md5(); Django registers MD5 on
    SQLite.
    """
    return MD5(Concat(Cast("pk", CharField()), Value(f":{today.isoformat()}")))


def directory_search(
    *,
    filters: DirectoryFilters,
    own_department_id: int | None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[PeerListing]:
    """Listed peers matching `filters`: available now first, then today's rotation."""
    today, now = _moment(today, now)
    listings = listed_peers(today=today, now=now)
    if own_department_id is not None and not filters.include_own:
        listings = listings.exclude(peer__department_id=own_department_id)
    if filters.q:
        listings = listings.filter(
            Q(shown_name__icontains=filters.q) | Q(peer__department__name__icontains=filters.q)
        )
    if filters.area:
        through = PeerListing.areas.through.objects.filter(
            peerlisting=OuterRef("pk"), experiencearea=filters.area
        )
        listings = listings.filter(Exists(through))
    if filters.language:
        through = PeerListing.languages.through.objects.filter(
            peerlisting=OuterRef("pk"), language=filters.language
        )
        listings = listings.filter(Exists(through))
    if filters.gender:
        listings = listings.filter(gender=filters.gender)
    if filters.state:
        listings = listings.filter(peer__department__state=filters.state)
    if filters.county:
        listings = listings.filter(peer__department__county__iexact=filters.county)
    if filters.available:
        listings = listings.filter(available_now_q(now=now))
    return (
        listings.annotate(
            available_now=flag(available_now_q(now=now)),
            rotation=rotation_key(today),
        )
        .select_related("peer__department")
        .prefetch_related(
            Prefetch("areas", queryset=ExperienceArea.objects.order_by("position", "name")),
            Prefetch("languages", queryset=Language.objects.order_by("position", "name")),
        )
        .order_by("-available_now", "rotation", "pk")
    )


def loosening_hints(
    *, filters: DirectoryFilters, own_department_id: int | None, limit: int = 8
) -> list[tuple[str, int]]:
    """For an empty result: each filter whose removal would find someone, with the count."""
    hints = []
    for name in filters.active():
        count = directory_search(
            filters=filters.without(name), own_department_id=own_department_id
        ).count()
        if count:
            hints.append((name, count))
    if own_department_id is not None and not filters.include_own:
        own = replace(filters, include_own=True)
        count = directory_search(filters=own, own_department_id=own_department_id).count()
        if count:
            hints.append(("include_own", count))
    return hints[:limit]


# --- A peer's own listing, a department's peers, reminders ---------------------------------------


def listing_of(*, peer: User) -> PeerListing | None:
    return (
        PeerListing.objects.filter(peer=peer)
        .select_related("peer__department")
        .prefetch_related("areas", "languages")
        .first()
    )


def listing_is_live(*, listing: PeerListing) -> bool:
    return listed_peers().filter(pk=listing.pk).exists()


@dataclass
class PeerState:
    officer: User
    listing: PeerListing | None
    state: str  # a key of STATE_LABELS

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


STATE_LABELS = {
    "listed": "Listed",
    "paused": "Paused",
    "stale": "Needs confirming",
    "incomplete": "Incomplete",
    "missing": "No listing",
}


def department_peer_states(*, department: Department) -> list[PeerState]:
    """The department's certified, active officers and their listing state (never any usage)."""
    today, now = _moment(None, None)
    officers = (
        User.objects.filter(eligible_peer_q(prefix=""), department=department)
        .order_by("last_name", "first_name", "pk")
        .only("pk", "first_name", "last_name", "email", "rank", "department_id")
    )
    flags = {
        "is_complete": complete_q(),
        "is_fresh": fresh_q(now=now),
        "is_unpaused": unpaused_q(today=today),
    }
    listings = {
        listing.peer_id: listing
        for listing in PeerListing.objects.filter(peer__in=officers).annotate(
            **{name: flag(condition) for name, condition in flags.items()}
        )
    }
    states = []
    for officer in officers:
        listing = listings.get(officer.pk)
        if listing is None:
            state = "missing"
        elif not listing.is_complete:
            state = "incomplete"
        elif not listing.is_fresh:
            state = "stale"
        elif not listing.is_unpaused:
            state = "paused"
        else:
            state = "listed"
        states.append(PeerState(officer=officer, listing=listing, state=state))
    return states


def listings_due_reminder(*, now: datetime.datetime | None = None) -> QuerySet[PeerListing]:
    """Listings of eligible peers that lapse within REMINDER_DAYS_BEFORE days and have not been
    reminded since they were last confirmed."""
    now = now or timezone.now()
    window_start = now - datetime.timedelta(days=RECONFIRM_DAYS)
    window_end = window_start + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    return (
        PeerListing.objects.filter(eligible_peer_q(), complete_q())
        .filter(confirmed_at__gte=window_start, confirmed_at__lt=window_end)
        .filter(reminder_sent_at__isnull=True)
        .select_related("peer")
    )
