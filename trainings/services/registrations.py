"""Registration, the waitlist, fees and attendance."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trainings import emails
from trainings.models import Attendance, Registration, Session

DUPLICATE = (
    "This email address is already registered for this session. Your confirmation email has "
    "the details; if it did not arrive, check your spam folder or write to us."
)


class DuplicateRegistration(ValidationError):
    pass


def seats_taken(session: Session) -> int:
    return session.registrations.filter(status=Registration.Status.REGISTERED).count()


@transaction.atomic
def registration_create(
    *, session: Session, name: str, email: str, phone: str, department: str
) -> Registration:
    """Register a trainee, or put them on the waitlist when the session is full.

    The session row is locked first, so two people racing for the last seat are served one after
    the other: one gets the seat, the other the waitlist. Nothing is ever overbooked.

    An address already registered for the session is not registered twice: its registration is
    returned unchanged and its details emailed again, for the person who lost them (at most one
    email to an address a window, trainings.emails). The public page answers both alike.
    """
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    if not session.is_published or not session.registration_open:
        raise ValidationError("Registration for this session is closed.")
    if session.starts_on <= timezone.localdate():
        raise ValidationError("This session has already started.")
    email = email.strip().lower()
    active = session.registrations.exclude(status=Registration.Status.CANCELLED)
    existing = active.filter(email__iexact=email).first()
    if existing is not None:
        emails.send_registration_confirmation(existing)
        return existing
    full = seats_taken(session) >= session.capacity
    registration = Registration(
        session=session,
        name=name.strip(),
        email=email,
        phone=phone,
        department=department.strip(),
        status=Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED,
        fee=session.course.price,
    )
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # the unique constraint, should the lock ever be bypassed
        raise DuplicateRegistration(DUPLICATE) from error
    emails.send_registration_confirmation(registration)
    return registration


def promote_waitlist(*, session: Session) -> list[Registration]:
    """Offer free seats to the waitlist, first come first served. Call with the session locked."""
    if session.is_cancelled or session.starts_on <= timezone.localdate():
        return []
    free = session.capacity - seats_taken(session)
    if free <= 0:
        return []
    promoted = list(
        session.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
            "registered_at", "pk"
        )[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.REGISTERED
        registration.save(update_fields=["status"])
        emails.send_promotion(registration)
    return promoted


@transaction.atomic
def registration_cancel(
    *,
    registration: Registration,
    tell_trainee: bool = False,
) -> list[Registration]:
    """Cancel a registration (staff, or the trainee's own link); a freed seat goes to the next
    person on the waitlist. Returns the promoted registrations.

    With `tell_trainee` (staff cancelled it), the trainee is emailed, with a METHOD:CANCEL
    calendar file if they had a seat; the session's calendar SEQUENCE goes up so that a later
    registration's file is newer than the cancellation.
    """
    session = Session.objects.select_for_update().get(pk=registration.session_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError("This registration is already cancelled.")
    if session.starts_on <= timezone.localdate():
        raise ValidationError("The session has started; registrations can no longer change.")
    had_seat = registration.is_registered
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status"])
    if tell_trainee:
        if had_seat:
            session.calendar_sequence += 1
            session.save(update_fields=["calendar_sequence"])
        emails.send_registration_cancelled(registration, had_seat=had_seat)
    return promote_waitlist(session=session)


@transaction.atomic
def registration_mark_paid(*, registration: Registration, paid: bool) -> Registration:
    """Record that the fee was paid (or undo it). Nothing is charged here."""
    registration.paid = paid
    registration.save(update_fields=["paid"])
    return registration


@transaction.atomic
def attendance_record(*, session: Session, marks: dict[tuple[int, datetime.date], bool]) -> int:
    """Record present or absent for each (registration id, day). Returns how many changed."""
    days = set(session.days)
    registrations = {
        r.pk: r for r in session.registrations.filter(status=Registration.Status.REGISTERED)
    }
    unknown = [key for key in marks if key[0] not in registrations or key[1] not in days]
    if unknown:
        raise ValidationError("Attendance can only be taken for this session's trainees and days.")
    existing = {
        (a.registration_id, a.day): a
        for a in Attendance.objects.filter(registration__in=registrations.values())
    }
    changed = 0
    for (registration_id, day), present in marks.items():
        record = existing.get((registration_id, day))
        if record is None:
            Attendance.objects.create(registration_id=registration_id, day=day, present=present)
            changed += 1
        elif record.present != present:
            record.present = present
            record.save(update_fields=["present"])
            changed += 1
    return changed


def missed_days(registration: Registration) -> list[datetime.date]:
    """Days of the session on which the trainee was not marked present."""
    present = set(registration.attendance.filter(present=True).values_list("day", flat=True))
    return [day for day in registration.session.days if day not in present]
