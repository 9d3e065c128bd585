"""Pages of the professionals app: the public application, vetting, the officers' directory."""

import datetime
import hashlib

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from professionals import selectors, services
from professionals.forms import (
    DOCUMENT_MAX_BYTES,
    ApplicationForm,
    AssessmentForm,
    DirectoryFilterForm,
    LicenceFormSet,
    ReconfirmForm,
)
from professionals.models import Application, Assessment, Document
from wnwa.accounts import roles
from wnwa.accounts.access import public, role_required
from wnwa.accounts.roles import Role
from wnwa.lib import ratelimit
from wnwa.lib.forms import post_data, post_files
from wnwa.lib.uploads import private_file_response, takes_files

PER_PAGE = 20
THANKS_SALT = "professionals.apply.thanks"


def _application_allowed(request) -> bool:
    """Count this application; False once the address has sent too many in the window."""
    return ratelimit.allow(
        request,
        scope="professional-application",
        limit=settings.PROFESSIONAL_APPLICATIONS_PER_WINDOW,
        window_seconds=settings.PROFESSIONAL_APPLICATIONS_WINDOW_SECONDS,
    )


def _failure_limit() -> dict:
    """Refused applications count on their own, higher limit (wnwa.lib.ratelimit.spent)."""
    return {
        "scope": "professional-application-failed",
        "limit": settings.PROFESSIONAL_APPLICATIONS_FAILED_PER_WINDOW,
        "window_seconds": settings.PROFESSIONAL_APPLICATIONS_WINDOW_SECONDS,
    }


@role_required(Role.OFFICER, Role.FAMILY, Role.VETTER)
@require_safe
def directory(request):
    """Read-only: nothing about the search is stored, logged or counted (docs/privacy.md). A
    family member sees the professionals who see officers' families, and may widen the list."""
    for_family = roles.is_family_member(request.user) and not roles.is_officer(request.user)
    form = DirectoryFilterForm(request.GET or None, for_family=for_family)
    filters = form.filters() if form.is_bound else {}
    professionals = selectors.directory_search(filters=filters, for_family=for_family)
    page = Paginator(professionals, PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "filters": filters, "for_family": for_family}
    return render(request, "professionals/directory.html", context)


@takes_files(*[DOCUMENT_MAX_BYTES] * len(ApplicationForm.DOCUMENT_KINDS))
@public
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request):
    posted = request.method == "POST"
    form = ApplicationForm(post_data(request), post_files(request))
    licences = LicenceFormSet(post_data(request), prefix="licence")
    reattach: list[str] = []
    if posted:
        if form.is_spam:
            return redirect("professionals:apply-thanks")  # say nothing useful to a robot
        if ratelimit.spent(request, **_failure_limit()):
            return render(request, "429.html", status=429)
        if form.is_valid() and licences.is_valid():
            if not _application_allowed(request):
                return render(request, "429.html", status=429)
            application = services.application_submit(
                professional_fields=form.professional_fields(),
                telehealth_states=form.cleaned_data["telehealth_states"],
                specialties=form.cleaned_data["specialties"],
                languages=form.cleaned_data["languages"],
                insurance_carriers=form.cleaned_data["insurance_carriers"],
                licences=licences.licences(),
                documents=form.documents(),
            )
            token = signing.dumps(application.reference, salt=THANKS_SALT)
            return redirect(f"{reverse('professionals:apply-thanks')}?r={token}")
        ratelimit.allow(request, **_failure_limit())  # count the refusal
        reattach = form.files_to_attach_again()
    context = {"form": form, "licences": licences, "reattach": reattach}
    return render(request, "professionals/apply.html", context)


@public
@require_safe
def apply_thanks(request):
    try:
        reference = signing.loads(request.GET.get("r", ""), salt=THANKS_SALT, max_age=3600)
    except signing.BadSignature:
        reference = None
    return render(request, "professionals/apply_thanks.html", {"reference": reference})


@role_required(Role.VETTER)
@require_safe
def queue(request):
    status = request.GET.get("status")
    if status not in Application.Status.values:
        status = Application.Status.NEW
    counts = selectors.queue_counts()
    today = timezone.localdate()
    context = {
        "status": status,
        "status_label": Application.Status(status).label,
        "statuses": [(value, label, counts[value]) for value, label in Application.Status.choices],
        "applications": selectors.applications_in(status=status),
        "overdue": selectors.overdue_listings(today=today),
        "expiring": selectors.expiring_licences(today=today),
        "today": today,
        "hidden_after": selectors.HIDDEN_AFTER_DAYS,
        "hidden_before": today - datetime.timedelta(days=selectors.HIDDEN_AFTER_DAYS),
    }
    return render(request, "professionals/queue.html", context)


def _application_or_404(reference: str) -> Application:
    return get_object_or_404(
        Application.objects.select_related("professional", "decided_by", "reopened_by"),
        reference=reference,
    )


