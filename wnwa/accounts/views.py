import textwrap

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_safe
from django_otp import login as otp_login

from wnwa.accounts import families, roles, services
from wnwa.accounts.access import public, role_required, signed_in
from wnwa.accounts.forms import (
    CodeForm,
    EndAccessForm,
    FamilyInviteForm,
    SetupCodeForm,
    WithdrawForm,
)
from wnwa.accounts.invitations import user_for_invitation_token
from wnwa.accounts.models import BackupCodeDevice, FamilyAccount
from wnwa.lib.forms import post_data

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _safe_next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@signed_in
@require_safe
def account(request):
    backup = BackupCodeDevice.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/account.html",
        {
            "has_two_factor": roles.has_two_factor(request.user),
            "has_passkey": roles.has_passkey(request.user),
            # Staff are asked after their password for any second factor they have, a passkey
            # too (roles.can_give_second_factor); officers only for an authenticator's code.
            "passkey_second_factor": roles.requires_two_factor(request.user)
            and roles.can_give_second_factor(request.user),
            "two_factor_required": roles.requires_two_factor(request.user),
            "backup_codes_left": backup.codes.count() if backup else 0,
            "is_retiree": roles.is_retiree(request.user),
            "is_officer": roles.is_officer(request.user),
            "family_count": families.family_of(request.user).count()
            if roles.is_officer(request.user)
            else 0,
            "family": roles.family_account_of(request.user),
        },
    )


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_setup(request):
    if roles.has_two_factor(request.user):
        messages.info(request, "Two-factor sign-in is already on.")
        return redirect("accounts:account")
    device = services.totp_pending_device(user=request.user)
    form = SetupCodeForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        codes = services.two_factor_confirm(
            user=request.user, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            otp_login(request, device)
            return render(
                request,
                "accounts/backup_codes.html",
                {"codes": codes, "first_time": True, "continue_to": _safe_next(request)},
            )
        form.add_error(
            "code", "That code did not match. Check the time on your phone and try the newest code."
        )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": services.totp_qr_svg(device=device),
            "otpauth_url": services.totp_config_url(device=device),  # the QR code's own link
            "secret": " ".join(textwrap.wrap(device.base32_key, 4)),
            "required": roles.requires_two_factor(request.user),
            "next": _safe_next(request, ""),
        },
    )


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_verify(request):
    if request.user.is_verified():
        return redirect(_safe_next(request))
    if not roles.can_give_second_factor(request.user):
        return redirect("accounts:two-factor-setup")
    form = CodeForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error(
            "code",
            services.second_factor_refusal(user=request.user, code=form.cleaned_data["code"]),
        )
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request, "")}
    )


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def backup_codes(request):
    if not request.user.is_verified():
        return redirect("accounts:two-factor-verify")
    if request.method == "POST":
        codes = services.backup_codes_regenerate(user=request.user)
        return render(request, "accounts/backup_codes.html", {"codes": codes, "first_time": False})
    return render(request, "accounts/backup_codes_confirm.html")


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_remove(request):
    if roles.requires_two_factor(request.user):
        raise PermissionDenied("Two-factor sign-in is required for your role.")
    if request.method == "POST":
        services.two_factor_remove(user=request.user)
        messages.success(
            request, "Two-factor sign-in is off. You can turn it on again at any time."
        )
        return redirect("accounts:account")
    return render(request, "accounts/two_factor_remove.html")


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def sign_out_everywhere(request):
    if request.method == "POST":
        services.sessions_end_everywhere(user=request.user)
        logout(request)
        messages.success(
            request,
            "You are signed out on every phone and computer, this one too. "
            "Sign in again whenever you need the network.",
        )
        return redirect("account_login")
    return render(request, "accounts/sign_out_everywhere.html")


@role_required(roles.Role.RETIREE, roles.Role.FAMILY)
@require_http_methods(["GET", "HEAD", "POST"])
def end_access(request):
    """A retiree or a family member ends their own access, after a page that says what follows
    and a tick."""
    is_family = roles.family_account_of(request.user) is not None
    if not roles.is_retiree(request.user) and not is_family:
        raise PermissionDenied  # network admins pass every role check; this is not theirs
    form = EndAccessForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        if is_family:
            families.family_access_end(user=request.user)
        else:
            services.retiree_access_end(user=request.user)
        logout(request)
        thanks = "" if is_family else " Thank you for your service."
        messages.success(
            request,
            f"Your access has ended and you are signed out.{thanks} If you need someone to talk "
            "to, the crisis lines on this page are open to everyone.",
        )
        return redirect("account_login")
    return render(
        request,
        "accounts/end_access.html",
        {"form": form, "retention_days": settings.RETENTION_DAYS, "is_family": is_family},
    )


def _inviting_officer(request):
    # Network admins pass every role check, but only an officer has a family to invite.
    if not roles.is_officer(request.user):
        raise PermissionDenied
    return request.user


@role_required(roles.Role.OFFICER)
@require_http_methods(["GET", "HEAD", "POST"])
def family(request):
    """An officer or retiree invites adult family members and sees whom they invited."""
    officer = _inviting_officer(request)
    form = FamilyInviteForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            families.family_invite(
                officer=officer,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                relation=form.cleaned_data["relation"],
            )
        except families.FamilyInviteRefused as refusal:
            form.add_error("email", str(refusal))
        else:
            messages.success(
                request,
                f"The invitation is on its way to {form.cleaned_data['email']}. Its link works "
                f"for {settings.INVITATION_MAX_AGE_DAYS} days.",
            )
            return redirect("accounts:family")
    invited = list(families.family_of(officer))
    return render(
        request,
        "accounts/family.html",
        {
            "form": form,
            "invited": invited,
            "limit": settings.FAMILY_INVITES,
            "room": len(invited) < settings.FAMILY_INVITES,
            "grace_days": settings.FAMILY_GRACE_DAYS,
            "days": settings.INVITATION_MAX_AGE_DAYS,
        },
    )


@role_required(roles.Role.OFFICER)
@require_http_methods(["GET", "HEAD", "POST"])
def family_withdraw(request, pk: int):
    """Withdraw an invitation, or end a family account the officer invited."""
    officer = _inviting_officer(request)
    invited = families.family_of(officer).filter(user_id=pk).first()
    if invited is None:
        raise Http404
    form = WithdrawForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        pending = invited.user.is_invited
        families.family_withdraw(officer=officer, user_id=pk)
        messages.success(
            request,
            "The invitation is withdrawn: its link no longer works."
            if pending
            else "Their family account has ended; they are signed out everywhere.",
        )
        return redirect("accounts:family")
    return render(request, "accounts/family_withdraw.html", {"form": form, "invited": invited})


@public
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, token: str):
    user = user_for_invitation_token(token)
    if user is None:
        return render(request, "accounts/invitation_invalid.html", status=400)
    form = SetPasswordForm(user, post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, "Your account is ready. Welcome to the network.")
            return redirect("home")
    is_family = FamilyAccount.objects.filter(user=user).exists()
    return render(
        request,
        "accounts/invitation.html",
        {"form": form, "invited": user, "is_family": is_family},
    )
