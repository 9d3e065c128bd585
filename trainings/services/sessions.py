"""Sessions: create, edit, publish, unpublish, cancel."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trainings import emails
from trainings.models import CourseType, Interest, Registration, Session
from trainings.services.registrations import promote_waitlist

SESSION_FIELDS = (
    "course",
    "starts_on",
    "ends_on",
    "venue",
    "address",
    "lodging_note",
    "capacity",
    "registration_open",
)


def default_end(*, course: CourseType, starts_on: datetime.date) -> datetime.date:
    """The last day when staff do not say otherwise: one day per course day, back to back."""
    return starts_on + datetime.timedelta(days=course.days - 1)


@transaction.atomic
def session_create(*, fields: dict) -> Session:
    values = {name: fields[name] for name in SESSION_FIELDS if name in fields}
    if not values.get("ends_on"):
        values["ends_on"] = default_end(course=values["course"], starts_on=values["starts_on"])
    session = Session(**values)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_update(*, session: Session, fields: dict) -> Session:
    """Edit a session; a larger capacity offers the new seats to the waitlist at once."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError("A cancelled session cannot be edited.")
    for name in SESSION_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    if not fields.get("ends_on"):
        session.ends_on = default_end(course=session.course, starts_on=session.starts_on)
    session.full_clean()
    session.save()
    promote_waitlist(session=session)
    return session


@transaction.atomic
def session_publish(*, session: Session) -> Session:
    """Show the session on the public page. The first time, tell the interest list."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError("A cancelled session cannot be published.")
    session.status = Session.Status.PUBLISHED
    announce = not session.announced and session.starts_on > timezone.localdate()
    session.announced = session.announced or announce
    session.save(update_fields=["status", "announced"])
    if announce:
        for interest in Interest.objects.all():
            emails.send_session_announcement(interest, session)
    return session


@transaction.atomic
def session_unpublish(*, session: Session) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError("The session is cancelled.")
    session.status = Session.Status.DRAFT
    session.save(update_fields=["status"])
    return session


@transaction.atomic
def session_cancel(*, session: Session) -> int:
    """Cancel the session and email everyone registered or waiting. Returns how many were told."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError("The session is already cancelled.")
    session.status = Session.Status.CANCELLED
    session.registration_open = False
    session.save(update_fields=["status", "registration_open"])
    told = 0
    for registration in session.registrations.exclude(status=Registration.Status.CANCELLED):
        emails.send_session_cancelled(registration)
        told += 1
    return told
