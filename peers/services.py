"""Changes a peer makes to their own listing on purpose, and the reconfirmation reminder."""

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.lookups import IsNull
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from peers.models import AVAILABLE_HOURS, ExperienceArea, Language, PeerListing
from peers.selectors import VERSION_KEY, DirectoryIndex, listings_due_reminder
from wnwa.accounts.models import User
from wnwa.lib.mail import send_after_commit

LISTING_FIELDS = [
    "shown_name",
    "rank",
    "years_of_service",
    "gender",
    "bio",
    "call_number",
    "text_number",
    "reachability",
    "weekly_hours",
]


def directory_changed() -> None:
    """Who is listed, or what a card shows, has changed: every process rebuilds its directory
    index (`peers.selectors.DirectoryIndex`) on its next search, this one at once. Run it on
    commit: `transaction.on_commit(directory_changed)`."""
    # While Redis is down this write is lost (wnwa.lib.cache): other processes then see the
    # change at their next backstop rebuild.
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)
    DirectoryIndex.forget()


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
    listing.department_id, listing.peer_active = peer.department_id, peer.is_active
    for name in LISTING_FIELDS:
        if name in fields:
            setattr(listing, name, fields[name] if fields[name] is not None else _blank(name))
    listing.confirmed_at = timezone.now()
    listing.reminder_sent_at = None
    listing.full_clean()
    listing.save()
    listing.languages.set(languages)
    listing.areas.set(areas)
    transaction.on_commit(directory_changed)
    return listing


def _blank(name: str):
    return None if name == "years_of_service" else ""


@transaction.atomic
def listing_confirm(*, listing: PeerListing) -> None:
    """One tap: the listing is still right, keep showing it for another RECONFIRM_DAYS."""
    listing.confirmed_at = timezone.now()
    listing.reminder_sent_at = None
    listing.save(update_fields=["confirmed_at", "reminder_sent_at"])
    transaction.on_commit(directory_changed)


@transaction.atomic
def listing_set_available(*, listing: PeerListing, hours: int | None) -> None:
    """Switch "available now" on for 1 to 12 hours, or off with None."""
    if hours is not None and hours not in AVAILABLE_HOURS:
        raise ValueError(f"hours must be 1 to 12, not {hours}")
    listing.available_until = (
        None if hours is None else timezone.now() + datetime.timedelta(hours=hours)
    )
    listing.save(update_fields=["available_until"])
    transaction.on_commit(directory_changed)


@transaction.atomic
def listing_pause(*, listing: PeerListing, until: datetime.date | None) -> None:
    """Hide the listing until `until` (it shows again that day); None resumes it now."""
    listing.paused_until = until
    listing.save(update_fields=["paused_until"])
    transaction.on_commit(directory_changed)


@transaction.atomic
def listing_remove(*, listing: PeerListing) -> None:
    """Delete the listing and its phone numbers (PRIVACY.md rule 10)."""
    listing.delete()
    transaction.on_commit(directory_changed)


@transaction.atomic
def listings_sync(*, peer_ids: Iterable[int] | None = None) -> int:
    """Copy each peer's department and active flag onto their listing; returns the listings changed.

    The directory reads these copies so that it never joins the officer table. Call this, in the
    same transaction, from every service that deactivates, reactivates or moves officers (with
    their ids; officers without a listing cost nothing). Without ids, every listing that differs
    from its officer is repaired: `remind_listings` does that nightly as a safety net.
    """
    officer = User.objects.filter(pk=OuterRef("peer_id"))
    listings = PeerListing.objects.all()
    if peer_ids is not None:
        listings = listings.filter(peer_id__in=list(peer_ids))
    in_step = officer.filter(
        Q(department_id=OuterRef("department_id"))
        | Q(department__isnull=True) & Q(IsNull(OuterRef("department_id"), True)),
        is_active=OuterRef("peer_active"),
    )
    changed = listings.exclude(Exists(in_step)).update(
        department_id=Subquery(officer.values("department_id")[:1]),
        peer_active=Subquery(officer.values("is_active")[:1]),
    )
    if changed:
        transaction.on_commit(directory_changed)
    return changed


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
    subject = render_to_string("peers/email/reminder_subject.txt", context).strip()
    body = render_to_string("peers/email/reminder_body.txt", context)
    email = listing.peer.email
    send_after_commit(lambda: send_mail(subject, body, None, [email]), what="listing reminder")
