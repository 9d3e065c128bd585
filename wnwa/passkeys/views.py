"""Passkey pages (account) and the JSON endpoints the library's script calls.

The endpoints are django-otp-webauthn's views with three changes: a challenge is refused once
spent, even when a copy of the cookie that carried it comes back (`_SingleUse`); a sign-in goes
through Django's `login()` with the portal's backend, so the session rules of
wnwa.accounts.sessions apply (nonce, officer and staff lifetimes, the staff sign-in time: its
`user_logged_in` receiver, wnwa.accounts.signals) and allauth's record of how the person proved
who they are says "passkey"; and every refusal is a 4xx with words a person can act on.
"""

import json
import time

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.cache import cache
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp_webauthn import exceptions as library
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from wnwa.accounts import roles
from wnwa.accounts.access import public, signed_in
from wnwa.lib import ratelimit
from wnwa.lib.forms import post_data
from wnwa.passkeys import errors, services
from wnwa.passkeys.forms import NameForm
from wnwa.passkeys.models import Passkey

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"

# The library's refusals that have a clearer one of ours.
CLEARER = {
    library.InvalidState: errors.Spent,
    library.MalformedRequest: errors.Malformed,
    library.UnprocessableEntity: errors.PasskeyRefused,
    library.CredentialNotFound: errors.NotFound,
    library.CredentialUserMismatch: errors.OtherAccount,
    library.UserDisabled: errors.AccountClosed,
    library.CredentialDisabled: errors.NotFound,
    library.NotAuthenticated: errors.NotSignedIn,
    library.NotVerified: errors.NotVerified,
}


def spent_key(challenge: str) -> str:
    # The cache's key function makes it a keyed hash (wnwa.lib.cache.private_key).
    return f"passkey:challenge:{challenge}"


class _Refusals:
    def dispatch(self, request, *args, **kwargs):
        # The library checks who is asking before the method: a GET is refused as a GET.
        if request.method != "POST":
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def _parse_request_data(self, request):
        # The library refuses a body that is not JSON, but not one that is no text at all: from
        # bytes such as 00 80 80 json.loads guesses UTF-16, the decoding fails, and that error
        # escaped as a 500. Refused as malformed, like any other body it cannot read.
        try:
            return super()._parse_request_data(request)
        except UnicodeDecodeError as error:
            raise errors.Malformed() from error

    def handle_exception(self, exc):
        if isinstance(exc, library.OTPWebAuthnApiError):
            if type(exc) in CLEARER:
                exc = CLEARER[type(exc)]()
            status = exc.status_code if 400 <= exc.status_code < 500 else 400
            return JsonResponse({"detail": str(exc), "code": exc.code}, status=status)
        raise exc


class _SingleUse(_Refusals):
    """The library pops the challenge from the session, but the session is a signed cookie:
    the client can send the copy that still holds it. So the challenge is refused after its
    lifetime (its issue time is in the signed state), and marked spent in the cache for as
    long as it lives; `add` is atomic, so two requests racing with one challenge cannot both
    pass. While the cache is down a copy could be replayed within those minutes, as a TOTP code
    could (wnwa.lib.cache)."""

    state_key: str

    def get_state(self) -> dict:
        state = self.request.session.pop(self.state_key, None)
        self.request.session.save()
        if not isinstance(state, dict) or not isinstance(state.get("challenge"), str):
            raise errors.Spent()
        lifetime = settings.OTP_WEBAUTHN_TIMEOUT_SECONDS
        age = time.time() - int(state.get("issued_at", 0))
        if not 0 <= age <= lifetime:
            raise errors.Spent()
        if not cache.add(spent_key(state["challenge"]), True, timeout=int(lifetime - age) + 1):
            raise errors.Spent()
        return state


FAILED_SCOPE = "passkey-sign-in-failed"


def _limit(scope: str, setting: str) -> dict:
    return {
        "scope": scope,
        "limit": getattr(settings, setting),
        "window_seconds": settings.PASSKEY_SIGN_IN_RATE_WINDOW_SECONDS,
    }


class _Limited:
    """The sign-in endpoints answer an address only so often, as the password sign-in does
    (settings.PASSKEY_SIGN_IN_RATE_LIMIT); refused answers count on their own, lower limit,
    and once spent both endpoints refuse for the rest of the window."""

    scope: str

    def initial(self, request, *args, **kwargs):
        # Before anything is read of the request (the library's hook, after parsing its body).
        failed = _limit(FAILED_SCOPE, "PASSKEY_SIGN_IN_FAILED_RATE_LIMIT")
        if ratelimit.spent(request, **failed) or not ratelimit.allow(
            request, **_limit(self.scope, "PASSKEY_SIGN_IN_RATE_LIMIT")
        ):
            raise errors.TooMany()
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, library.OTPWebAuthnApiError) and not isinstance(exc, errors.TooMany):
            # A refusal (malformed, replayed, unknown passkey) counts towards the lower limit.
            failed = _limit(FAILED_SCOPE, "PASSKEY_SIGN_IN_FAILED_RATE_LIMIT")
            ratelimit.allow(self.request, **failed)
        return super().handle_exception(exc)


