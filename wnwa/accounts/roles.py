"""The one place that answers "may this user do this here".

Roles come from docs/product.md. Views never read the role flags directly: they call these
functions, or use the decorators in wnwa.accounts.access, so that a rule changes in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from departments.models import Department
    from wnwa.accounts.models import User


class Role(StrEnum):
    OFFICER = "officer"
    RETIREE = "retiree"
    FAMILY = "family member"
    PEER_SUPPORTER = "peer supporter"
    DEPARTMENT_ADMIN = "department admin"
    VETTER = "vetter"
    TRAINING_STAFF = "training staff"
    NETWORK_ADMIN = "network admin"


STAFF_ROLES = {Role.DEPARTMENT_ADMIN, Role.VETTER, Role.TRAINING_STAFF, Role.NETWORK_ADMIN}


# The checks below that read the database (a certification, a confirmed device) are asked several
# times in one request: by the two-factor middleware, the view's decorator, the view and the nav.
# RoleMemoMiddleware gives the request's user object a memo so each is read once per request. A
# user object without one (in a service, a command, a test) always reads afresh.
_MEMO = "_wnwa_role_memo"


def remember_for_request(user) -> None:
    """Let the database-backed checks answer from memory for the rest of this request."""
    if user is not None and user.is_authenticated:
        setattr(user, _MEMO, {})


def forget(user) -> None:
    """After a change to the user's certifications or devices within the request."""
    memo = getattr(user, _MEMO, None)
    if memo:
        memo.clear()


def _memoised(user, key: str, read: Callable[[], bool]) -> bool:
    memo = getattr(user, _MEMO, None)
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


@cache
def _question(setting: str) -> Callable[[User], QuerySet]:
    return import_string(getattr(settings, setting))


def _rows(setting: str, user: User) -> QuerySet:
    """Ask the app that knows (named by a setting, as Django names its backends) for the rows
    that answer: the core sits below every app and imports none of them (docs/architecture.md,
    "Layers")."""
    return _question(setting)(user)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_officer(user: User) -> bool:
    """An active user of an active member department, serving or retired: a retiree keeps every
    officer page (docs/product.md, "Retired officers"), through the department they retired
    from, so its own-department rule holds for them too."""
    if not _signed_in(user) or user.department_id is None:
        return False
    return _department(user).is_member


def _department(user: User) -> Department:
    """The officer's department. Within a request, read once with the answer to "certified?"
    beside it (`is_peer_supporter`): every page's navigation asks both, and one query costs
    less than two."""
    memo = getattr(user, _MEMO, None)
    field = user._meta.get_field("department")
    if memo is None or field.is_cached(user):
        return user.department
    certified = Exists(_rows("WNWA_ROLE_CERTIFIED", user))
    department = field.related_model._base_manager.annotate(wnwa_certified=certified)
    department = department.get(pk=user.department_id)
    memo["certified"] = department.wnwa_certified
    field.set_cached_value(user, department)
    return department


def is_retiree(user: User) -> bool:
    """An officer the department has marked retired: an officer in all but the department's
    figures, and the one who may end their own access (the account page)."""
    return is_officer(user) and user.retired_on is not None


def family_account_of(user: User):
    """The user's FamilyAccount (with its department), or None: read once per request."""
    if not _signed_in(user) or user.department_id is not None:
        return None
    from wnwa.accounts.models import FamilyAccount

    return _memoised(
        user,
        "family",
        lambda: FamilyAccount.objects.select_related("department").filter(user=user).first(),
    )


def is_family_member(user: User) -> bool:
    """An adult an officer invited (docs/product.md, "Families"): the peers who talk with
    families, the professionals who see them, the resources for them, through the inviting
    officer's department while it is a member, until `ends_on` when one is set. Never an
    officer: the account has no department of its own, so no officer page opens for it."""
    family = family_account_of(user)
    if family is None or not family.department.is_member:
        return False
    return family.ends_on is None or family.ends_on >= timezone.localdate()


def own_department_id(user: User) -> int | None:
    """The department whose peers the directory leaves out unless asked: an officer's own, a
    family member's inviting officer's."""
    if user.department_id is not None:
        return user.department_id
    family = family_account_of(user)
    return family.department_id if family else None


def is_peer_supporter(user: User) -> bool:
    """An officer who holds a valid certification."""
    if not is_officer(user):
        return False
    return _memoised(user, "certified", lambda: _rows("WNWA_ROLE_CERTIFIED", user).exists())


def is_department_admin(user: User, department: Department | None = None) -> bool:
    """Administers a department (their own; `department`, when given, must be it). Never a
    retiree: an admin is made serving before retiring, and a retiree is made no admin."""
    if not _signed_in(user) or not user.is_department_admin or user.department_id is None:
        return False
    if user.retired_on is not None:
        return False
    return department is None or department.pk == user.department_id


def is_vetter(user: User) -> bool:
    return _signed_in(user) and (user.is_vetter or user.is_network_admin)


def is_training_staff(user: User) -> bool:
    return _signed_in(user) and (user.is_training_staff or user.is_network_admin)


def is_network_admin(user: User) -> bool:
    return _signed_in(user) and user.is_network_admin


CHECKS = {
    Role.OFFICER: is_officer,
    Role.RETIREE: is_retiree,
    Role.FAMILY: is_family_member,
    Role.PEER_SUPPORTER: is_peer_supporter,
    Role.DEPARTMENT_ADMIN: is_department_admin,
    Role.VETTER: is_vetter,
    Role.TRAINING_STAFF: is_training_staff,
    Role.NETWORK_ADMIN: is_network_admin,
}


def has_role(user: User, role: Role) -> bool:
    # Network admins may do everything (docs/product.md), but only once signed in as such.
    return CHECKS[role](user) or is_network_admin(user)


def is_staff_role(user: User) -> bool:
    """Department admins, vetters, training staff and network admins: short sessions, 2FA."""
    return _signed_in(user) and (
        user.is_department_admin
        or user.is_vetter
        or user.is_training_staff
        or user.is_network_admin
    )


def requires_two_factor(user: User) -> bool:
    return is_staff_role(user)


def has_two_factor(user: User) -> bool:
    from wnwa.accounts.models import TOTPDevice

    return _memoised(
        user,
        "two_factor",
        lambda: TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
    )


def has_passkey(user: User) -> bool:
    """A passkey (wnwa.passkeys): a second factor for anyone, a way in without a password too."""
    from wnwa.passkeys.models import Passkey

    return _memoised(user, "passkey", lambda: Passkey.objects.filter(user=user).exists())


def can_give_second_factor(user: User) -> bool:
    """Enrolled with an authenticator or a passkey: asked for one, not sent to set one up.
    Staff need at least one of the two (wnwa.passkeys.services.removal_refusal)."""
    return has_two_factor(user) or has_passkey(user)


def owes_second_factor(user: User) -> bool:
    """Signed in with a password, but a code is still due: staff always, officers who enrolled
    an authenticator (an officer's passkey adds a way in, it does not become a required factor)."""
    if not _signed_in(user) or user.is_verified():
        return False
    return requires_two_factor(user) or has_two_factor(user)
