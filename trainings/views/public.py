"""Public pages: the session list, registration, the interest list, leaving either."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from trainings import selectors, services
from trainings.emails import WITHDRAW_SALT
from trainings.forms import InterestForm, RegistrationForm
from trainings.models import CourseType, Registration, Session
from wnwa.accounts.access import public
from wnwa.lib import ratelimit
from wnwa.lib.forms import post_data


def _allowed(request, form_name: str) -> bool:
    """Count one accepted submission of a public form (each form has its own counter)."""
    return ratelimit.allow(
        request,
        scope=f"trainings-{form_name}",
        limit=settings.TRAININGS_FORM_RATE_PER_HOUR,
        window_seconds=settings.TRAININGS_FORM_RATE_WINDOW_SECONDS,
    )


def _failure_limit(form_name: str) -> dict:
    """Refused submissions count on their own, higher limit (wnwa.lib.ratelimit.spent)."""
    return {
        "scope": f"trainings-{form_name}-failed",
        "limit": settings.TRAININGS_FORM_FAILED_RATE_PER_HOUR,
        "window_seconds": settings.TRAININGS_FORM_RATE_WINDOW_SECONDS,
    }


def _too_many(request):
    return render(request, "429.html", status=429)


@public
@require_safe
def session_list(request):
    return render(
        request,
        "trainings/list.html",
        {
            "sessions": selectors.upcoming_sessions(today=timezone.localdate()),
            "courses": CourseType.objects.all(),
            "interest_form": InterestForm(),
        },
    )


@public
@require_http_methods(["GET", "HEAD", "POST"])
def register(request, pk: int):
    session = get_object_or_404(
        Session.objects.select_related("course"), pk=pk, status=Session.Status.PUBLISHED
    )
    form = RegistrationForm(post_data(request))
    if request.method == "POST":
        if ratelimit.spent(request, **_failure_limit("register")):
            return _too_many(request)
        if form.is_valid():
            if not _allowed(request, "register"):
                return _too_many(request)
            try:
                services.registration_create(session=session, **form.cleaned_data)
            except services.DuplicateRegistration:
                pass  # answered as a new registration: the page tells nobody who is registered
            except ValidationError as error:
                messages.error(request, error.messages[0])
                return redirect("trainings:list")
            context = {"session": session, "email": form.cleaned_data["email"].strip()}
            return render(request, "trainings/registered.html", context)
        else:
            ratelimit.allow(request, **_failure_limit("register"))  # count the refusal
    seats_left = session.capacity - services.registrations.seats_taken(session)
    return render(
        request,
        "trainings/register.html",
        {"session": session, "form": form, "seats_left": max(seats_left, 0)},
    )


@public
@require_http_methods(["GET", "HEAD", "POST"])
def interest(request):
    form = InterestForm(post_data(request))
    if request.method == "POST":
        if ratelimit.spent(request, **_failure_limit("interest")):
            return _too_many(request)
        if form.is_valid():
            if not _allowed(request, "interest"):
                return _too_many(request)
            services.interest_add(email=form.cleaned_data["email"])
            # The same answer whether the address was new: the page reveals nobody's presence.
            messages.success(
                request, "Thank you. We will email you when the next session is published."
            )
            return redirect("trainings:list")
        ratelimit.allow(request, **_failure_limit("interest"))  # count the refusal
    return render(request, "trainings/interest.html", {"form": form})


@public
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    email = services.interest_email_from_token(token)
    if email is None:
        return render(request, "trainings/link_invalid.html", status=400)
    if request.method == "POST":
        services.interest_remove(email=email)
        return render(request, "trainings/unsubscribed.html")
    return render(request, "trainings/unsubscribe.html", {"email": email})


def _registration_from_token(token: str) -> Registration:
    """The registration a withdrawal link names; 404 when the link is forged, older than
    TRAININGS_WITHDRAW_LINK_DAYS, or its session has started (nothing can change then, and the
    page would only show who registered)."""
    max_age = datetime.timedelta(days=settings.TRAININGS_WITHDRAW_LINK_DAYS)
    try:
        pk = signing.loads(token, salt=WITHDRAW_SALT, max_age=max_age)
    except signing.BadSignature as error:  # SignatureExpired included
        raise Http404 from error
    registration = get_object_or_404(Registration.objects.select_related("session__course"), pk=pk)
    if registration.session.starts_on <= timezone.localdate():
        raise Http404
    return registration


@public
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request, token: str):
    registration = _registration_from_token(token)
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Done: your place is freed for the next person. Thank you.")
        return redirect("trainings:list")
    return render(request, "trainings/withdraw.html", {"registration": registration})
