"""Changes a person makes to their own passkeys, and the rules around them."""

import time

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from wnwa.accounts import roles
from wnwa.accounts.models import BackupCodeDevice, TOTPDevice
from wnwa.passkeys.models import Passkey

# How the person proved who they are, as allauth records it in the session (method and time;
# the address is dropped, wnwa.accounts.signals): a password at sign-in or at "confirm it is
# you", or a passkey at sign-in.
PROOFS = {"password", "passkey"}
NAME_MAX = 64  # django-otp's device name


def recent_proof(request: HttpRequest) -> bool:
    """A password or passkey given within PASSKEY_PROOF_SECONDS, in this session."""
    records = get_authentication_records(request, request.user)
    times = [r.get("at", 0) for r in records if isinstance(r, dict) and r.get("method") in PROOFS]
    return bool(times) and time.time() - max(times) < settings.PASSKEY_PROOF_SECONDS


def passkeys_of(user) -> list[Passkey]:
    return list(Passkey.objects.filter(user=user).order_by("added_on", "pk"))


def clean_name(name: str) -> str:
    return " ".join(str(name).split())[:NAME_MAX]


def rename(*, passkey: Passkey, name: str) -> None:
    """An empty name keeps the default one ("Passkey 1")."""
    name = clean_name(name)
    if name and name != passkey.name:
        passkey.name = name
        passkey.save(update_fields=["name"])


def backup_codes_owed(user) -> bool:
    """Staff keep backup codes as their way back in: one who adds a passkey without any gets
    them then."""
    return (
        roles.requires_two_factor(user)
        and not BackupCodeDevice.objects.filter(user=user, codes__isnull=False).exists()
    )


@transaction.atomic
def backup_codes_give(*, user) -> list[str]:
    backup, _ = BackupCodeDevice.objects.get_or_create(user=user, defaults={"name": "Backup codes"})
    return backup.generate_codes()


def removal_refusal(*, passkey: Passkey) -> str | None:
    """Why this passkey may not be removed, or None. Staff keep at least one second factor."""
    user = passkey.user
    if not roles.requires_two_factor(user):
        return None
    others = Passkey.objects.filter(user=user).exclude(pk=passkey.pk).exists()
    if others or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return None
    return (
        "This is your only second factor, and your role requires one. Set up an authenticator "
        "app or add another passkey first."
    )


def remove(*, passkey: Passkey) -> None:
    passkey.delete()
    roles.forget(passkey.user)
