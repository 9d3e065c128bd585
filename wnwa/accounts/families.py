"""Family accounts (docs/product.md, "Families"): invited by an officer or retiree, kept while
that officer's account exists, and for WNWA_FAMILY_GRACE_DAYS after it ends.

The link to the inviting officer (`FamilyAccount.invited_by`) serves the invitation limit and
withdrawal only. It is removed the day the officer's account ends, and the family account then
gets its last day (`ends_on`); the family is emailed a month before it (`families_run`, daily);
on the day after, the account is deactivated, and the retention purge erases it in time.
"""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from wnwa.accounts.invitations import invitation_path
from wnwa.accounts.models import FamilyAccount, User, new_session_token
from wnwa.lib.mail import email_message, email_send, email_send_batch

ENDING_NOTICE_DAYS = 30  # "a month before" (docs/product.md, "Families")


class FamilyInviteRefused(Exception):
    """What to tell the officer, in words they can act on."""


def family_of(officer: User) -> QuerySet[FamilyAccount]:
    """The family accounts an officer invited and that are still open, invited first first."""
    return (
        FamilyAccount.objects.filter(invited_by=officer, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )


def _invitation_email(user: User, officer: User) -> None:
    email_send(
        template="accounts/email/family_invitation",
        to=[user.email],
        context={
            "invited": user,
            "officer": officer,
            "link": settings.SITE_URL + invitation_path(user),
            "days": settings.INVITATION_MAX_AGE_DAYS,
        },
        what="family invitation",
    )


@transaction.atomic
def family_invite(*, officer: User, email: str, first_name: str, relation: str) -> User:
    """Invite an adult family member; the same address invited again by the same officer, not
    yet accepted, gets the invitation again, and an ended family account is erased and invited
    afresh. Refused (FamilyInviteRefused) past the limit, for an address that already has an
    account, and for an officer without a department."""
    if officer.department_id is None:
        raise FamilyInviteRefused("Only an officer of a member department can invite family.")
    User.objects.select_for_update().filter(pk=officer.pk).first()  # one invite at a time
    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and not existing.is_active and hasattr(existing, "family_account"):
        # An ended family account, waiting for the purge: erased now, and invited afresh.
        existing.delete()
        existing = None
    if existing is not None:
        family = FamilyAccount.objects.filter(user=existing, invited_by=officer).first()
        if family is not None and existing.is_invited:
            _invitation_email(existing, officer)
            return existing
        if family is not None and existing.is_active:
            raise FamilyInviteRefused(
                "This family member has already accepted your invitation: they sign in with "
                "this address, and can reset their password from the sign-in page."
            )
        raise FamilyInviteRefused(
            "That address cannot be invited. Ask your family member for another one, such as "
            "a personal address."
        )
    if family_of(officer).count() >= settings.FAMILY_INVITES:
        raise FamilyInviteRefused(
            f"You have invited {settings.FAMILY_INVITES} family members, the most the network "
            "allows. Withdraw one to invite someone else."
        )
    user = User.objects.create(
        email=email, first_name=first_name.strip(), password=make_password(None)
    )
    FamilyAccount.objects.create(
        user=user, department_id=officer.department_id, invited_by=officer, relation=relation
    )
    _invitation_email(user, officer)
    return user


@transaction.atomic
def family_withdraw(*, officer: User, user_id: int) -> None:
    """The officer withdraws an invitation (the account, never used, is deleted at once: its
    link stops working) or a family account they invited (ended at once, as any ended account,
    and erased by the retention purge)."""
    family = FamilyAccount.objects.select_related("user").filter(
        user_id=user_id, invited_by=officer, user__is_active=True
    )
    family = family.first()
    if family is None:
        raise FamilyInviteRefused("That family member is not one you invited, or has left.")
    if family.user.is_invited:
        family.user.delete()
        return
    _end(User.objects.filter(pk=family.user_id), timezone.localdate())
    FamilyAccount.objects.filter(pk=family.pk).update(invited_by=None)


def _end(users: QuerySet[User], today: datetime.date) -> int:
    return users.update(is_active=False, deactivated_on=today, session_token=new_session_token())


@transaction.atomic
def family_access_end(*, user: User) -> None:
    """A family member ends their own account (the account page)."""
    if not FamilyAccount.objects.filter(user=user).exists():
        raise ValueError("Only a family member ends their own account here.")
    _end(User.objects.filter(pk=user.pk), timezone.localdate())
    FamilyAccount.objects.filter(user=user).update(invited_by=None)


def grace_end(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.FAMILY_GRACE_DAYS)


def families_release(*, officer_ids, today: datetime.date | None = None) -> int:
    """The inviting officers' accounts have ended (deactivation, death, dismissal, their own
    choice): their families keep access for WNWA_FAMILY_GRACE_DAYS, and the link is removed.
    An earlier end already set (their department leaving) is kept. Returns how many."""
    today = today or timezone.localdate()
    families = FamilyAccount.objects.filter(invited_by_id__in=officer_ids)
    end = grace_end(today)
    families.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=end)).update(
        ends_on=end, ending_notice_sent_on=None
    )
    return families.update(invited_by=None)


