"""Sessions: create, edit, publish, unpublish, cancel."""

import datetime
from typing import NamedTuple

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


# What trainees are told of when it changes, in the words of their email.
TOLD_OF = {
    "starts_on": "the dates",
    "ends_on": "the dates",
    "venue": "the place",
    "address": "the place",
}


class SessionSaved(NamedTuple):
    session: Session
    told: int  # trainees emailed the change


def _to_tell(session: Session) -> list[int]:
    """Everyone registered or waiting: they are the ones a change or a cancellation concerns."""
    return list(
        session.registrations.exclude(status=Registration.Status.CANCELLED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def session_update(*, session: Session, fields: dict) -> SessionSaved:
    """Edit a session; a larger capacity offers the new seats to the waitlist at once.

    When the dates, venue or address change, everyone registered or waiting is emailed the new
    details, and those with a seat an updated calendar file (a higher SEQUENCE), by the worker
    once the edit commits (wnwa.lib.mail.email_send_batch).
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError("A cancelled session cannot be edited.")
    before = {name: getattr(session, name) for name in TOLD_OF}
    for name in SESSION_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    if not fields.get("ends_on"):
        session.ends_on = default_end(course=session.course, starts_on=session.starts_on)
    changed = [TOLD_OF[name] for name, was in before.items() if getattr(session, name) != was]
    changes = list(dict.fromkeys(changed))  # "the dates" once, however many of them changed
    session.full_clean()
    told = _to_tell(session) if changes and session.ends_on >= timezone.localdate() else []
    if told:
        session.calendar_sequence += 1
    session.save()
    promoted = {registration.pk for registration in promote_waitlist(session=session)}
    told = [pk for pk in told if pk not in promoted]  # their promotion email has the new details
    if told:
        emails.send_session_changed(registration_ids=told, changes=changes)
    return SessionSaved(session, len(told))


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
    """Cancel the session and email everyone registered or waiting (those with a seat a
    METHOD:CANCEL calendar file). Returns how many are told (the worker sends the emails)."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError("The session is already cancelled.")
    session.status = Session.Status.CANCELLED
    session.registration_open = False
    session.calendar_sequence += 1
    session.save(update_fields=["status", "registration_open", "calendar_sequence"])
    told = _to_tell(session)
    emails.send_session_cancelled(registration_ids=told)
    return len(told)
