"""The network admins' staff pages: invite, see, change and reset staff accounts; the record.

Every act is a POST from a page that says what it does first (docs/product.md: confirmation
before anything destructive); none of them records anything about anyone's use of the site.
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from wnwa.accounts import roles
from wnwa.accounts.access import role_required
from wnwa.accounts.models import ROLE_FIELDS, User
from wnwa.accounts.roles import Role
from wnwa.lib.forms import post_data
from wnwa.staff import selectors, services
from wnwa.staff.forms import AccountLookupForm, StaffInviteForm
from wnwa.staff.models import ROLE_LABELS, ROLE_SLUGS

PAGE_SIZE = 50
FIELD_FOR_SLUG = {slug: field for field, slug in ROLE_SLUGS.items()}


def _role_field(slug: str) -> str:
    if slug not in FIELD_FOR_SLUG:
        raise Http404("No such role.")
    return FIELD_FOR_SLUG[slug]


def _roles_of(user: User) -> list[dict]:
    return [
        {"field": field, "label": ROLE_LABELS[field], "slug": ROLE_SLUGS[field]}
        for field in ROLE_FIELDS
        if getattr(user, field)
    ]


@role_required(Role.NETWORK_ADMIN)
@require_safe
def staff_list(request):
    lookup = AccountLookupForm(request.GET if "email" in request.GET else None)
    if lookup.is_bound and lookup.is_valid():
        found = User.objects.filter(email__iexact=lookup.cleaned_data["email"]).first()
        if found is not None:
            return redirect("staff:account", pk=found.pk)
        lookup.add_error("email", "No account has this email address.")
    page = Paginator(selectors.staff_accounts(), PAGE_SIZE).get_page(request.GET.get("page"))
    people = [(person, _roles_of(person)) for person in page]
    return render(
        request,
        "staff/list.html",
        {
            "page": page,
            "people": people,
            "lookup": lookup,
            "cutoff": services.invitation_cutoff(),
        },
    )


@role_required(Role.NETWORK_ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
def staff_invite(request):
    form = StaffInviteForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person, created = services.staff_invite(**data, by=request.user)
        except services.StaffActionRefused as refusal:
            form.add_error(None, refusal)
        else:
            role = ROLE_LABELS[data["role"]]
            if created or person.is_invited:
                messages.success(
                    request,
                    f"Invitation sent to {person.email} as {role}. The link works for "
                    f"{settings.INVITATION_MAX_AGE_DAYS} days.",
                )
            else:
                messages.success(
                    request,
                    f"{person.email} already had an account and is now {role} too: they sign in "
                    "as before and set up a second factor if they have none. Let them know.",
                )
            return redirect("staff:account", pk=person.pk)
    return render(
        request,
        "staff/invite.html",
        {"form": form, "days": settings.INVITATION_MAX_AGE_DAYS},
    )


@role_required(Role.NETWORK_ADMIN)
@require_safe
def staff_account(request, pk: int):
    person = get_object_or_404(User.objects.select_related("department"), pk=pk)
    return render(
        request,
        "staff/account.html",
        {
            "person": person,
            "roles_held": _roles_of(person),
            "has_two_factor": roles.has_two_factor(person),
            "expires_at": services.invitation_expires_on(user=person),
            "now": timezone.now(),
            "acts": selectors.acts().filter(subject=person)[:20],
        },
    )


def _refused(request, refusal: services.StaffActionRefused, person: User):
    messages.error(request, " ".join(refusal.messages))
    return redirect("staff:account", pk=person.pk)


@role_required(Role.NETWORK_ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
def staff_role_remove(request, pk: int, role: str):
    person = get_object_or_404(User, pk=pk)
    field = _role_field(role)
    if not getattr(person, field):
        raise Http404("That account does not have this role.")
    if request.method == "POST":
        try:
            services.staff_role_remove(user=person, role=field, by=request.user)
        except services.StaffActionRefused as refusal:
            return _refused(request, refusal, person)
        messages.success(
            request, f"{person.email} is no longer {ROLE_LABELS[field]}; they are signed out."
        )
        return redirect("staff:account", pk=person.pk)
    last_admin = (
        field == "is_department_admin"
        and not User.objects.filter(
            department_id=person.department_id, is_department_admin=True, is_active=True
        )
        .exclude(pk=person.pk)
        .exists()
    )
    return render(
        request,
        "staff/role_remove.html",
        {"person": person, "role": ROLE_LABELS[field], "last_admin": last_admin},
    )


@role_required(Role.NETWORK_ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
def staff_second_factor_reset(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        try:
            services.second_factor_reset(user=person, by=request.user)
        except services.StaffActionRefused as refusal:
            return _refused(request, refusal, person)
        messages.success(
            request,
            f"The second factor of {person.email} is reset, every session of the account has "
            "ended, and they have been emailed.",
        )
        return redirect("staff:account", pk=person.pk)
    return render(
        request,
        "staff/second_factor_reset.html",
        {"person": person, "required": roles.requires_two_factor(person)},
    )


@role_required(Role.NETWORK_ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
def staff_invitation_resend(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    if not person.is_invited or not _roles_of(person):
        raise Http404("Only a staff account that has not been activated is invited.")
    if request.method == "POST":
        try:
            services.staff_invitation_resend(user=person, by=request.user)
        except services.StaffActionRefused as refusal:
            return _refused(request, refusal, person)
        messages.success(request, f"A new invitation is on its way to {person.email}.")
        return redirect("staff:account", pk=person.pk)
    return render(request, "staff/invitation_resend.html", {"person": person})


@role_required(Role.NETWORK_ADMIN)
@require_safe
def staff_records(request):
    page = Paginator(selectors.acts(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/records.html", {"page": page})
