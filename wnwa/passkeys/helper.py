"""django-otp-webauthn's helper (OTP_WEBAUTHN_HELPER_CLASS), changed where the portal's promise
asks it (docs/privacy.md, rules 1 and 4):

- a sign-in writes nothing: the library saves `sign_count`, `last_used_at` and `backup_state`
  on every use; here the passkey's row is only read;
- only what verification needs is stored: no attestation (the authenticator's make, the client
  data of the registration), none of the fields wnwa.passkeys.models removes;
- the phone's password manager is told the site's name, never the work email (the library
  names the passkey after the username);
- user verification (face, fingerprint, screen lock) is required to add a passkey and to sign in
  with one; a passkey is always discoverable, so signing in needs no email typed;
- every challenge carries the time it was issued, so it can be refused after its lifetime.

Relying party and origins come from settings (wnwa/settings.py, "Passkeys").
"""

from __future__ import annotations

import binascii
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnUserHandle
from webauthn import base64url_to_bytes, verify_authentication_response
from webauthn.helpers import (
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)
from webauthn.registration.verify_registration_response import verify_registration_response

from wnwa.passkeys import errors
from wnwa.passkeys.models import Passkey

# What a hostile body can make the parsers raise, besides py_webauthn's own exceptions.
BAD_INPUT = (WebAuthnException, ValueError, TypeError, KeyError, binascii.Error, OverflowError)


def default_name(user) -> str:
    """'Passkey 2': never the email, which the library would use."""
    return f"Passkey {Passkey.objects.filter(user=user).count() + 1}"


class PasskeyHelper(WebAuthnHelper):
    def get_relying_party_domain(self) -> str:
        return settings.OTP_WEBAUTHN_RP_ID

    def get_relying_party_name(self) -> str:
        return settings.OTP_WEBAUTHN_RP_NAME

    def get_allowed_origins(self) -> list[str]:
        return list(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)

    # What the phone's password manager (and its cloud sync) keeps beside the passkey.
    def get_credential_name(self, user) -> str:
        return settings.SITE_NAME

    def get_credential_display_name(self, user) -> str:
        return settings.SITE_NAME

    def get_discoverable_credentials_preference(self) -> ResidentKeyRequirement:
        return ResidentKeyRequirement.REQUIRED

    def get_generate_registration_options_kwargs(self, *, user) -> dict:
        options = super().get_generate_registration_options_kwargs(user=user)
        options["authenticator_selection"] = AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            require_resident_key=True,
            user_verification=UserVerificationRequirement.REQUIRED,
        )
        return options

    def get_registration_state(self, creation_options: dict) -> dict:
        return {**super().get_registration_state(creation_options), "issued_at": int(time.time())}

    def get_authentication_state(self, options: dict) -> dict:
        return {**super().get_authentication_state(options), "issued_at": int(time.time())}

    def register_complete(self, user, state: dict, data) -> Passkey:
        """Verify the new passkey and keep its id, public key and transports; nothing else."""
        try:
            credential = parse_registration_credential_json(_as_object(data))
            verified = verify_registration_response(
                credential=credential,
                expected_challenge=base64url_to_bytes(state["challenge"]),
                expected_rp_id=self.get_relying_party_domain(),
                expected_origin=self.get_allowed_origins(),
                require_user_verification=True,
            )
        except BAD_INPUT:
            raise errors.Malformed() from None
        transports = [transport.value for transport in credential.response.transports or []]
        passkey = Passkey(
            user=user,
            credential_id=verified.credential_id,
            public_key=verified.credential_public_key,
            transports=transports[:8],
            name=default_name(user),
        )
        passkey.credential_id_sha256 = Passkey.get_credential_id_sha256(verified.credential_id)
        if Passkey.objects.filter(credential_id_sha256=passkey.credential_id_sha256).exists():
            raise errors.AlreadyAdded()
        try:
            with transaction.atomic():
                passkey.save()
        except IntegrityError:  # the same passkey added twice at once
            raise errors.AlreadyAdded() from None
        return passkey

    def authenticate_complete(self, user, state: dict, data) -> Passkey:
        """Check the assertion against the stored public key. Nothing is written: no sign count
        (which is what the library's clone detection needs, README "Passkeys"), no time."""
        try:
            credential = parse_authentication_credential_json(_as_object(data))
        except BAD_INPUT:
            raise errors.Malformed() from None
        try:
            passkey = Passkey.get_by_credential_id(credential.raw_id)
        except Passkey.DoesNotExist:
            raise errors.NotFound() from None
        if user is not None and passkey.user_id != user.pk:
            raise errors.OtherAccount()
        handle = credential.response.user_handle
        if handle is not None and handle != _user_handle(passkey.user_id):
            raise errors.NotFound()
        try:
            verify_authentication_response(
                credential=credential,
                credential_current_sign_count=0,
                credential_public_key=bytes(passkey.public_key),  # memoryview on PostgreSQL
                expected_challenge=base64url_to_bytes(state["challenge"]),
                expected_rp_id=self.get_relying_party_domain(),
                expected_origin=self.get_allowed_origins(),
                require_user_verification=state["require_user_verification"],
            )
        except BAD_INPUT:
            raise errors.PasskeyRefused() from None
        return passkey


def _as_object(data):
    """The parsed JSON body, never a form's fields or a list."""
    if not isinstance(data, dict) or hasattr(data, "getlist"):
        raise errors.Malformed()
    return data


def _user_handle(user_id: int) -> bytes | None:
    hexed = (
        WebAuthnUserHandle.objects.filter(user_id=user_id)
        .values_list("handle_hex", flat=True)
        .first()
    )
    return bytes.fromhex(hexed) if hexed else None
