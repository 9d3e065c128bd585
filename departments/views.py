"""Department admin pages: roster, enrollment, compliance.

A department admin acts on their own department only: every object is looked up inside
request.user.department, so another department's officer or preview is a 404.
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_http_methods, require_safe

from departments import designations, services
from departments.forms import (
    AdminRoleForm,
    DesignationForm,
    InvitationResendForm,
    RetirementForm,
    RosterApplyForm,
    RosterSearchForm,
    RosterUploadForm,
)
from departments.models import DESIGNATION_MAX_BYTES, Department, RosterPreview
from departments.roster import FIELDS, LABELS, RosterFileError
from departments.selectors import (
    active_admin_count,
    department_compliance,
    family_account_count,
    invitation_counts,
    invitation_state,
    invitations_to_resend,
    roster_counts,
    roster_fingerprint,
    roster_officers,
)
from wnwa.accounts.access import role_required
from wnwa.accounts.models import User
from wnwa.accounts.roles import Role
from wnwa.lib.csv import csv_download
from wnwa.lib.forms import post_data, post_files
from wnwa.lib.uploads import private_file_response, takes_files

ADMIN = Role.DEPARTMENT_ADMIN
PREVIEW_ROWS_SHOWN = 200
PREVIEW_ERRORS_SHOWN = 1000
MISSING_PER_PAGE = 100


def _department(request) -> Department:
    """The admin's own department. Network admins have none here: they use the Django admin."""
    if request.user.department_id is None:
        raise Http404
    return request.user.department


def _officer(request, officer_id: int) -> User:
    return get_object_or_404(User, pk=officer_id, department=_department(request))


