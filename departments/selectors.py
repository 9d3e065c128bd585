"""Reads for the department pages: the roster, its fingerprint, invitations, compliance."""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from departments.models import Department, Invitation
from departments.roster import FIELDS
from wnwa.accounts.models import FamilyAccount, User

# What the roster plan depends on: if any of these change, a preview is stale.
FINGERPRINT_FIELDS = ("pk", *FIELDS, "is_active", "retired_on", "is_department_admin")

INVITED = Q(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)
ACTIVATED = Q(is_active=True) & ~Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
# Retirees keep their account but count toward no figure of the department (docs/product.md,
# "Retired officers"): the roster's totals and the compliance page count serving officers.
SERVING = Q(retired_on__isnull=True)
RETIRED = Q(is_active=True, retired_on__isnull=False)
STATUSES = {
    "invited": INVITED & SERVING,
    "active": ACTIVATED & SERVING,
    "retired": RETIRED,
    "deactivated": Q(is_active=False),
}


def network_counts() -> dict[str, int]:
    """Member departments and the counties they cover, for the public home page."""
    members = Department.objects.filter(membership_status=Department.Status.ACTIVE)
    return members.aggregate(
        departments=Count("pk"),
        counties=Count("county", distinct=True),
        states=Count("state", distinct=True),
    )


def roster_fingerprint(*, department: Department) -> str:
    """A digest of the department's roster as a roster upload sees it."""
    digest = hashlib.sha256()
    rows = (
        User.objects.filter(department=department)
        .order_by("pk")
        .values_list(*FINGERPRINT_FIELDS)
        .iterator(chunk_size=5000)
    )
    for row in rows:
        digest.update("\x1f".join(map(str, row)).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()


def roster_officers(
    *, department: Department, query: str = "", kind: str = "", status: str = ""
) -> QuerySet[User]:
    """The department's officers, searched by name, email or badge and filtered, each with its
    invitation's `invitation_queued_at` and `invitation_sent_on` (see `invitation_state`)."""
    officers = (
        User.objects.filter(department=department)
        .annotate(
            invitation_queued_at=F("invitation__queued_at"),
            invitation_sent_on=F("invitation__sent_on"),
        )
        .order_by("last_name", "first_name", "pk")
    )
    for word in query.split()[:5]:
        officers = officers.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(badge_number__iexact=word)
        )
    if kind in User.Kind.values:
        officers = officers.filter(kind=kind)
    if status == "expired":
        officers = officers.filter(INVITED, _expired())
    elif status in STATUSES:
        officers = officers.filter(STATUSES[status])
    return officers


# --- Invitations --------------------------------------------------------------------------------
# What a department admin sees of an officer's invitation: when it was sent, when its link
# expires, and whether it was accepted (the officer has chosen a password). Never when anyone
# signed in (docs/privacy.md, rule 2). The staff landing pages (portal/work.py) count from here too.

EXPIRING_DAYS = 3  # "expiring" means the link stops working within this many days


@dataclass(frozen=True)
class InvitationState:
    """One officer's invitation. `state` is one of:

    accepted: the officer has chosen a password (their account is active);
    queued: an invitation waits for the sender (after an apply or a resend);
    valid: sent, its link still works (`expiring` when it stops within EXPIRING_DAYS);
    expired: sent, its link no longer works;
    none: no invitation on record (enrolled before invitations were tracked, or never sent);
    deactivated: the officer is deactivated, no invitation applies.
    """

    state: str
    sent_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    expiring: bool = False

    @property
    def accepted(self) -> bool:
        return self.state == "accepted"


def _expiry(sent_on: datetime.date) -> datetime.date:
    return sent_on + datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


def invitation_state(
    officer: User,
    *,
    sent_on: datetime.date | None = None,
    queued: bool = False,
    today: datetime.date | None = None,
) -> InvitationState:
    """The officer's invitation, from their account and their invitation record (the
    annotations of `roster_officers`, or the record itself when they are not there)."""
    if not officer.is_active:
        return InvitationState("deactivated")
    if not officer.is_invited:
        return InvitationState("accepted")
    if hasattr(officer, "invitation_sent_on"):
        sent_on, queued = officer.invitation_sent_on, officer.invitation_queued_at is not None
    elif sent_on is None and not queued:
        record = Invitation.objects.filter(officer=officer).first()
        if record is not None:
            sent_on, queued = record.sent_on, record.queued_at is not None
    today = today or timezone.localdate()
    expires_on = _expiry(sent_on) if sent_on else None
    if queued:
        return InvitationState("queued", sent_on, expires_on)
    if sent_on is None:
        return InvitationState("none")
    if expires_on < today:
        return InvitationState("expired", sent_on, expires_on)
    expiring = (expires_on - today).days < EXPIRING_DAYS
    return InvitationState("valid", sent_on, expires_on, expiring=expiring)


