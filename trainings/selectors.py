"""Reads for the trainings pages. None of them writes anything."""

import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from trainings.models import Certification, Registration, Session
from trainings.services.exams import exam_refusal


def valid_certifications(user) -> QuerySet[Certification]:
    """The person's certifications valid today: the core's roles ask whether there is one
    (WNWA_ROLE_CERTIFIED), on its own or inside the query that reads their department."""
    return Certification.objects.valid().filter(person=user)


def _with_counts(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.select_related("course").annotate(
        registered=Count("registrations", filter=Q(registrations__status="registered")),
        waitlisted=Count("registrations", filter=Q(registrations__status="waitlisted")),
    )


def upcoming_sessions(*, today: datetime.date) -> list[Session]:
    """Published sessions that have not started, soonest first, each with `seats_left`."""
    # Explicitly ordered: Django leaves Meta.ordering out of a query with GROUP BY (the counts).
    sessions = list(
        _with_counts(
            Session.objects.filter(status=Session.Status.PUBLISHED, starts_on__gt=today)
        ).order_by("starts_on", "pk")
    )
    for session in sessions:
        session.seats_left = max(session.capacity - session.registered, 0)
    return sessions


def staff_sessions(*, today: datetime.date) -> QuerySet[Session]:
    """Sessions staff still work on: not ended more than the exam window ago."""
    since = today - datetime.timedelta(days=settings.TRAININGS_EXAM_WINDOW_DAYS + 1)
    return _with_counts(Session.objects.filter(ends_on__gte=since)).order_by("starts_on")


def past_sessions(*, today: datetime.date) -> QuerySet[Session]:
    since = today - datetime.timedelta(days=settings.TRAININGS_EXAM_WINDOW_DAYS + 1)
    return _with_counts(Session.objects.filter(ends_on__lt=since)).order_by("-starts_on")[:20]


def session_roster(*, session: Session) -> dict[str, list[Registration]]:
    registrations = list(
        session.registrations.prefetch_related("attempts").order_by("registered_at", "pk")
    )
    by_status = {status: [] for status in Registration.Status.values}
    for registration in registrations:
        by_status[registration.status].append(registration)
    return by_status


def attendance_grid(*, session: Session) -> list[dict]:
    """One row per registered trainee: their mark for each day (True, False or None)."""
    rows = []
    for registration in session.registrations.filter(
        status=Registration.Status.REGISTERED
    ).prefetch_related("attendance"):
        marks = {a.day: a.present for a in registration.attendance.all()}
        rows.append(
            {
                "registration": registration,
                "days": [(day, marks.get(day)) for day in session.days],
            }
        )
    return rows


def exams_for_person(*, email: str, today: datetime.date) -> list[dict]:
    """The exams of sessions a person (by email) registered for, whose window has not passed
    long ago: what their account page shows."""
    since = today - datetime.timedelta(days=settings.TRAININGS_EXAM_WINDOW_DAYS)
    registrations = (
        Registration.objects.filter(
            email__iexact=email,
            status=Registration.Status.REGISTERED,
            session__ends_on__gte=since,
            session__ends_on__lte=today,
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session__course")
    )
    exams = []
    for registration in registrations:
        submitted = [a for a in registration.attempts.all() if a.is_submitted]
        exams.append(
            {
                "registration": registration,
                "refusal": exam_refusal(registration=registration, today=today),
                "attempts_used": len(submitted),
                "passed": any(a.passed for a in submitted),
            }
        )
    return exams


def certifications_of(*, user) -> QuerySet[Certification]:
    return Certification.objects.filter(person=user).select_related("course")


def pending_external() -> QuerySet[Certification]:
    return Certification.objects.filter(
        source=Certification.Source.EXTERNAL, status=Certification.Status.PENDING
    ).select_related("person__department", "recorded_by")


def department_external(*, department) -> QuerySet[Certification]:
    return Certification.objects.filter(
        source=Certification.Source.EXTERNAL, person__department=department
    ).select_related("person")
