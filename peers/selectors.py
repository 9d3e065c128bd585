"""Who is listed in the peer directory: the one definition every app uses."""

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from departments.models import Department
from peers.models import PeerListing
from trainings.models import Certification

RECONFIRM_DAYS = 180


def listed_peers(*, today: datetime.date | None = None) -> QuerySet[PeerListing]:
    """Listings shown to officers: an active, certified officer of an active member department,
    with a complete listing that is neither paused nor unconfirmed for RECONFIRM_DAYS."""
    today = today or timezone.localdate()
    stale_before = timezone.now() - datetime.timedelta(days=RECONFIRM_DAYS)
    certified = Certification.objects.valid().filter(person=OuterRef("peer"))
    return (
        PeerListing.objects.filter(
            peer__is_active=True,
            peer__department__membership_status=Department.Status.ACTIVE,
            confirmed_at__gte=stale_before,
        )
        .exclude(paused_until__gte=today)
        .exclude(shown_name="")
        .exclude(call_number="", text_number="")
        .filter(Exists(certified))
    )


def listed_peer_count(*, department: Department) -> int:
    return listed_peers().filter(peer__department=department).count()
