"""Reads of the peer directory. `listed_peers` is the one definition of "shown" every app uses."""

import bisect
import datetime
import hashlib
import itertools
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace

from django.conf import settings
from django.core.cache import cache
from django.db import connections
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
) -> "QuerySet[PeerListing] | IndexResults":
    """Listed peers matching `filters`: available now first, then today's rotation.

    With PEERS_DIRECTORY_MEMO_SECONDS set (as in production), the search runs on the directory
    index each process holds in memory (`DirectoryIndex`), and only the page's 20 cards are read
    from the database. Otherwise (and in most tests) it is one SQL query per page, plus the
    count; `tests/peers/test_directory_speed_paths.py` holds the two to the same answers.
    """
    today, now = _moment(today, now)
    if settings.PEERS_DIRECTORY_MEMO_SECONDS > 0:
        return DirectoryIndex.current(today=today).search(
            filters=filters, own_department_id=own_department_id, now=now
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


def directory_choices() -> tuple[list[ExperienceArea], list[Language]]:
    """The experience areas and languages the directory's filters offer."""
    if settings.PEERS_DIRECTORY_MEMO_SECONDS > 0:
        index = DirectoryIndex.as_is(today=timezone.localdate())
        return index.areas, index.languages
    return list(ExperienceArea.objects.all()), list(Language.objects.all())


def _bits(positions: Iterable[int], size: int) -> int:
    """A set of positions as an integer with those bits set: `&` intersects, `bit_count` counts."""
    flags = bytearray((size + 7) // 8)
    for position in positions:
        flags[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(flags, "little")


_CHUNK = 1024
_CHUNK_MASK = (1 << _CHUNK) - 1


def _positions(bits: int, *, skip: int, take: int) -> list[int]:
    """The positions of the set bits of `bits`, lowest first, after the first `skip` of them."""
    found: list[int] = []
    base = 0
    while bits and len(found) < take:
        chunk = bits & _CHUNK_MASK
        in_chunk = chunk.bit_count()
        if in_chunk <= skip:
            skip -= in_chunk
        else:
            while chunk and len(found) < take:
                lowest = chunk & -chunk
                if skip:
                    skip -= 1
                else:
                    found.append(base + lowest.bit_length() - 1)
                chunk ^= lowest
        bits >>= _CHUNK
        base += _CHUNK
    return found


# The shared mark of the directory's current state: changed (`peers.services.directory_changed`)
# by every service that changes who is listed or what a card shows, read by each request.
VERSION_KEY = "peers:directory-version"


def _yielding(rows: Iterable, every: int = 256) -> Iterator:
    """`rows`, letting other threads run every `every` rows (time.sleep(0) releases the GIL).

    A rebuild in the background is pure Python for a third of a second; without this, the
    request threads of its process wait for the interpreter after each of their database
    calls, and a request can take hundreds of milliseconds instead of a few (bench/directory.py).
    """
    for n, row in enumerate(rows):
        if n % every == 0:
            time.sleep(0)
        yield row


def page_listings(
    *, ids: Iterable[int], today: datetime.date, now: datetime.datetime
) -> QuerySet[PeerListing]:
    """The listings of a page of index results, with what their cards need, re-read through
    `listed_peers`: a peer who may no longer be shown is left out."""
    return _card_data(listed_peers(today=today, now=now).filter(pk__in=list(ids)), now=now)


class DirectoryIndex:
    """Today's listed peers, in rotation order, with what the filters ask about, in memory.

    Nationally the directory is some 40,000 listings: a few megabytes per process. Each filter
    value (an experience area, a language, a gender, a state) is a bit set over today's order,
    so a search is a handful of integer `&`s and a page is the first 20 set bits. The cards it
    has rendered are kept with it (`rendered`), so a page costs no query once they are.

    It is the same for every officer: nothing about who searches, or for what, is kept. It is
    rebuilt when the day changes (the rotation and the pauses), and when the shared version in
    the cache (VERSION_KEY) differs from the one it was built under: the peers services change
    it on commit whenever a listing, a peer's standing or a list changes, in any process. While
    one thread rebuilds, the others keep answering from the previous index, for the fraction of
    a second the build takes. As a backstop for writes that bypass the services (a hand-edited
    row), it is also rebuilt in the background every PEERS_DIRECTORY_MEMO_SECONDS. Lapses by
    the clock (the 180-day confirmation, "available now") are judged per request.
    """

    _current: "DirectoryIndex | None" = None
    _lock = threading.Lock()

    @staticmethod
    def rows(*, today: datetime.date, now: datetime.datetime) -> QuerySet:
        """The one query over listings an index is built from (bench/directory.py explains it)."""
        return (
            listed_peers(today=today, now=now)
            .annotate(rotation=rotation_key(today))
            .order_by("rotation", "pk")
            .values_list(
                "pk",
                "department_id",
                "reachability",
                "available_until",
                "confirmed_at",
                "gender",
                "shown_name",
                "department__name",
                "department__state",
                "department__county",
            )
        )

    def __init__(self, *, today: datetime.date, version=None):
        now = timezone.now()
        rows = self.rows(today=today, now=now)
        self.today, self.version, self.built = today, version, time.monotonic()
        self.ids: list[int] = []
        self.departments: dict[int | None, list[int]] = {}
        counties: dict[str, list[int]] = {}
        states: dict[str, list[int]] = {}
        genders: dict[str, list[int]] = {}
        always: list[int] = []
        timed: list[tuple[float, int]] = []  # (when "available now" ends, position)
        lapses: list[tuple[float, int]] = []  # (when the confirmation lapses, position)
        texts: list[str] = []
        reconfirm = datetime.timedelta(days=RECONFIRM_DAYS)
        for position, row in enumerate(_yielding(rows)):
            pk, department_id, reachability, until, confirmed_at, gender, name, *place = row
            department, state, county = place
            self.ids.append(pk)
            self.departments.setdefault(department_id, []).append(position)
            counties.setdefault((county or "").upper(), []).append(position)
            states.setdefault(state or "", []).append(position)
            genders.setdefault(gender, []).append(position)
            if reachability == PeerListing.Reachability.ALWAYS:
                always.append(position)
            elif until is not None and until > now:
                timed.append((until.timestamp(), position))
            lapses.append(((confirmed_at + reconfirm).timestamp(), position))
            # What the name box searches: the shown name or the department's name.
            texts.append(f"{name}\x00{department or ''}".upper())
        self.size = len(self.ids)
        position_of = {pk: position for position, pk in enumerate(self.ids)}
        self.everyone = (1 << self.size) - 1
        self.counties = counties  # small lists: bit sets are made per request
        self.states = {
            state: _bits(found, self.size) for state, found in _yielding(states.items(), 1)
        }
        self.genders = {gender: _bits(found, self.size) for gender, found in genders.items()}
        self.always = _bits(always, self.size)
        timed.sort()
        self.switched_on = _bits((position for _, position in timed), self.size)
        self.timed_until = [until for until, _ in timed]
        self.timed_positions = [position for _, position in timed]
        lapses.sort()
        self.lapse_times = [lapse for lapse, _ in lapses]
        self.lapse_positions = [position for _, position in lapses]
        self.areas_bits = self._through(PeerListing.areas.through, "experiencearea_id", position_of)
        self.languages_bits = self._through(
            PeerListing.languages.through, "language_id", position_of
        )
        # One string of every searchable text, each ended by a NUL (a search never holds one).
        self.text = "\x00".join(texts) + "\x00"
        self.starts = list(itertools.accumulate((len(text) + 1 for text in texts), initial=0))
        self.areas = list(ExperienceArea.objects.all())
        self.languages = list(Language.objects.all())
        # HTML the view renders from this index, the same for every officer: the cards and the
        # blank filters (peers.views). Dropped with the index.
        self.rendered: dict[tuple, str] = {}

    def _through(self, through, column: str, position_of: dict[int, int]) -> dict[int, int]:
        found: dict[int, list[int]] = {}
        rows = through.objects.values_list("peerlisting_id", column)
        for listing_id, value in _yielding(rows.iterator(chunk_size=20_000)):
            position = position_of.get(listing_id)
            if position is not None:
                found.setdefault(value, []).append(position)
        return {
            value: _bits(positions, self.size) for value, positions in _yielding(found.items(), 1)
        }

    @classmethod
    def current(cls, *, today: datetime.date) -> "DirectoryIndex":
        index = cls._current
        # While the cache cannot be read (wnwa.lib.cache answers with the default), or has lost
        # the key, the index keeps its own version and the backstop rebuild still runs.
        version = cache.get(VERSION_KEY, index.version if index is not None else None)
        if index is not None and index.today == today and index.version == version:
            old = time.monotonic() - index.built >= settings.PEERS_DIRECTORY_MEMO_SECONDS
            if old and cls._lock.acquire(blocking=False):  # the backstop, off the request
                args = (index, today, version)
                threading.Thread(target=cls._rebuild_apart, args=args, daemon=True).start()
            return index
        usable = index is not None and index.today == today
        if not cls._lock.acquire(blocking=not usable):
            return index  # another thread is rebuilding: the previous index meanwhile
        try:
            if cls._current is index or cls._current is None:
                cls._current = cls(today=today, version=version)
            return cls._current
        finally:
            cls._lock.release()

    @classmethod
    def as_is(cls, *, today: datetime.date) -> "DirectoryIndex":
        """Today's index without checking the shared version: for the filter choices, which the
        search that follows checks (a read of the cache spared), and which a list a few moments
        old offers just as well."""
        index = cls._current
        return index if index is not None and index.today == today else cls.current(today=today)

    @classmethod
    def _rebuild(cls, index: "DirectoryIndex", today: datetime.date, version) -> None:
        """Replace `index` unless something else has; the caller holds the lock."""
        try:
            if cls._current is index:
                cls._current = cls(today=today, version=version)
        finally:
            cls._lock.release()

    @classmethod
    def _rebuild_apart(cls, index: "DirectoryIndex", today: datetime.date, version) -> None:
        try:
            cls._rebuild(index, today, version)
        finally:
            connections.close_all()  # this thread's own connections

    @classmethod
    def forget(cls) -> None:
        cls._current = None

    def _ended(self, times: list[float], positions: list[int], moment: float, *, at=False) -> int:
        """The positions whose time ended before `moment` (or `at` it): since the build, a few."""
        end = (bisect.bisect_right if at else bisect.bisect_left)(times, moment)
        return _bits(positions[:end], self.size)

    def _text_matches(self, needle: str, candidates: int) -> int:
        text, starts = self.text, self.starts
        count = candidates.bit_count()
        if count <= 2_000:  # few candidates: look at each
            found = [
                position
                for position in _positions(candidates, skip=0, take=count)
                if needle in text[starts[position] : starts[position + 1]]
            ]
            return _bits(found, self.size)
        found, at = [], text.find(needle)
        while at != -1:
            position = bisect.bisect_right(starts, at) - 1
            found.append(position)
            at = text.find(needle, starts[position + 1])
        return _bits(found, self.size)

    def search(
        self, *, filters: DirectoryFilters, own_department_id: int | None, now: datetime.datetime
    ) -> "IndexResults":
        moment = now.timestamp()
        # Confirmations that lapsed since the build leave without one.
        found = self.everyone & ~self._ended(self.lapse_times, self.lapse_positions, moment)
        if own_department_id is not None and not filters.include_own:
            found &= ~_bits(self.departments.get(own_department_id, ()), self.size)
        if filters.area:
            found &= self.areas_bits.get(filters.area.pk, 0)
        if filters.language:
            found &= self.languages_bits.get(filters.language.pk, 0)
        if filters.gender:
            found &= self.genders.get(filters.gender, 0)
        if filters.state:
            found &= self.states.get(filters.state, 0)
        if filters.county:
            found &= _bits(self.counties.get(filters.county.upper(), ()), self.size)
        switched_off = self._ended(self.timed_until, self.timed_positions, moment, at=True)
        available = self.always | (self.switched_on & ~switched_off)
        if filters.available:
            found &= available
        if filters.q and found:
            found &= self._text_matches(filters.q.upper(), found)
        return IndexResults(index=self, first=found & available, rest=found & ~available, now=now)


@dataclass(frozen=True)
class KeptCard:
    """A result whose card the index has already rendered."""

    pk: int
    available_now: bool


class IndexResults:
    """A search of the `DirectoryIndex`: what Paginator needs (a count and pages of results).

    A page holds a `KeptCard` for each result whose card the index has rendered, and the
    listing, read through `listed_peers` with what its card needs, for each other one."""

    def __init__(self, *, index: DirectoryIndex, first: int, rest: int, now: datetime.datetime):
        self.index, self.first, self.rest, self.now = index, first, rest, now
        self.rendered = index.rendered

    def count(self) -> int:
        return self.first.bit_count() + self.rest.bit_count()

    __len__ = count

    def __getitem__(self, key: slice) -> list["KeptCard | PeerListing"]:
        if not isinstance(key, slice):
            raise TypeError("Directory results are read a page (a slice) at a time.")
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        available = self.first.bit_count()
        results = [
            (position, True) for position in _positions(self.first, skip=start, take=stop - start)
        ]
        if len(results) < stop - start:
            skip, take = max(0, start - available), stop - start - len(results)
            results += [
                (position, False) for position in _positions(self.rest, skip=skip, take=take)
            ]
        page = [
            KeptCard(pk=self.index.ids[position], available_now=now) for position, now in results
        ]
        missing = {card.pk for card in page if (card.pk, card.available_now) not in self.rendered}
        if not missing:
            return page
        listings = page_listings(ids=missing, today=self.index.today, now=self.now)
        read = {listing.pk: listing for listing in listings}
        results = [read.get(card.pk) if card.pk in missing else card for card in page]
        return [result for result in results if result is not None]  # None: no longer listed

    def __iter__(self) -> Iterator["KeptCard | PeerListing"]:
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
