"""Account changes a person makes on purpose: their second factor and their first password."""

import math
from base64 import b32encode
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from wnwa.accounts import roles
from wnwa.accounts.families import families_release
from wnwa.accounts.models import (
    TOTP_CODE,
    BackupCodeDevice,
    TOTPDevice,
    User,
    new_session_token,
    normalise_backup_code,
)


def totp_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up, created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def totp_config_url(*, device: TOTPDevice) -> str:
    """The authenticator's otpauth:// link, named after the site alone: django-otp's own names
    the entry after the username, the work email, which authenticator apps keep and often sync
    to a cloud backup."""
    name = settings.SITE_NAME.replace(":", "")
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode().rstrip("="),
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{quote(name)}?{params}&issuer={quote(name)}"


def totp_qr_svg(*, device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG, drawn on our server (no third-party service)."""
    return segno.make(totp_config_url(device=device), error="m").svg_inline(
        scale=5, dark="#10212f", light="#ffffff"
    )


@transaction.atomic
def two_factor_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending authenticator with a code; return fresh backup codes, or None."""
    if not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    roles.forget(user)
    backup, _ = BackupCodeDevice.objects.get_or_create(user=user, defaults={"name": "Backup codes"})
    return backup.generate_codes()


def _devices_for(user: User, code: str) -> tuple[str, list, str]:
    """The kind the code's shape belongs to, that kind's devices, and the code as they take it."""
    code = "".join(str(code).split())
    if TOTP_CODE.match(code):
        return "authenticator", list(TOTPDevice.objects.filter(user=user, confirmed=True)), code
    if (backup := normalise_backup_code(code)) is not None:
        return "backup", list(BackupCodeDevice.objects.filter(user=user, confirmed=True)), backup
    return "neither", [], code


def second_factor_refusal(*, user: User, code: str) -> str:
    """What to tell the person whose code was refused: by the code's shape, and how long the
    back-off still runs. Never whether a code was used before: that would be a memory of it."""
    kind, devices, _ = _devices_for(user, code)
    if kind == "neither":
        return (
            "Type the 6 digits your authenticator app shows, or one of your backup codes "
            "(12 letters and digits, like 3f9a1c-07be42)."
        )
    waits = [
        (data["locked_until"] - timezone.now()).total_seconds()
        for allowed, data in (device.verify_is_allowed() for device in devices)
        if not allowed and data and "locked_until" in data
    ]
    if kind == "authenticator":
        message = "That code did not match. Codes change every 30 seconds: type the newest one."
    else:
        message = "That backup code did not match. Check it against your list: each works once."
    if waits:
        seconds = max(1, math.ceil(max(waits)))
        message += f" For your safety, wait {seconds} second{'s' if seconds > 1 else ''} first."
    return message


def second_factor_verify(*, user: User, code: str) -> TOTPDevice | BackupCodeDevice | None:
    """The device that accepts `code`, tried only against the kind the code's shape belongs to.

    django-otp's `match_token` tries every device in turn, so a backup code first fails as a
    TOTP code and leaves the authenticator's row with a failure time: a stored trace of a
    sign-in. Here a 6-digit code goes to the authenticator and a backup-shaped one to the
    backup codes; anything else to neither (and writes nothing).
    """
    _, devices, code = _devices_for(user, code)
    return next((device for device in devices if device.verify_token(code)), None)


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    backup, _ = BackupCodeDevice.objects.get_or_create(user=user, defaults={"name": "Backup codes"})
    return backup.generate_codes()


@transaction.atomic
def two_factor_remove(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    BackupCodeDevice.objects.filter(user=user).delete()
    roles.forget(user)


def invitation_accept(*, user: User, password: str) -> None:
    """Set the invited officer's first password (validated); the link is spent by the change."""
    validate_password(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])


def sessions_end_everywhere(*, user: User) -> None:
    """End every session of the account, on every device: its session value is replaced, and
    every session cookie carries an HMAC of the old one (wnwa.accounts.sessions)."""
    user.session_token = new_session_token()
    user.save(update_fields=["session_token"])


@transaction.atomic
def retiree_access_end(*, user: User) -> None:
    """A retiree ends their own access (docs/product.md, "Retired officers"): deactivated as any
    officer is (signed out everywhere, any listing gone at once, the account erased after the
    retention period by `purge_deactivated`). Only retirees: serving officers' access is their
    department's to end."""
    if not user.is_retired:
        raise ValueError("Only a retired officer ends their own access.")
    user.is_active, user.deactivated_on = False, timezone.localdate()
    user.session_token = new_session_token()
    user.save(update_fields=["is_active", "deactivated_on", "session_token"])
    families_release(officer_ids=[user.pk])  # their family keeps access for a grace period
