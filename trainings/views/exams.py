"""The exam as the trainee sees it: starting, sitting, the score, the certificate."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from trainings import services
from trainings.forms import ExamForm
from trainings.models import Certification, ExamAttempt, Registration
from trainings.services.exams import exam_link_find
from wnwa.accounts import roles
from wnwa.accounts.access import public, signed_in
from wnwa.lib.forms import post_data

# Attempts and certificates opened through an emailed link in this browser (signed cookie).
ATTEMPTS_KEY = "trainings_attempts"
CERTIFICATES_KEY = "trainings_certificates"


def _remember(request, key: str, pk: int) -> None:
    request.session[key] = [*request.session.get(key, [])[-9:], pk]


def _is_own_email(request, email: str) -> bool:
    user = request.user
    return user.is_authenticated and user.email.lower() == email.lower()


def _attempt_for(request, pk: int) -> ExamAttempt:
    """The attempt, if it is this person's (by account email or by the link they used); else 404:
    another person's attempt does not exist as far as the asker can tell."""
    attempt = get_object_or_404(
        ExamAttempt.objects.select_related("registration__session__course"), pk=pk
    )
    if pk in request.session.get(ATTEMPTS_KEY, []) or _is_own_email(
        request, attempt.registration.email
    ):
        return attempt
    raise Http404


@public
@require_http_methods(["GET", "HEAD", "POST"])
def exam_link(request, token: str):
    """GET only shows the page (mail scanners open links); POST spends the link."""
    link = exam_link_find(token)
    if link is None:
        return render(request, "trainings/link_invalid.html", status=400)
    if request.method == "POST":
        try:
            attempt = services.exam_link_redeem(token=token, today=timezone.localdate())
        except services.ExamRefused as error:
            return render(
                request, "trainings/exam_refused.html", {"reason": error.messages[0]}, status=403
            )
        _remember(request, ATTEMPTS_KEY, attempt.pk)
        return redirect("trainings:exam-attempt", pk=attempt.pk)
    return render(
        request,
        "trainings/exam_start.html",
        {"registration": link.registration, "used": link.used_at is not None},
    )


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def exam_start(request, pk: int):
    registration = get_object_or_404(Registration.objects.select_related("session__course"), pk=pk)
    if not _is_own_email(request, registration.email):
        raise Http404
    if request.method == "POST":
        try:
            attempt = services.exam_start(registration=registration, today=timezone.localdate())
        except services.ExamRefused as error:
            return render(
                request, "trainings/exam_refused.html", {"reason": error.messages[0]}, status=403
            )
        return redirect("trainings:exam-attempt", pk=attempt.pk)
    return render(
        request,
        "trainings/exam_start.html",
        {
            "registration": registration,
            "refusal": services.exam_refusal(registration=registration, today=timezone.localdate()),
        },
    )


@public
@require_http_methods(["GET", "HEAD", "POST"])
def exam_attempt(request, pk: int):
    attempt = _attempt_for(request, pk)
    if attempt.is_submitted:
        return redirect("trainings:exam-result", pk=attempt.pk)
    form = ExamForm(post_data(request), attempt=attempt)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.exam_submit(
                attempt=attempt, answers=form.answers(), today=timezone.localdate()
            )
        except services.ExamRefused as error:
            return render(
                request, "trainings/exam_refused.html", {"reason": error.messages[0]}, status=403
            )
        return redirect("trainings:exam-result", pk=attempt.pk)
    return render(
        request,
        "trainings/exam.html",
        {"attempt": attempt, "form": form},
        status=400 if form.tampered else 200,
    )


@public
@require_safe
def exam_result(request, pk: int):
    attempt = _attempt_for(request, pk)
    if not attempt.is_submitted:
        return redirect("trainings:exam-attempt", pk=attempt.pk)
    registration = attempt.registration
    certification = None
    if attempt.passed:
        certification = Certification.objects.filter(
            source=Certification.Source.EXAM,
            session=registration.session,
            email__iexact=registration.email,
        ).first()
        if certification and not _is_own_email(request, registration.email):
            _remember(request, CERTIFICATES_KEY, certification.pk)
    return render(
        request,
        "trainings/exam_result.html",
        {
            "attempt": attempt,
            "certification": certification,
            "refusal": services.exam_refusal(registration=registration, today=timezone.localdate()),
        },
    )


@public
@require_safe
def certificate(request, pk: int):
    """A printable certificate: for its holder, training staff, or the browser that just passed."""
    certification = get_object_or_404(
        Certification.objects.select_related("person", "course", "session"),
        pk=pk,
        status=Certification.Status.VERIFIED,
    )
    user = request.user
    allowed = (
        pk in request.session.get(CERTIFICATES_KEY, [])
        or (user.is_authenticated and certification.person_id == user.pk)
        or roles.has_role(user, roles.Role.TRAINING_STAFF)
    )
    if not allowed:
        raise Http404
    return render(request, "trainings/certificate.html", {"certification": certification})
