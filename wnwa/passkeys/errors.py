"""Refusals of a passkey ceremony, in words a person can act on, each with a 4xx status.

The library's JavaScript shows `detail` beside the button; a refusal never names an account.
"""

from django_otp_webauthn.exceptions import OTPWebAuthnApiError

TRY_AGAIN = "Tap the button to try again, or sign in with your password."


class PasskeyRefused(OTPWebAuthnApiError):
    status_code = 400
    default_code = "refused"
    default_detail = f"Your passkey's answer could not be checked. {TRY_AGAIN}"


class Malformed(PasskeyRefused):
    default_code = "malformed"


class Spent(PasskeyRefused):
    """No challenge in this session, one older than its lifetime, or one already answered
    (a replay with a copy of the cookie that carried it)."""

    default_code = "spent"
    default_detail = f"This passkey request has already been used or has expired. {TRY_AGAIN}"


class NotFound(PasskeyRefused):
    """No account here has this passkey: removed, or made for another site."""

    status_code = 400
    default_code = "not_found"
    default_detail = (
        "This passkey is not on any account here: it may have been removed, or it belongs to "
        "another site. Sign in with your password, then add a passkey on your account page."
    )


class OtherAccount(PasskeyRefused):
    status_code = 403
    default_code = "other_account"
    default_detail = "This passkey belongs to another account. Use a passkey of your own."


class AccountClosed(PasskeyRefused):
    status_code = 403
    default_code = "account_closed"
    default_detail = (
        "This account is closed. If you think that is a mistake, ask your department's "
        "peer-support coordinator."
    )


class AlreadyAdded(PasskeyRefused):
    status_code = 409
    default_code = "already_added"
    default_detail = "This passkey is already on an account here. You can use it to sign in."


class ProofTooOld(PasskeyRefused):
    status_code = 403
    default_code = "proof_too_old"
    default_detail = (
        "For your safety, confirm your password again before adding a passkey: reload this page."
    )


class NotSignedIn(PasskeyRefused):
    status_code = 403
    default_code = "not_signed_in"
    default_detail = "Sign in first, then add a passkey on your account page."


class NotVerified(PasskeyRefused):
    status_code = 403
    default_code = "not_verified"
    default_detail = "Give your second factor first, then add a passkey."


class TooMany(PasskeyRefused):
    """Past the sign-in limits of this address (settings.PASSKEY_SIGN_IN_RATE_LIMIT)."""

    status_code = 429
    default_code = "rate_limited"
    default_detail = "Too many passkey sign-ins from here. Wait a minute, then try again."
