"""Reads for the department pages: the roster, its fingerprint, the compliance figures."""

import datetime
import hashlib
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from departments.models import Department
from departments.roster import FIELDS
from wnwa.accounts.models import User

# What the roster plan depends on: if any of these change, a preview is stale.
FINGERPRINT_FIELDS = ("pk", *FIELDS, "is_active")

INVITED = Q(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)
ACTIVATED = Q(is_active=True) & ~Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
STATUSES = {"invited": INVITED, "active": ACTIVATED, "deactivated": Q(is_active=False)}


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
    """The department's officers, searched by name, email or badge and filtered."""
    officers = User.objects.filter(department=department).order_by("last_name", "first_name", "pk")
    for word in query.split()[:5]:
        officers = officers.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(badge_number__iexact=word)
        )
    if kind in User.Kind.values:
        officers = officers.filter(kind=kind)
    if status in STATUSES:
        officers = officers.filter(STATUSES[status])
    return officers


def roster_counts(*, department: Department) -> dict[str, int]:
    return User.objects.filter(department=department).aggregate(
        invited=Count("pk", filter=INVITED),
        active=Count("pk", filter=ACTIVATED),
        deactivated=Count("pk", filter=Q(is_active=False)),
    )


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
    *, department: Department, listed_peers: int, today: datetime.date | None = None
) -> Compliance:
    """`listed_peers` comes from peers.selectors (the peers app sits above this one)."""
    today = today or timezone.localdate()
    low, high = department.peer_quota()
    return Compliance(
        sworn_enrolled=User.objects.filter(
            department=department, is_active=True, kind=User.Kind.SWORN
        ).count(),
        sworn_strength=department.sworn_strength,
        quota_low=low,
        quota_high=high,
        listed_peers=listed_peers,
        deadline=department.quota_deadline(),
        days_left=department.days_to_quota_deadline(today),
        term_end=department.term_end(),
        next_renewal=department.next_renewal(today),
    )
