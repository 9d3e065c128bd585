"""Reads of the peer directory. `listed_peers` is the one definition of "shown" every app uses."""

import bisect
import datetime
import hashlib
import itertools
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
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
    """The person may be listed: active, of an active member department, certified.

    Over officers (`prefix=""`, a department's own page). Listings use `listable_peer_q`, the
    same rule over the listing's copies of the peer's standing.
    """
    certified = Certification.objects.valid().filter(person=OuterRef(f"{prefix}pk"))
    return Q(
        **{
            f"{prefix}is_active": True,
            f"{prefix}department__membership_status": Department.Status.ACTIVE,
        }
    ) & Q(Exists(certified))


def listable_peer_q() -> Q:
    """`eligible_peer_q` for a listing, without touching the officer table: the peer's activity
    and department are copied onto the listing (`peers.services.listings_sync`), and the
    certification is looked up by `peer_id`."""
    certified = Certification.objects.valid().filter(person=OuterRef("peer_id"))
    return Q(peer_active=True, department__membership_status=Department.Status.ACTIVE) & Q(
        Exists(certified)
    )


def listed_peers(
    *, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> QuerySet[PeerListing]:
    """Listings shown to officers: an active, certified officer of an active member department,
    with a complete listing that is neither paused nor unconfirmed for RECONFIRM_DAYS."""
    today, now = _moment(today, now)
    return PeerListing.objects.filter(
        listable_peer_q(), complete_q(), fresh_q(now=now), unpaused_q(today=today)
    )


def listed_peer_count(*, department: Department) -> int:
    return listed_peers().filter(department=department).count()


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


ROTATION_MODULUS = 2_147_483_647  # a prime (2**31 - 1) above any listing id


def rotation_key(today: datetime.date) -> ExpressionWrapper:
    """An order that is the same for everyone today and different tomorrow, storing nothing.

    `(id * a + b) mod p` with `a` and `b` drawn from the date: distinct ids get distinct keys
    (p is prime), and a new `a` each day reshuffles the list rather than merely rotating it.
    Integer arithmetic, cheap on every row and the same on PostgreSQL and SQLite (64-bit
    products: ids stay far below 2**32).
    """
    seed = hashlib.sha256(f"wnwa-directory:{today.isoformat()}".encode()).digest()
    a = int.from_bytes(seed[:8], "big") % (ROTATION_MODULUS - 1) + 1
    b = int.from_bytes(seed[8:16], "big") % ROTATION_MODULUS
    key = (F("pk") * Value(a) + Value(b)) % Value(ROTATION_MODULUS)
    return ExpressionWrapper(key, output_field=BigIntegerField())


def _card_data(listings: QuerySet[PeerListing], *, now: datetime.datetime):
    """What a card shows, in a fixed number of queries (one, plus one per list)."""
    return (
        listings.annotate(available_now=flag(available_now_q(now=now)))
        .select_related("department")
        .prefetch_related(
            Prefetch("areas", queryset=ExperienceArea.objects.order_by("position", "name")),
            Prefetch("languages", queryset=Language.objects.order_by("position", "name")),
        )
    )


def directory_search(
    *,
    filters: DirectoryFilters,
    own_department_id: int | None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> "QuerySet[PeerListing] | DayOrderResults":
    """Listed peers matching `filters`: available now first, then today's rotation.

    Without narrowing filters (the directory as it opens, or "available now" alone) the answer
    comes from today's order held in memory (`DayOrder`): counting and ordering every listed
    peer in SQL costs ~100 ms nationally. Otherwise one SQL query per page, plus the count.
    """
    today, now = _moment(today, now)
    if set(filters.active()) <= {"available"} and settings.PEERS_DIRECTORY_MEMO_SECONDS > 0:
        return DayOrderResults(
            order=DayOrder.current(today=today),
            own_department_id=None if filters.include_own else own_department_id,
            available_only=filters.available,
            today=today,
            now=now,
        )
    listings = listed_peers(today=today, now=now)
    if own_department_id is not None and not filters.include_own:
        listings = listings.exclude(department_id=own_department_id)
    if filters.q:
        listings = listings.filter(
            Q(shown_name__icontains=filters.q) | Q(department__name__icontains=filters.q)
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
        listings = listings.filter(department__state=filters.state)
    if filters.county:
        listings = listings.filter(department__county__iexact=filters.county)
    if filters.available:
        listings = listings.filter(available_now_q(now=now))
    return (
        _card_data(listings, now=now)
        .annotate(rotation=rotation_key(today))
        .order_by("-available_now", "rotation", "pk")
    )


class DayOrder:
    """Today's listed peers in rotation order, held in each process for a few seconds.

    The same for every officer (nothing about who asks is kept), rebuilt by one thread at a time
    when older than PEERS_DIRECTORY_MEMO_SECONDS or when the day changes, and dropped at once
    by the peers services in this process (`DayOrder.forget`). What it may miss for those few
    seconds is harmless: each page re-reads its 20 listings through `listed_peers`, so a peer
    who paused, lapsed or was deactivated meanwhile is never shown, and a new listing appears
    on the next rebuild. Availability is judged per request from the stored times.
    """

    _current: "DayOrder | None" = None
    _lock = threading.Lock()

    def __init__(self, *, today: datetime.date):
        now = timezone.now()
        rows = (
            listed_peers(today=today, now=now)
            .annotate(rotation=rotation_key(today))
            .order_by("rotation", "pk")
            .values_list("pk", "department_id", "reachability", "available_until")
        )
        self.today, self.built = today, time.monotonic()
        self.ids: list[int] = []
        self.departments: list[int | None] = []
        self.until: list[float] = []  # when "available now" ends; inf for 24/7, 0 for neither
        self.positions: dict[int | None, list[int]] = {}
        for position, (pk, department_id, reachability, available_until) in enumerate(rows):
            self.ids.append(pk)
            self.departments.append(department_id)
            if reachability == PeerListing.Reachability.ALWAYS:
                self.until.append(float("inf"))
            else:
                self.until.append(available_until.timestamp() if available_until else 0.0)
            self.positions.setdefault(department_id, []).append(position)
        self.sorted_until = sorted(self.until)

    @classmethod
    def current(cls, *, today: datetime.date) -> "DayOrder":
        memo = cls._current
        fresh = memo is not None and memo.today == today
        if fresh and time.monotonic() - memo.built < settings.PEERS_DIRECTORY_MEMO_SECONDS:
            return memo
        # One thread rebuilds; the others keep serving today's slightly older order meanwhile.
        if not cls._lock.acquire(blocking=not fresh):
            return memo
        try:
            if cls._current is memo:
                cls._current = cls(today=today)
            return cls._current
        finally:
            cls._lock.release()

    @classmethod
    def forget(cls) -> None:
        cls._current = None

    def available_count(self, *, now: float) -> int:
        return len(self.sorted_until) - bisect.bisect_right(self.sorted_until, now)


class DayOrderResults:
    """A `DayOrder` seen by one officer: what Paginator needs (count and slices of cards)."""

    def __init__(self, *, order, own_department_id, available_only, today, now):
        self.order, self.own, self.available_only = order, own_department_id, available_only
        self.today, self.now, self.stamp = today, now, now.timestamp()

    def count(self) -> int:
        own = self.order.positions.get(self.own, []) if self.own is not None else []
        if self.available_only:
            own_available = sum(1 for p in own if self.order.until[p] > self.stamp)
            return self.order.available_count(now=self.stamp) - own_available
        return len(self.order.ids) - len(own)

    __len__ = count

    def _positions(self) -> Iterator[int]:
        """Available now first, then the rest, each in today's rotation; own department out."""
        departments, until, stamp = self.order.departments, self.order.until, self.stamp
        own = self.own if self.own is not None else object()  # equal to no department
        everyone = range(len(departments))
        yield from (p for p in everyone if until[p] > stamp and departments[p] != own)
        if not self.available_only:
            yield from (p for p in everyone if until[p] <= stamp and departments[p] != own)

    def __getitem__(self, key: slice) -> list[PeerListing]:
        if not isinstance(key, slice):
            raise TypeError("Directory results are read a page (a slice) at a time.")
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        ids = [self.order.ids[p] for p in itertools.islice(self._positions(), start, stop)]
        listings = _card_data(
            listed_peers(today=self.today, now=self.now).filter(pk__in=ids), now=self.now
        )
        by_id = {listing.pk: listing for listing in listings}
        return [by_id[pk] for pk in ids if pk in by_id]

    def __iter__(self) -> Iterator[PeerListing]:
        return iter(self[:])


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
        .select_related("department")
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


def _state_of(listing: PeerListing | None) -> str:
    if listing is None:
        return "missing"
    if not listing.is_complete:
        return "incomplete"
    if not listing.is_fresh:
        return "stale"
    if not listing.is_unpaused:
        return "paused"
    return "listed"


def _with_state_flags(listings: QuerySet[PeerListing]) -> QuerySet[PeerListing]:
    today, now = _moment(None, None)
    flags = {
        "is_complete": complete_q(),
        "is_fresh": fresh_q(now=now),
        "is_unpaused": unpaused_q(today=today),
    }
    return listings.annotate(**{name: flag(condition) for name, condition in flags.items()})


def own_listing_state(*, peer: User) -> PeerState:
    """A certified officer's own listing and its state, in one query (for the account page)."""
    listing = _with_state_flags(PeerListing.objects.filter(peer=peer)).first()
    return PeerState(officer=peer, listing=listing, state=_state_of(listing))


def department_peer_states(*, department: Department) -> list[PeerState]:
    """The department's certified, active officers and their listing state (never any usage)."""
    officers = (
        User.objects.filter(eligible_peer_q(prefix=""), department=department)
        .order_by("last_name", "first_name", "pk")
        .only("pk", "first_name", "last_name", "email", "rank", "department_id")
    )
    listings = {
        listing.peer_id: listing
        for listing in _with_state_flags(PeerListing.objects.filter(peer__in=officers))
    }
    states = []
    for officer in officers:
        listing = listings.get(officer.pk)
        states.append(PeerState(officer=officer, listing=listing, state=_state_of(listing)))
    return states


def listings_due_reminder(*, now: datetime.datetime | None = None) -> QuerySet[PeerListing]:
    """Listings of eligible peers that lapse within REMINDER_DAYS_BEFORE days and have not been
    reminded since they were last confirmed."""
    now = now or timezone.now()
    window_start = now - datetime.timedelta(days=RECONFIRM_DAYS)
    window_end = window_start + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    return (
        PeerListing.objects.filter(listable_peer_q(), complete_q())
        .filter(confirmed_at__gte=window_start, confirmed_at__lt=window_end)
        .filter(reminder_sent_at__isnull=True)
        .select_related("peer")
    )
