"""Changes a peer makes to their own listing on purpose, and the reconfirmation reminder."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from peers.directory import rotation_key
from peers.models import AVAILABLE_HOURS, ExperienceArea, Language, PeerListing
from peers.selectors import listings_due_reminder
from wnwa.accounts.models import User
from wnwa.lib.mail import email_send

LISTING_FIELDS = [
    "shown_name",
    "rank",
    "years_of_service",
    "gender",
    "bio",
    "call_number",
    "text_number",
    "reachability",
    "time_zone",
    "week",
]


@transaction.atomic
def listing_save(
    *,
    peer: User,
    fields: dict[str, Any],
    languages: Iterable[Language],
    areas: Iterable[ExperienceArea],
) -> PeerListing:
    """Create or update `peer`'s listing. Saving it is also confirming it is still right."""
    listing = PeerListing.objects.filter(peer=peer).first() or PeerListing(peer=peer)
    created = listing.pk is None
    for name in LISTING_FIELDS:
        if name in fields:
            setattr(listing, name, fields[name] if fields[name] is not None else _blank(name))
    listing.confirmed_at = timezone.now()
    listing.reminder_sent_at = None
    listing.hours_note = ""  # the peer has seen their hours as days and times, and saved them
    listing.full_clean()
    listing.save()
    listing.languages.set(languages)
    listing.areas.set(areas)
    if created:  # a place in today's order, as every listing got this morning
        PeerListing.objects.filter(pk=listing.pk).update(
            rotation=rotation_key(timezone.localdate())
        )
    listing.refresh_from_db(fields=["listable", "department", "rotation"])  # the database's
    return listing


def _blank(name: str):
    return None if name == "years_of_service" else ""


@transaction.atomic
def listing_confirm(*, listing: PeerListing) -> None:
    """One tap: the listing is still right, keep showing it for another RECONFIRM_DAYS."""
    listing.confirmed_at = timezone.now()
    listing.reminder_sent_at = None
    listing.save(update_fields=["confirmed_at", "reminder_sent_at"])


@transaction.atomic
def listing_set_available(*, listing: PeerListing, hours: int | None) -> None:
    """Switch "available now" on for 1 to 12 hours, or off with None."""
    if hours is not None and hours not in AVAILABLE_HOURS:
        raise ValueError(f"hours must be 1 to 12, not {hours}")
    listing.available_until = (
        None if hours is None else timezone.now() + datetime.timedelta(hours=hours)
    )
    listing.save(update_fields=["available_until"])


@transaction.atomic
def listing_pause(*, listing: PeerListing, until: datetime.date | None) -> None:
    """Hide the listing until `until` (it shows again that day), switching "available now" off;
    None resumes it now."""
    listing.paused_until = until
    if until is not None:  # a paused peer is not "available now" either, to anyone
        listing.available_until = None
    listing.save(update_fields=["paused_until", "available_until"])


@transaction.atomic
def listing_remove(*, listing: PeerListing) -> None:
    """Delete the listing and its phone numbers (docs/privacy.md, rule 10)."""
    listing.delete()


def directory_shuffle(*, today: datetime.date | None = None) -> int:
    """Give every listing its place in `today`'s order (daily, from `shuffle_directory`).

    One UPDATE of the listings table: the directory then reads today's order off an index.
    Returns the number of listings."""
    return PeerListing.objects.update(rotation=rotation_key(today or timezone.localdate()))


def listing_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Email each peer whose listing lapses within the reminder window, once. Returns the count."""
    sent = 0
    for listing in listings_due_reminder(now=now):
        _remind(listing)
        sent += 1
    return sent


@transaction.atomic
def _remind(listing: PeerListing) -> None:
    listing.reminder_sent_at = timezone.now()
    listing.save(update_fields=["reminder_sent_at"])
    context = {
        "shown_name": listing.shown_name,
        "lapses_on": timezone.localdate(listing.lapses_on()),
        "url": settings.SITE_URL.rstrip("/") + reverse("peers:my-listing"),
        "site_name": settings.SITE_NAME,
    }
    email_send(
        template="peers/email/reminder",
        context=context,
        to=[listing.peer.email],
        what="listing reminder",
    )