def _expired(today: datetime.date | None = None) -> Q:
    """Invited officers whose last invitation's link has expired, none being queued."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    return Q(invitation__queued_at__isnull=True, invitation__sent_on__lt=cutoff)


def invitations_not_accepted(*, department: Department) -> QuerySet[User]:
    """Active officers of the department who have not accepted their invitation."""
    return User.objects.filter(INVITED, department=department)


def invitation_counts(*, department: Department, today: datetime.date | None = None) -> dict:
    """The department's invitations not accepted, by state: `not_accepted` (all of them),
    `queued`, `valid`, `expiring` (valid, stopping within EXPIRING_DAYS), `expired`, `none`, and
    `oldest_queued`, when the longest-waiting queued invitation was queued (or None)."""
    today = today or timezone.localdate()
    days = datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    queued = Q(invitation__queued_at__isnull=False)
    sent = Q(invitation__sent_on__isnull=False) & ~queued
    live = sent & Q(invitation__sent_on__gte=today - days)
    expiring = live & Q(
        invitation__sent_on__lt=today - days + datetime.timedelta(days=EXPIRING_DAYS)
    )
    return invitations_not_accepted(department=department).aggregate(
        not_accepted=Count("pk"),
        queued=Count("pk", filter=queued),
        valid=Count("pk", filter=live),
        expiring=Count("pk", filter=expiring),
        expired=Count("pk", filter=sent & Q(invitation__sent_on__lt=today - days)),
        none=Count(
            "pk",
            filter=Q(invitation__isnull=True)
            | Q(invitation__queued_at__isnull=True, invitation__sent_on__isnull=True),
        ),
        oldest_queued=Min("invitation__queued_at"),
    )


def invitations_to_resend(
    *, department: Department, today: datetime.date | None = None
) -> QuerySet[User]:
    """Who "send again to everyone who has not accepted" emails: the officers not accepted,
    except those whose invitation is already queued or went out today (so a second press, or
    a press after a fresh roster, emails nobody twice)."""
    today = today or timezone.localdate()
    return invitations_not_accepted(department=department).exclude(
        Q(invitation__queued_at__isnull=False) | Q(invitation__sent_on=today)
    )


def roster_counts(*, department: Department) -> dict[str, int]:
    return User.objects.filter(department=department).aggregate(
        invited=Count("pk", filter=STATUSES["invited"]),
        active=Count("pk", filter=STATUSES["active"]),
        retired=Count("pk", filter=RETIRED),
        deactivated=Count("pk", filter=Q(is_active=False)),
    )


def family_account_count(*, department: Department) -> int:
    """How many open family accounts the department's officers have: a count, never whose family
    nor who (docs/privacy.md)."""
    return FamilyAccount.objects.filter(department=department, user__is_active=True).count()


def active_admin_count(*, department: Department) -> int:
    return User.objects.filter(
        department=department, is_department_admin=True, is_active=True
    ).count()


@dataclass(frozen=True)
class Compliance:
    """What a department's admins see about their obligations. Never anything about usage."""

    sworn_enrolled: int
    sworn_strength: int
    quota_low: int
    quota_high: int
    listed_peers: int
    retired_peers: int  # listed retirees: shown beside the quota, never counted toward it
    deadline: datetime.date | None
    days_left: int | None
    term_end: datetime.date | None
    next_renewal: datetime.date | None

    @property
    def enrolled_percent(self) -> int:
        return min(100, round(100 * self.sworn_enrolled / max(self.sworn_strength, 1)))

    @property
    def peers_needed(self) -> int:
        return max(0, self.quota_low - self.listed_peers)

    @property
    def days_overdue(self) -> int:
        return max(0, -(self.days_left or 0))

    @property
    def quota_met(self) -> bool:
        return self.listed_peers >= self.quota_low


def department_compliance(
    *,
    department: Department,
    listed_peers: int,
    retired_peers: int = 0,
    today: datetime.date | None = None,
) -> Compliance:
    """`listed_peers` (serving) and `retired_peers` come from peers.selectors (the peers app
    sits above this one)."""
    today = today or timezone.localdate()
    low, high = department.peer_quota()
    return Compliance(
        sworn_enrolled=User.objects.filter(
            SERVING, department=department, is_active=True, kind=User.Kind.SWORN
        ).count(),
        sworn_strength=department.sworn_strength,
        quota_low=low,
        quota_high=high,
        listed_peers=listed_peers,
        retired_peers=retired_peers,
        deadline=department.quota_deadline(),
        days_left=department.days_to_quota_deadline(today),
        term_end=department.term_end(),
        next_renewal=department.next_renewal(today),
    )