@role_required(Role.VETTER)
@require_safe
def application(request, reference: str):
    application = _application_or_404(reference)
    professional = application.professional
    assessments = application.assessments.select_related("vetter").order_by("-round", "recorded_at")
    context = {
        "application": application,
        "professional": professional,
        "assessments": assessments,
        "tally": selectors.tally(application=application),
        "method": selectors.suggested_method(professional=professional),
        "metro": selectors.is_metro(state=professional.state, county=professional.county),
        "min_approvals": settings.VETTING_MIN_APPROVALS,
        "own": next(
            (
                a
                for a in assessments
                if a.vetter_id == request.user.pk and a.round == application.round
            ),
            None,
        ),
    }
    return render(request, "professionals/application.html", context)


@role_required(Role.VETTER)
@require_http_methods(["GET", "HEAD", "POST"])
def assess(request, reference: str):
    """Record or correct one's assessment. One that would decide the application, or defer,
    is shown first with the email the applicant would get; it is recorded only once the vetter
    confirms what they read (the digest of that preview comes back with the confirmation)."""
    application = _application_or_404(reference)
    if not application.is_open:
        messages.info(request, "This application has been decided. Reopen it to assess again.")
        return redirect("professionals:application", reference=reference)
    own = selectors.own_assessment(application=application, vetter=request.user)
    method = selectors.suggested_method(professional=application.professional)
    initial = {} if own else {"method": method, "assessed_on": timezone.localdate()}
    if not own:
        initial["sees_families"] = application.professional.sees_families
    form = AssessmentForm(post_data(request), instance=own, initial=initial)
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        data = {name: form.cleaned_data[name] for name in AssessmentForm.Meta.fields}
        proposed = Assessment(
            application=application, vetter=request.user, round=application.round, **data
        )
        preview = services.outcome_preview(application=application, assessment=proposed)
        digest = _preview_digest(preview)
        confirmed = request.POST.get("confirm")
        deferring = proposed.recommendation == Assessment.Recommendation.DEFER
        if (preview or deferring) and confirmed != digest:
            context = {
                "application": application,
                "form": form,
                "proposed": proposed,
                "preview": preview,
                "digest": digest,
                "changed": confirmed is not None,
            }
            return render(request, "professionals/assess_confirm.html", context)
        try:
            services.assessment_record(application=application, vetter=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            application.refresh_from_db()
            messages.success(request, _assessment_message(application, corrected=bool(own)))
            return redirect("professionals:application", reference=reference)
    context = {
        "application": application,
        "form": form,
        "own": own,
        "method": method,
        "min_approvals": settings.VETTING_MIN_APPROVALS,
    }
    return render(request, "professionals/assess.html", context)


def _preview_digest(preview: EmailMessage | None) -> str:
    """What the vetter was shown, in short: the confirmation must name the same email."""
    shown = "" if preview is None else f"{preview.subject}\n{preview.body}"
    return hashlib.sha256(shown.encode()).hexdigest()[:32]


def _assessment_message(application: Application, *, corrected: bool) -> str:
    done = "Assessment corrected." if corrected else "Assessment recorded."
    if application.status == Application.Status.APPROVED:
        return f"{done} With this consensus the professional is now listed."
    if application.status == Application.Status.DEFERRED:
        return f"{done} The application is deferred; the applicant has been emailed."
    return f"{done} The application waits for more assessments."


@role_required(Role.VETTER)
@require_http_methods(["GET", "HEAD", "POST"])
def reopen(request, reference: str):
    application = _application_or_404(reference)
    if application.status != Application.Status.DEFERRED:
        messages.info(request, "Only a deferred application can be reopened.")
        return redirect("professionals:application", reference=reference)
    if request.method == "POST":
        services.application_reopen(application=application, vetter=request.user)
        messages.success(request, "Reopened. Earlier assessments stay on file; assess afresh.")
        return redirect("professionals:application", reference=reference)
    return render(request, "professionals/reopen.html", {"application": application})


@role_required(Role.VETTER)
@require_safe
def document(request, pk: int):
    """A document as a download only: never rendered by the browser, never cached."""
    document = get_object_or_404(Document.objects.select_related("application"), pk=pk)
    return private_file_response(
        document.file, filename=document.download_name, content_type=document.content_type
    )


@public
@require_http_methods(["GET", "HEAD", "POST"])
def reconfirm(request, token: str):
    """The page behind an emailed link: confirm or update, no account needed. Single use."""
    link = selectors.reconfirmation_token_for(token)
    if link is None or not link.is_usable():
        return _link_invalid(request)
    professional = link.professional
    form = ReconfirmForm(
        post_data(request),
        initial=ReconfirmForm.initial_for(professional),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.professional_reconfirm(
                token=link,
                changes=form.changes(),
                insurance_carriers=form.cleaned_data["insurance_carriers"],
            )
        except ValidationError:
            return _link_invalid(request)
        return render(request, "professionals/reconfirm_done.html", {"professional": professional})
    context = {"form": form, "professional": professional}
    return render(request, "professionals/reconfirm.html", context)


def _link_invalid(request):
    context = {"link_days": settings.RECONFIRMATION_LINK_DAYS}
    return render(request, "professionals/reconfirm_invalid.html", context, status=400)