@role_required(ADMIN)
@require_safe
def home(request):
    if request.user.department_id is None and request.user.is_network_admin:
        return redirect("admin:departments_department_changelist")
    department = _department(request)
    search = RosterSearchForm(request.GET or None)
    filters = search.cleaned_data if search.is_valid() else {}
    officers = roster_officers(
        department=department,
        query=filters.get("q", ""),
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
    )
    page = Paginator(officers, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for person in page:
        person.invitation_info = invitation_state(person, today=today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "departments/home.html",
        {
            "department": department,
            "search": search,
            "page": page,
            "counts": roster_counts(department=department),
            "family_accounts": family_account_count(department=department),
            "invitations": invitation_counts(department=department, today=today),
            "query": query.urlencode(),
        },
    )


@role_required(ADMIN)
@require_safe
def officer(request, officer_id: int):
    person = _officer(request, officer_id)
    return render(
        request,
        "departments/officer.html",
        {"officer": person, "invitation": invitation_state(person)},
    )


def _officer_action(request, officer_id: int, action, template: str, done: str):
    """GET asks for confirmation; POST acts, then reports and returns to the officer."""
    person = _officer(request, officer_id)
    if request.method == "POST":
        try:
            action(person)
        except services.OfficerActionRefused as refusal:
            messages.error(request, refusal.messages[0])
        else:
            messages.success(request, done.format(name=person))
        return redirect("departments:officer", officer_id=person.pk)
    return render(request, template, {"officer": person, "retention_days": settings.RETENTION_DAYS})


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def officer_deactivate(request, officer_id: int):
    return _officer_action(
        request,
        officer_id,
        lambda person: services.officer_deactivate(officer=person, by=request.user),
        "departments/officer_deactivate.html",
        "{name} is deactivated and signed out.",
    )


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def officer_reactivate(request, officer_id: int):
    return _officer_action(
        request,
        officer_id,
        lambda person: services.officer_reactivate(officer=person),
        "departments/officer_reactivate.html",
        "{name} is active again.",
    )


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def officer_invite(request, officer_id: int):
    return _officer_action(
        request,
        officer_id,
        lambda person: services.invitation_resend(officer=person),
        "departments/officer_invite.html",
        "A new invitation is on its way to {name}.",
    )


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def invitations(request):
    """Invitations not accepted, by state, and "send again to everyone who has not accepted"
    with the count shown first and confirmed (the service checks it again)."""
    department = _department(request)
    waiting = invitations_to_resend(department=department).count()
    form = InvitationResendForm(post_data(request), initial={"expected": waiting})
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.invitations_resend_all(
                department=department, expected=form.cleaned_data["expected"]
            )
        except services.InvitationsChanged as refusal:
            form = InvitationResendForm(initial={"expected": waiting})
            messages.error(request, refusal.messages[0])
        else:
            messages.success(request, _resent_message(sent))
            return redirect("departments:invitations")
    return render(
        request,
        "departments/invitations.html",
        {
            "department": department,
            "counts": invitation_counts(department=department),
            "waiting": waiting,
            "form": form,
            "days": settings.INVITATION_MAX_AGE_DAYS,
        },
    )


def _resent_message(sent: int) -> str:
    if sent == 1:
        return "1 invitation is being sent now; it shows as sent here once it has gone."
    return (
        f"{sent:,} invitations are being sent now, about a hundred every few seconds; each "
        "shows as sent here once it has gone."
    )


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def officer_admin(request, officer_id: int):
    person = _officer(request, officer_id)
    form = AdminRoleForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        make = form.cleaned_data["make"]
        try:
            services.officer_admin_set(officer=person, admin=make)
        except services.OfficerActionRefused as refusal:
            messages.error(request, refusal.messages[0])
            return redirect("departments:officer", officer_id=person.pk)
        messages.success(request, f"{person} is {'now' if make else 'no longer'} an admin.")
        if person.pk == request.user.pk and not make:
            return redirect("home")
        return redirect("departments:officer", officer_id=person.pk)
    return render(
        request,
        "departments/officer_admin.html",
        {"officer": person, "admins": active_admin_count(department=person.department)},
    )


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def officer_retirement(request, officer_id: int):
    """Mark an officer retired (or serving again): GET asks, saying what it means; POST acts."""
    person = _officer(request, officer_id)
    form = RetirementForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        retired = form.cleaned_data["retired"]
        try:
            services.officer_retirement_set(officer=person, retired=retired)
        except services.OfficerActionRefused as refusal:
            messages.error(request, refusal.messages[0])
        else:
            messages.success(
                request,
                f"{person} is {'retired: they keep their access' if retired else 'serving'}.",
            )
        return redirect("departments:officer", officer_id=person.pk)
    return render(request, "departments/officer_retirement.html", {"officer": person})


@takes_files("ROSTER_MAX_BYTES")
@role_required(ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
def roster_upload(request):
    department = _department(request)
    form = RosterUploadForm(
        post_data(request),
        post_files(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            preview = services.roster_preview_create(
                department=department,
                content=form.roster_bytes(),
                file_name=form.cleaned_data["roster"].name,
                full_roster=form.cleaned_data["full_roster"],
                uploader=request.user,
            )
        except RosterFileError as problem:
            form.add_error("roster", problem.messages[0])
        else:
            return redirect("departments:roster-preview", preview_id=preview.pk)
    return render(request, "departments/roster_upload.html", {"form": form})


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def roster_preview(request, preview_id: int):
    department = _department(request)
    preview = get_object_or_404(RosterPreview, pk=preview_id, department=department)
    form = RosterApplyForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            applied = services.roster_apply(
                preview_id=preview.pk,
                department=department,
                by=request.user,
                confirmed_deactivations=form.cleaned_data["confirm_deactivations"],
            )
        except services.RosterConfirmationNeeded as refusal:
            form.add_error(
                "confirm_deactivations",
                f"Type {refusal.count} to confirm that this apply should deactivate "
                f"{refusal.count:,} officer{'' if refusal.count == 1 else 's'}. Nothing was "
                "changed.",
            )
        except services.RosterNotApplicable as refusal:
            messages.error(request, refusal.messages[0])
            return redirect("departments:roster-preview", preview_id=preview.pk)
        else:
            messages.success(request, _applied_message(applied))
            return redirect("departments:home")
    stale = not preview.is_applied and preview.fingerprint != roster_fingerprint(
        department=department
    )
    plan = preview.plan or {}
    # Whoever the file leaves out, deactivated (a whole roster) or untouched (a partial one),
    # is listed in full, a page at a time: at 13,000 officers that is the one list to read.
    missing = plan.get("deactivate") or plan.get("absent") or []
    return render(
        request,
        "departments/roster_preview.html",
        {
            "preview": preview,
            "form": form,
            "stale": stale,
            "guard": None
            if preview.is_applied or stale or preview.errors
            else services.roster_guard(preview=preview, department=department),
            "additions": plan.get("add", [])[:PREVIEW_ROWS_SHOWN],
            "changes": [
                {**entry, "fields": _labelled(entry["fields"])}
                for entry in plan.get("change", [])[:PREVIEW_ROWS_SHOWN]
            ],
            "missing": Paginator(missing, MISSING_PER_PAGE).get_page(request.GET.get("page")),
            "absent_count": len(plan.get("absent", [])),
            "retiring": plan.get("retire", [])[:PREVIEW_ROWS_SHOWN],
            "retirees_absent": plan.get("retirees_absent", 0),
            "errors": preview.errors[:PREVIEW_ERRORS_SHOWN],
            "rows_shown": PREVIEW_ROWS_SHOWN,
            "errors_shown": PREVIEW_ERRORS_SHOWN,
        },
    )


def _applied_message(preview: RosterPreview) -> str:
    """What the apply did, and when the new officers' invitations go out, honestly."""
    retired = f" ({preview.retired:,} marked retired)" if preview.retired else ""
    done = (
        f"Roster applied: {preview.added:,} added, {preview.changed:,} changed{retired}, "
        f"{preview.deactivated:,} deactivated."
    )
    if not preview.added:
        return done
    return (
        f"{done} The new officers' invitations are being sent now, about a hundred every few "
        "seconds. Each officer's invitation shows on the roster once it is sent."
    )


def _labelled(fields: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    return [(LABELS.get(name, "Status"), old, new) for name, (old, new) in fields.items()]


@role_required(ADMIN)
@require_safe
def roster_export(request):
    """The current roster (active, invited and retired officers, each with their status), ready
    to edit and upload again."""
    department = _department(request)
    officers = roster_officers(department=department).filter(is_active=True)
    # The upload's own columns and headers, so that the export uploads back unchanged.
    rows = (
        (
            *(getattr(person, name) for name in FIELDS),
            "retired" if person.is_retired else "invited" if person.is_invited else "active",
        )
        for person in officers.iterator(chunk_size=2000)
    )
    return csv_download(
        filename=f"{department.slug}-roster-{timezone.localdate().isoformat()}.csv",
        header=[*(LABELS[name] for name in FIELDS), "Status"],
        rows=rows,
    )


@role_required(ADMIN)
@require_safe
def compliance(request):
    department = _department(request)
    # Peers sit above departments (docs/architecture.md, "Layers"): the app that keeps the
    # listings answers, named by a setting as the core's questions are.
    count_listed = import_string(settings.WNWA_LISTED_PEERS)
    figures = department_compliance(
        department=department,
        listed_peers=count_listed(department=department),
        retired_peers=count_listed(department=department, retired=True),
    )
    return render(
        request, "departments/compliance.html", {"department": department, "figures": figures}
    )


@role_required(ADMIN)
def designation_document(request):
    department = _department(request)
    if not department.designation_document:
        raise Http404
    return private_file_response(
        department.designation_document, filename=f"{department.slug}-designation"
    )


@takes_files(DESIGNATION_MAX_BYTES)
@role_required(ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
def designation_upload(request):
    """The department admin sends the signed designation; a network admin then verifies it."""
    department = _department(request)
    form = DesignationForm(post_data(request), post_files(request))
    if request.method == "POST" and form.is_valid():
        designations.designation_upload(
            department=department,
            document=form.cleaned_data["document"],
            kind=form.kind,
            signed_on=form.cleaned_data["signed_on"],
            signed_by=form.cleaned_data["signed_by"],
            uploaded_by=request.user,
        )
        messages.success(
            request, "Designation uploaded. It is on file once a network admin has verified it."
        )
        return redirect("departments:compliance")
    context = {"department": department, "form": form, "reattach": bool(request.FILES)}
    return render(request, "departments/designation_upload.html", context)
