"""Reads of the staff pages: the staff, their pending invitations, the record of acts."""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import OuterRef, Q, QuerySet, Subquery

from wnwa.accounts.models import ROLE_FIELDS, User
from wnwa.staff.models import StaffAct

ANY_ROLE = Q()
for _field in ROLE_FIELDS:
    ANY_ROLE |= Q(**{_field: True})
INVITED = Q(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)


def _with_last_invitation(people: QuerySet[User]) -> QuerySet[User]:
    last = StaffAct.objects.filter(subject=OuterRef("pk"), kind=StaffAct.Kind.INVITED)
    return people.annotate(invited_at=Subquery(last.order_by("-done_at").values("done_at")[:1]))


def staff_accounts() -> QuerySet[User]:
    """Everyone holding a staff role, with when their newest invitation went (if any)."""
    return _with_last_invitation(
        User.objects.filter(ANY_ROLE).select_related("department").order_by("email")
    )


def pending_staff_invitations() -> QuerySet[User]:
    """Staff invited and not yet activated, newest invitation first."""
    return (
        _with_last_invitation(User.objects.filter(ANY_ROLE).filter(INVITED))
        .select_related("department")
        .order_by("-invited_at", "email")
    )


def pending_invitation_counts(*, now: datetime.datetime) -> dict[str, int]:
    """Pending staff invitations, and how many of them have expired, in one query."""
    cutoff = now - datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    people = list(pending_staff_invitations().values_list("invited_at", flat=True))
    return {
        "pending": len(people),
        "expired": sum(1 for at in people if at is None or at < cutoff),
    }


def acts() -> QuerySet[StaffAct]:
    return StaffAct.objects.select_related("actor", "subject")
