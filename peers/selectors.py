"""Reads of peer listings. `listed_peers` is the one definition of "shown" every app uses; the
directory's search is in peers.directory."""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from departments.models import Department
from peers.models import (
    RECONFIRM_DAYS,
    REMINDER_DAYS_BEFORE,
    PeerListing,
    fresh_q,
    unpaused_q,
)
from trainings.models import Certification
from wnwa.accounts.models import User

__all__ = ["RECONFIRM_DAYS", "listed_peers", "listed_peer_count", "listed_peer_ids"]


def flag(condition: Q) -> Case:
    """A condition as a true/false column, never NULL (NULL OR FALSE is NULL in SQL, and
    PostgreSQL sorts NULL first in a descending order)."""
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def moment(
    today: datetime.date | None = None, now: datetime.datetime | None = None
) -> tuple[datetime.date, datetime.datetime]:
    now = now or timezone.now()
    return today or timezone.localdate(now), now


def listed_peers(
    *, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> QuerySet[PeerListing]:
    """Listings shown to officers: an active, certified officer of an active member department,
    with a complete listing (`listable`, which the database keeps from those rows) that is
    neither paused nor unconfirmed for RECONFIRM_DAYS."""
    today, now = moment(today, now)
    return PeerListing.objects.filter(Q(listable=True), fresh_q(now=now), unpaused_q(today=today))


def listed_peer_count(*, department: Department, retired: bool = False) -> int:
    """The department's listed peers, serving ones (the quota's) or retired ones (shown beside
    it, never counted toward it): its compliance page asks, through WNWA_LISTED_PEERS."""
    return listed_peers().filter(department=department, retired=retired).count()


def listed_peer_ids(*, department: Department) -> set[int]:
    """The ids of the department's listed peers (a roster apply that would deactivate one asks
    for a confirmation first, through WNWA_LISTED_PEER_IDS)."""
    return set(listed_peers().filter(department=department).values_list("peer_id", flat=True))


def listing_of(*, peer: User) -> PeerListing | None:
    return (
        PeerListing.objects.filter(peer=peer)
        .select_related("department")
        .prefetch_related("areas", "languages")
        .first()
    )


def listing_is_live(*, listing: PeerListing) -> bool:
    return listed_peers().filter(pk=listing.pk).exists()


# --- A peer's own listing, a department's peers, reminders ---------------------------------------


@dataclass
class PeerState:
    officer: User
    listing: PeerListing | None
    state: str  # a key of STATE_LABELS
    available_until: datetime.datetime | None = None  # "available now" is on until then

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
    # Asked only about certified, active officers of a member department: for them a listing
    # that is not `listable` is one that is incomplete.
    if listing is None:
        return "missing"
    if not listing.listable:
        return "incomplete"
    if not listing.is_fresh:
        return "stale"
    if not listing.is_unpaused:
        return "paused"
    return "listed"


def _with_state_flags(listings: QuerySet[PeerListing]) -> QuerySet[PeerListing]:
    today, now = moment()
    flags = {"is_fresh": fresh_q(now=now), "is_unpaused": unpaused_q(today=today)}
    return listings.annotate(**{name: flag(condition) for name, condition in flags.items()})


def own_listing_state(*, peer: User) -> PeerState:
    """A certified officer's own listing and its state, in one query (for the account page)."""
    listing = _with_state_flags(PeerListing.objects.filter(peer=peer)).first()
    return PeerState(officer=peer, listing=listing, state=_state_of(listing))


def eligible_officers_q() -> Q:
    """Officers who may be listed: active, of an active member department, certified."""
    certified = Certification.objects.valid().filter(person=OuterRef("pk"))
    return Q(is_active=True, department__membership_status=Department.Status.ACTIVE) & Q(
        Exists(certified)
    )


def department_peer_states(*, department: Department) -> list[PeerState]:
    """The department's certified, active officers and their listing state (never any usage)."""
    officers = (
        User.objects.filter(eligible_officers_q(), department=department)
        .order_by("last_name", "first_name", "pk")
        .only("pk", "first_name", "last_name", "email", "rank", "department_id", "retired_on")
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
    """Listable listings that lapse within REMINDER_DAYS_BEFORE days and have not been reminded
    since they were last confirmed."""
    now = now or timezone.now()
    window_start = now - datetime.timedelta(days=RECONFIRM_DAYS)
    window_end = window_start + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    return (
        PeerListing.objects.filter(listable=True)
        .filter(confirmed_at__gte=window_start, confirmed_at__lt=window_end)
        .filter(reminder_sent_at__isnull=True)
        .select_related("peer")
    )
