"""Trainees are told when staff move or cancel their session, or cancel their registration, with
a calendar file that updates the event they hold (same UID, higher SEQUENCE, RFC 5546)."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import RegistrationFactory, SessionFactory
from tests.html import squashed
from trainings import services
from trainings.calendar import event_uid
from trainings.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, cast):
    return sign_in(client, cast.trainer)


@pytest.fixture(autouse=True)
def staff_mailbox(settings):
    settings.NETWORK_STAFF_EMAIL = "trainings@network.test"


def event_of(message) -> tuple[icalendar.Calendar, icalendar.Event]:
    (_, content, mimetype) = message.attachments[0]
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    assert mimetype == f"text/calendar; method={calendar['method']}"
    return calendar, event


def edit_form(session, **changes) -> dict:
    data = {
        "course": session.course_id,
        "starts_on": session.starts_on.isoformat(),
        "ends_on": session.ends_on.isoformat(),
        "venue": session.venue,
        "address": session.address,
        "lodging_note": session.lodging_note,
        "capacity": str(session.capacity),
        "registration_open": "on",
    }
    return {**data, **changes}


@pytest.fixture
def session(db):
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session, email="seated@agency.test")
    RegistrationFactory(session=session, email="waiting@agency.test", status="waitlisted")
    RegistrationFactory(session=session, email="gone@agency.test", status="cancelled")
    return session


def registration_sequence(client, session, django_capture_on_commit_callbacks) -> int:
    """The SEQUENCE of the calendar file a new registration gets today."""
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(
            session=session,
            name="N",
            email="probe@agency.test",
            phone="+13125550100",
            department="D",
        )
    _, event = event_of(mail.outbox.pop())
    Registration.objects.filter(email="probe@agency.test").delete()
    return int(event["sequence"])


def test_moving_a_session_tells_everyone_on_it_with_an_updated_calendar_event(
    staff, session, django_capture_on_commit_callbacks
):
    session.capacity = 2
    session.save()
    first = registration_sequence(staff, session, django_capture_on_commit_callbacks)
    session.capacity = 1
    session.save()
    new_start = session.starts_on + datetime.timedelta(days=7)
    url = reverse("trainings:session-edit", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            url,
            edit_form(session, starts_on=new_start.isoformat(), ends_on="", venue="Annex Hall"),
            follow=True,
        )
    assert "2 trainees are being emailed the new details" in response.content.decode()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["seated@agency.test", "waiting@agency.test"]  # not the cancelled
    seated = by_address["seated@agency.test"]
    assert seated.reply_to == ["trainings@network.test"]
    assert "the dates and the place" in seated.body and "Annex Hall" in seated.body
    calendar, event = event_of(seated)
    assert calendar["method"] == "REQUEST"
    assert str(event["uid"]) == event_uid(session)  # the same event, replaced
    assert int(event["sequence"]) > first
    assert event.decoded("dtstart") == new_start
    assert "Annex Hall" in str(event["location"])
    assert str(event["attendee"]) == "mailto:seated@agency.test"
    assert str(event["organizer"]) == "mailto:trainings@network.test"
    assert by_address["waiting@agency.test"].attachments == []  # no seat, no event
    assert "still on the waitlist" in by_address["waiting@agency.test"].body


def test_a_second_move_sends_a_higher_sequence_again(session, django_capture_on_commit_callbacks):
    sequences = []
    for days in (3, 5):
        with django_capture_on_commit_callbacks(execute=True):
            services.session_update(
                session=session,
                fields={
                    **edit_fields(session),
                    "starts_on": session.starts_on + datetime.timedelta(days),
                },
            )
        session.refresh_from_db()
        (message,) = [m for m in mail.outbox if m.to == ["seated@agency.test"]]
        sequences.append(int(event_of(message)[1]["sequence"]))
        mail.outbox.clear()
    assert sequences[1] > sequences[0]


def edit_fields(session) -> dict:
    return {
        name: getattr(session, name)
        for name in ("course", "starts_on", "venue", "address", "lodging_note", "capacity")
    } | {"ends_on": None, "registration_open": True}


def test_a_change_trainees_need_not_hear_of_sends_nothing(
    staff, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("trainings:session-edit", args=[session.pk]),
            edit_form(session, lodging_note="Ask for the state rate.", capacity="1"),
            follow=True,
        )
    assert "Session saved." in response.content.decode()
    assert mail.outbox == []


def test_cancelling_a_session_sends_a_calendar_cancellation_to_those_with_a_seat(
    staff, session, django_capture_on_commit_callbacks
):
    before = session.calendar_sequence
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("trainings:session-cancel", args=[session.pk]))
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["seated@agency.test", "waiting@agency.test"]
    calendar, event = event_of(by_address["seated@agency.test"])
    assert calendar["method"] == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == event_uid(session) and int(event["sequence"]) > before
    assert by_address["waiting@agency.test"].attachments == []
    assert all(m.reply_to == ["trainings@network.test"] for m in mail.outbox)


def test_staff_cancelling_a_registration_tell_the_trainee_and_the_next_in_line(
    staff, session, django_capture_on_commit_callbacks
):
    seated = session.registrations.get(email="seated@agency.test")
    url = reverse("trainings:registration-cancel", args=[seated.pk])
    assert "removes the training from their calendar" in squashed(staff.get(url).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(url)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["seated@agency.test", "waiting@agency.test"]  # told; promoted
    cancelled = by_address["seated@agency.test"]
    assert "cancelled your registration" in cancelled.body
    calendar, event = event_of(cancelled)
    assert calendar["method"] == "CANCEL" and str(event["uid"]) == event_uid(session)
    _, promoted = event_of(by_address["waiting@agency.test"])
    assert int(promoted["sequence"]) >= int(event["sequence"])  # newer than the cancellation


def test_a_trainee_withdrawing_by_their_own_link_gets_no_email_of_it(
    session, django_capture_on_commit_callbacks
):
    seated = session.registrations.get(email="seated@agency.test")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=seated)
    assert [m.to for m in mail.outbox] == [["waiting@agency.test"]]  # the promotion only


def test_the_emails_to_a_full_session_wait_for_the_worker_one_task_each(
    cast, client, task_queue, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=40)
    for n in range(40):
        RegistrationFactory(session=session, email=f"trainee{n}@agency.test")
    trainer = sign_in(client, cast.trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer.post(reverse("trainings:session-cancel", args=[session.pk]))
    assert response.status_code == 302
    assert mail.outbox == []  # the answer is complete, and nothing has been sent yet
    assert task_queue.waiting() == 40  # a worker killed midway sends the rest later
    assert task_queue.run() == 40
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"trainee{n}@agency.test" for n in range(40)
    )
