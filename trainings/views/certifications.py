"""Training taken elsewhere: recorded by department admins, decided by training staff."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from trainings import selectors, services
from trainings.forms import DecisionForm, ExternalTrainingForm, OfficerSearchForm
from trainings.models import Certification
from wnwa.accounts import people, roles
from wnwa.accounts.access import role_required
from wnwa.accounts.roles import Role
from wnwa.lib.forms import post_data, post_files
from wnwa.lib.uploads import private_file_response, takes_files


@role_required(Role.DEPARTMENT_ADMIN)
@require_safe
def external_list(request):
    department = request.user.department
    if department is None:  # a network admin without a department has no list of their own
        raise Http404
    return render(
        request,
        "trainings/external_list.html",
        {"trainings": selectors.department_external(department=department)},
    )


@takes_files("TRAININGS_UPLOAD_MAX_BYTES")
@role_required(Role.DEPARTMENT_ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
def external_new(request):
    """Two steps on one page: find the officer (a GET search, `?q=`; each match has a Choose
    button, `?person=`), then record their training. Works without JavaScript."""
    department = request.user.department
    if department is None:
        raise Http404
    initial = {"person": request.GET.get("person")} if request.method != "POST" else None
    form = ExternalTrainingForm(
        post_data(request), post_files(request), department=department, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.external_training_record(
                recorded_by=request.user, **{k: v for k, v in form.cleaned_data.items()}
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Recorded. Training staff will verify it.")
            return redirect("trainings:external-list")
    search = OfficerSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    matches, more = people.officer_search(officers=form.fields["person"].queryset, query=query)
    context = {
        "form": form,
        "chosen": form.chosen(),
        "search": search,
        "query": query,
        "matches": matches,
        "more": more,
        "department": department,
    }
    return render(request, "trainings/external_form.html", context)


@role_required(Role.TRAINING_STAFF)
@require_safe
def external_queue(request):
    return render(
        request,
        "trainings/staff/external_queue.html",
        {"trainings": selectors.pending_external(), "form": DecisionForm()},
    )


@role_required(Role.TRAINING_STAFF)
@require_POST
def external_decide(request, pk: int):
    certification = get_object_or_404(Certification, pk=pk, source=Certification.Source.EXTERNAL)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose verify or reject.")
        return redirect("trainings:external-queue")
    try:
        services.external_training_decide(
            certification=certification,
            staff=request.user,
            verify=form.cleaned_data["decision"] == "verify",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Decision saved.")
    return redirect("trainings:external-queue")


@role_required(Role.TRAINING_STAFF, Role.DEPARTMENT_ADMIN)
@require_safe
def external_certificate(request, pk: int):
    """The uploaded certificate, for training staff and the officer's own department admin.

    External trainings come with one; a network admin may attach one to any certification in the
    Django admin, which links here, so any certification's file is served.
    """
    certification = get_object_or_404(Certification.objects.select_related("person"), pk=pk)
    department = certification.person.department if certification.person_id else None
    if not certification.certificate or not (
        roles.has_role(request.user, Role.TRAINING_STAFF)
        or (department is not None and roles.is_department_admin(request.user, department))
    ):
        raise Http404
    return private_file_response(
        certification.certificate, filename=f"certificate-{certification.pk}"
    )
