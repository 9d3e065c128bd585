"""A staff account's lifecycle: invited with a role, roles removed, a lost second factor reset.

Each act is recorded (wnwa.staff.models.StaffAct) with who did it; each ends the account's
sessions the way the sessions mechanism does (wnwa.accounts.sessions): a change of role changes
the HMAC every session cookie carries, a reset replaces the account's session value.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from wnwa.accounts import roles
from wnwa.accounts.invitations import invitation_path
from wnwa.accounts.models import ROLE_FIELDS, User
from wnwa.accounts.services import sessions_end_everywhere, two_factor_remove
from wnwa.lib.mail import email_send
from wnwa.passkeys.models import Passkey
from wnwa.staff.models import ROLE_LABELS, StaffAct


class StaffActionRefused(ValidationError):
    """The act breaks a rule (oneself, a role already held); the message says which."""


def _record(kind: str, *, subject: User, by: User, role: str = "") -> StaffAct:
    return StaffAct.objects.create(kind=kind, subject=subject, actor=by, role=role)


def _send_invitation(user: User, role: str) -> None:
    email_send(
        template="staff/email/invitation",
        to=[user.email],
        context={
            "person": user,
            "role": ROLE_LABELS[role],
            "department": user.department if role == "is_department_admin" else None,
            "link": settings.SITE_URL + invitation_path(user),
            "days": settings.INVITATION_MAX_AGE_DAYS,
            "contact_email": settings.NETWORK_CONTACT_EMAIL,
        },
        what="staff invitation",
    )


@transaction.atomic
def staff_invite(
    *, email: str, first_name: str, last_name: str, role: str, department, by: User
) -> tuple[User, bool]:
    """Invite a new staff member with `role`, or give the role to the account that has `email`.

    A new account gets the officers' invitation (signed, expiring after
    INVITATION_MAX_AGE_DAYS, one use); as staff it must set up a second factor on first sign-in
    (wnwa.middleware). An existing account keeps its password: the role ends its sessions, and
    its next sign-in asks for the second factor. Returns the account and whether it is new.
    """
    if role not in ROLE_FIELDS:
        raise StaffActionRefused("Choose a role.")
    if role == "is_department_admin" and department is None:
        raise StaffActionRefused("A department admin administers a department: choose which.")
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is None:
        user = User.objects.create_user(
            email,
            None,
            first_name=first_name,
            last_name=last_name,
            department=department if role == "is_department_admin" else None,
            **{role: True},
        )
        _record(StaffAct.Kind.INVITED, subject=user, by=by, role=role)
        _send_invitation(user, role)
        return user, True
    if not existing.is_active:
        raise StaffActionRefused(
            "That account is deactivated. Reactivate it first (its department or the admin)."
        )
    if getattr(existing, role):
        raise StaffActionRefused(f"That account is already {ROLE_LABELS[role]}.")
    if role == "is_department_admin" and existing.department_id != department.pk:
        raise StaffActionRefused(
            "That account is not of this department: a department admin administers their own."
        )
    setattr(existing, role, True)
    existing.save(update_fields=[role])
    _record(StaffAct.Kind.ROLE_GIVEN, subject=existing, by=by, role=role)
    if existing.is_invited:  # enrolled but never activated: the invitation says what comes next
        _send_invitation(existing, role)
    return existing, False


@transaction.atomic
def staff_invitation_resend(*, user: User, by: User) -> None:
    """A fresh link for a staff member who has not activated yet (the old one keeps working)."""
    role = next((name for name in ROLE_FIELDS if getattr(user, name)), None)
    if not user.is_invited or role is None:
        raise StaffActionRefused("Only a staff account that has not been activated is invited.")
    _record(StaffAct.Kind.INVITED, subject=user, by=by, role=role)
    _send_invitation(user, role)


@transaction.atomic
def staff_role_remove(*, user: User, role: str, by: User) -> None:
    """Take one role away; the change of role ends every session of the account."""
    if role not in ROLE_FIELDS or not getattr(user, role):
        raise StaffActionRefused("That account does not have this role.")
    if user.pk == by.pk and role == "is_network_admin":
        raise StaffActionRefused(
            "You cannot remove your own network-admin role: ask another network admin."
        )
    setattr(user, role, False)
    fields = [role]
    if role == "is_network_admin" and user.is_superuser:
        user.is_superuser = False  # a superuser who is no admin would keep every permission
        fields.append("is_superuser")
    user.save(update_fields=fields)
    _record(StaffAct.Kind.ROLE_REMOVED, subject=user, by=by, role=role)


def staff_roles_record(*, user: User, before: dict[str, bool], by: User) -> list[StaffAct]:
    """Record the roles given and removed by a change made elsewhere than these pages (the
    Django admin's user change page), as the staff pages record theirs; `before` is each role
    flag as it was. A network-admin role removed takes the superuser flag with it, as
    `staff_role_remove` does. Call it in the transaction that saves `user`."""
    acts = []
    for role in ROLE_FIELDS:
        had, has = bool(before.get(role)), bool(getattr(user, role))
        if had == has:
            continue
        kind = StaffAct.Kind.ROLE_GIVEN if has else StaffAct.Kind.ROLE_REMOVED
        acts.append(_record(kind, subject=user, by=by, role=role))
    if not user.is_network_admin and user.is_superuser:
        user.is_superuser = False
        user.save(update_fields=["is_superuser"])
    return acts


@transaction.atomic
def second_factor_reset(*, user: User, by: User) -> None:
    """For someone who lost their phone and their backup codes: their devices go (passkeys too,
    which would otherwise still pass the second factor), every session ends, and they are
    emailed (after the commit) what happened and what comes next."""
    if user.pk == by.pk:
        raise StaffActionRefused(
            "You cannot reset your own second factor: ask another network admin."
        )
    two_factor_remove(user=user)
    Passkey.objects.filter(user=user).delete()
    sessions_end_everywhere(user=user)
    _record(StaffAct.Kind.SECOND_FACTOR_RESET, subject=user, by=by)
    email_send(
        template="staff/email/second_factor_reset",
        to=[user.email],
        context={
            "person": user,
            "required": roles.requires_two_factor(user),
            "contact_email": settings.NETWORK_CONTACT_EMAIL,
        },
        what="second-factor reset notice",
    )


def invitation_expires_on(*, user: User) -> datetime.datetime | None:
    """When the newest staff invitation sent to `user` stops working."""
    act = StaffAct.objects.filter(subject=user, kind=StaffAct.Kind.INVITED).first()
    if act is None:
        return None
    return act.done_at + datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


def invitation_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Invitations sent before this have expired."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


# --- Retention ---------------------------------------------------------------------------------


def records_erase(*, user_ids: Iterable[int]) -> int:
    """Erase every administrative record naming these accounts, before they are erased: our
    records of acts on or by them, and Django admin's log (django_admin_log) of changes by them,
    to their accounts and to anything deleted with them (a listing, a certification, a device),
    whose log line names the officer. Returns how many rows went."""
    ids = list(user_ids)
    if not ids:
        return 0
    acts, _ = StaffAct.objects.filter(Q(subject_id__in=ids) | Q(actor_id__in=ids)).delete()
    about = Q(user_id__in=ids)
    for content_type, pks in _objects_erased_with(ids).items():
        about |= Q(content_type=content_type, object_id__in=pks)
    logs, _ = LogEntry.objects.filter(about).delete()
    return acts + logs


def _objects_erased_with(ids: list[int]) -> dict[ContentType, list[str]]:
    """Every row deleting these accounts deletes (Django's own collector), by model."""
    found: dict[type, set] = {User: set(ids)}
    collector = Collector(using=User.objects.db, origin=None)
    try:
        collector.collect(User.objects.filter(pk__in=ids))
    except (ProtectedError, RestrictedError):
        pass  # an account kept for a protected record: its own log entries still go
    else:
        for model, instances in collector.data.items():
            found.setdefault(model, set()).update(obj.pk for obj in instances)
        for queryset in collector.fast_deletes:
            found.setdefault(queryset.model, set()).update(queryset.values_list("pk", flat=True))
    types = ContentType.objects.get_for_models(*found, for_concrete_models=False)
    return {types[model]: [str(pk) for pk in pks] for model, pks in found.items() if pks}
