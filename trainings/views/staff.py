"""Training staff: courses, sessions, registrations, attendance, exam links, the interest list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from trainings import selectors, services
from trainings.forms import AttendanceForm, CourseForm, SessionForm
from trainings.models import CourseType, Interest, Registration, Session
from wnwa.accounts.access import role_required
from wnwa.accounts.roles import Role
from wnwa.lib.csv import csv_download
from wnwa.lib.forms import post_data

STAFF = Role.TRAINING_STAFF


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@role_required(STAFF)
@require_safe
def staff_home(request):
    today = timezone.localdate()
    return render(
        request,
        "trainings/staff/home.html",
        {
            "sessions": selectors.staff_sessions(today=today),
            "past_sessions": selectors.past_sessions(today=today),
            "courses": CourseType.objects.all(),
            "pending_external": selectors.pending_external().count(),
            "interest_count": Interest.objects.count(),
        },
    )


@role_required(STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def course_edit(request, slug: str | None = None):
    course = get_object_or_404(CourseType, slug=slug) if slug else None
    form = CourseForm(post_data(request), instance=course)
    if request.method == "POST" and form.is_valid():
        course = form.save()
        messages.success(request, f"{course.name} saved.")
        return redirect("trainings:staff")
    return render(request, "trainings/staff/course_form.html", {"form": form, "course": course})


@role_required(STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def session_edit(request, pk: int | None = None):
    session = get_object_or_404(Session, pk=pk) if pk else None
    form = SessionForm(post_data(request), instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            if session is None:
                session, told = services.session_create(fields=form.cleaned_data), 0
            else:
                session, told = services.session_update(session=session, fields=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _saved_message(told))
            return redirect("trainings:session-detail", pk=session.pk)
    return render(request, "trainings/staff/session_form.html", {"form": form, "session": session})


def _saved_message(told: int) -> str:
    if not told:
        return "Session saved."
    trainees = "1 trainee is" if told == 1 else f"{told} trainees are"
    return (
        f"Session saved. {trainees} being emailed the new details; those with a seat get an "
        "updated calendar file."
    )


@role_required(STAFF)
@require_safe
def session_detail(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    return render(
        request,
        "trainings/staff/session_detail.html",
        {
            "session": session,
            "roster": selectors.session_roster(session=session),
            "exam_open": session.exam_is_open(timezone.localdate()),
        },
    )


def _session_action(request, pk: int, action, done: str):
    session = get_object_or_404(Session, pk=pk)
    try:
        action(session=session)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, done)
    return redirect("trainings:session-detail", pk=pk)


@role_required(STAFF)
@require_POST
def session_publish(request, pk: int):
    return _session_action(request, pk, services.session_publish, "Published.")


@role_required(STAFF)
@require_POST
def session_unpublish(request, pk: int):
    return _session_action(request, pk, services.session_unpublish, "Taken off the public page.")


@role_required(STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def session_cancel(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    if request.method == "POST":
        try:
            told = services.session_cancel(session=session)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(
                request,
                f"Session cancelled. {told} registrant{'s are' if told != 1 else ' is'} being "
                "emailed; those with a seat get a calendar cancellation.",
            )
        return redirect("trainings:session-detail", pk=pk)
    return render(request, "trainings/staff/session_cancel.html", {"session": session})


@role_required(STAFF)
@require_POST
def registration_paid(request, pk: int):
    registration = get_object_or_404(Registration, pk=pk)
    paid = request.POST.get("paid") == "1"
    services.registration_mark_paid(registration=registration, paid=paid)
    messages.success(request, f"{registration.name}: fee {'paid' if paid else 'not paid'}.")
    return redirect("trainings:session-detail", pk=registration.session_id)


@role_required(STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def registration_cancel(request, pk: int):
    registration = get_object_or_404(Registration.objects.select_related("session__course"), pk=pk)
    if request.method == "POST":
        try:
            promoted = services.registration_cancel(registration=registration, tell_trainee=True)
        except ValidationError as error:
            _error(request, error)
        else:
            names = ", ".join(r.name for r in promoted)
            messages.success(
                request,
                f"Registration cancelled; {registration.name} is being emailed."
                + (f" Offered the seat to {names}." if names else ""),
            )
        return redirect("trainings:session-detail", pk=registration.session_id)
    return render(
        request, "trainings/staff/registration_cancel.html", {"registration": registration}
    )


@role_required(STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def attendance(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    grid = selectors.attendance_grid(session=session)
    form = AttendanceForm(post_data(request), grid=grid)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.attendance_record(session=session, marks=form.marks())
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, f"Attendance saved ({changed} marks changed).")
            return redirect("trainings:attendance", pk=pk)
    return render(
        request,
        "trainings/staff/attendance.html",
        {"session": session, "grid": grid, "form": form},
    )


@role_required(STAFF)
@require_POST
def exam_links(request, pk: int):
    session = get_object_or_404(Session, pk=pk)
    sent = services.exam_links_send(session=session, today=timezone.localdate())
    messages.success(
        request,
        f"Exam links emailed to {sent} trainees without an account. Trainees with an account "
        "find the exam on their account page.",
    )
    return redirect("trainings:session-detail", pk=pk)


@role_required(STAFF)
@require_safe
def interest_export(request):
    return csv_download(
        filename="next-session-list.csv",
        header=["email", "asked on"],
        rows=(
            (entry.email, entry.created_at.date().isoformat())
            for entry in Interest.objects.order_by("created_at")
        ),
    )