class SignInBegin(_Limited, _Refusals, BeginCredentialAuthenticationView):
    scope = "passkey-sign-in-begin"


class SignInComplete(_Limited, _SingleUse, CompleteCredentialAuthenticationView):
    state_key = "otp_webauthn_authentication_state"
    scope = "passkey-sign-in-complete"

    def complete_auth(self, device: Passkey):
        if not self.request.user.is_authenticated:
            # A passkey with user verification is both factors (README, "Passkeys").
            login(self.request, device.user, backend=BACKEND)
        otp_login(self.request, device)
        record_authentication(self.request, self.request.user, method="passkey")


def _held(request) -> bool:
    """Owes a second factor it has: give it first (the middleware lets the adding pages through
    for staff enrolling a passkey instead of an authenticator)."""
    return roles.owes_second_factor(request.user) and roles.can_give_second_factor(request.user)


class _ProofRequired:
    """A borrowed unlocked phone cannot add a passkey: a password or passkey within minutes.

    The library also refuses anyone with a device who has not given it this session; but an
    officer's passkey is no factor they owe, so after their password they may add another.
    Only someone held at the second factor is refused."""

    def user_is_mfa_enrolled(self, user) -> bool:
        return _held(self.request)

    def check_can_register(self):
        if _held(self.request):
            raise errors.NotVerified()
        if not services.recent_proof(self.request):
            raise errors.ProofTooOld()


class AddBegin(_Refusals, _ProofRequired, BeginCredentialRegistrationView):
    pass


# Backup codes given as a passkey is added, kept in the session until the naming page shows
# them once. The session is a signed cookie the person's own browser holds: anyone holding it is
# signed in as them, second factor given, and could make new codes anyway.
NEW_BACKUP_CODES = "passkeys:new_backup_codes"


class AddComplete(_SingleUse, _ProofRequired, CompleteCredentialRegistrationView):
    state_key = "otp_webauthn_register_state"

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        # Given now, not on the naming page's Save: someone who leaves that page unsaved has
        # their codes all the same (they are shown on it, once).
        if response.status_code == 200 and services.backup_codes_owed(self.request.user):
            self.request.session[NEW_BACKUP_CODES] = services.backup_codes_give(
                user=self.request.user
            )
        return response


sign_in_begin = public(SignInBegin.as_view())
sign_in_complete = public(SignInComplete.as_view())
add_begin = signed_in(AddBegin.as_view())
add_complete = signed_in(AddComplete.as_view())


def script_configuration(request) -> str:
    """What the library's script reads (its `otp_webauthn_config`), with our endpoints, as JSON
    for the text of a hidden element (the library reads the element's text; a `<script>` data
    block would be the one script on the page without a source)."""
    return json.dumps(
        {
            "autocompleteLoginFieldSelector": None,
            "nextFieldSelector": "input[name='next']",
            "csrfToken": get_token(request),
            "beginAuthenticationUrl": reverse("passkeys:sign-in-begin"),
            "completeAuthenticationUrl": reverse("passkeys:sign-in-complete"),
            "beginRegistrationUrl": reverse("passkeys:add-begin"),
            "completeRegistrationUrl": reverse("passkeys:add-complete"),
        }
    )


@signed_in
@require_http_methods(["GET", "HEAD"])
def add(request):
    if _held(request):
        return redirect("accounts:two-factor-verify")
    if not services.recent_proof(request):
        # allauth's "Confirm it is you" page, back here afterwards.
        query = urlencode({"next": reverse("passkeys:add")})
        return redirect(f"{reverse('account_reauthenticate')}?{query}")
    return render(
        request,
        "passkeys/add.html",
        {
            "passkey_config": script_configuration(request),
            "name_url": reverse("passkeys:name", args=[0]),
        },
    )


def _own(request, pk: int) -> Passkey:
    return get_object_or_404(Passkey, pk=pk, user=request.user)


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def name(request, pk: int):
    if _held(request):
        return redirect("accounts:two-factor-verify")
    passkey = _own(request, pk)
    form = NameForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        services.rename(passkey=passkey, name=form.cleaned_data["name"])
        if services.backup_codes_owed(request.user):  # none given when it was added
            codes = services.backup_codes_give(user=request.user)
            return render(
                request,
                "accounts/backup_codes.html",
                {"codes": codes, "first_time": True, "continue_to": reverse("accounts:account")},
            )
        messages.success(request, f"Passkey “{passkey.name}” added.")
        return redirect("accounts:account")
    # The codes given as it was added: shown this once, on the page the script opens next.
    codes = request.session.pop(NEW_BACKUP_CODES, None)
    return render(request, "passkeys/name.html", {"passkey": passkey, "form": form, "codes": codes})


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def remove(request, pk: int):
    passkey = _own(request, pk)
    refusal = services.removal_refusal(passkey=passkey)
    if request.method == "POST" and refusal is None:
        services.remove(passkey=passkey)
        messages.success(request, f"Passkey “{passkey.name}” removed.")
        return redirect("accounts:account")
    return render(
        request,
        "passkeys/remove.html",
        {"passkey": passkey, "refusal": refusal},
        status=409 if request.method == "POST" else 200,
    )