def families_end_with_department(*, department_ids, last_day: datetime.date) -> int:
    """A department leaves the network: its families' access ends with it (the day before it
    leaves is their last), after the same month's notice (`families_run`)."""
    families = FamilyAccount.objects.filter(department_id__in=department_ids, user__is_active=True)
    return families.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=last_day)).update(
        ends_on=last_day, ending_notice_sent_on=None
    )


def family_extend(*, family: FamilyAccount, days: int | None = None) -> datetime.date:
    """A network admin extends a family's access at their request: a grace period from today
    (or `days`), never shorter than it was. The notice is sent again before the new end."""
    today = timezone.localdate()
    end = today + datetime.timedelta(days=settings.FAMILY_GRACE_DAYS if days is None else days)
    if family.ends_on is not None and family.ends_on > end:
        end = family.ends_on
    family.ends_on, family.ending_notice_sent_on = end, None
    family.save(update_fields=["ends_on", "ending_notice_sent_on"])
    return end


def family_end_now(*, family: FamilyAccount) -> None:
    """A network admin ends a family account (the account is erased by the retention purge)."""
    _end(User.objects.filter(pk=family.user_id, is_active=True), timezone.localdate())
    FamilyAccount.objects.filter(pk=family.pk).update(invited_by=None)


@transaction.atomic
def families_run(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily work of family accounts (`manage.py families_ending`). Idempotent; counts only.

    1. Families whose inviting officer's account has ended by any way not already caught (an
       admin's edit) are released: a grace period from today, the link removed.
    2. Open family accounts whose last day falls within ENDING_NOTICE_DAYS are told, once.
    3. Family accounts past their last day are ended (deactivated).
    """
    today = today or timezone.localdate()
    gone = FamilyAccount.objects.filter(invited_by__is_active=False).values_list(
        "invited_by_id", flat=True
    )
    released = families_release(officer_ids=list(gone), today=today)
    due = FamilyAccount.objects.select_for_update().filter(
        user__is_active=True,
        ends_on__isnull=False,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=ENDING_NOTICE_DAYS),
        ending_notice_sent_on__isnull=True,
    )
    told = list(due.values_list("pk", flat=True))
    FamilyAccount.objects.filter(pk__in=told).update(ending_notice_sent_on=today)
    if told:
        email_send_batch(build=lambda: _ending_notices(told), what="family access notice")
    ended = _end(
        User.objects.filter(
            is_active=True, family_account__isnull=False, family_account__ends_on__lt=today
        ),
        today,
    )
    return {"released": released, "notified": len(told), "ended": ended}


def _ending_notices(family_ids: list[int]):
    for family in FamilyAccount.objects.filter(pk__in=family_ids).select_related(
        "user", "department"
    ):
        yield email_message(
            template="accounts/email/family_ending",
            to=[family.user.email],
            context={
                "invited": family.user,
                "ends_on": family.ends_on,
                "department_leaves": family.department.leaves_on is not None
                and family.department.leaves_on <= family.ends_on + datetime.timedelta(days=1),
                "retention_days": settings.RETENTION_DAYS,
                "contact_email": settings.NETWORK_CONTACT_EMAIL,
            },
        )
