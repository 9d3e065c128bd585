"""Registration: the public page, the form, the waitlist and its order, the calendar file."""

import datetime
import re
import threading
import time

import icalendar
import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.urls import reverse

from tests.conftest import cache_keys
from tests.factories import RegistrationFactory, SessionFactory
from trainings import services
from trainings.models import Registration, Session

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Casey Rivera",
    "email": "casey.rivera@agency.test",
    "phone": "(312) 555-0142",
    "department": "Springfield Police",
}


def register(client, session, **changes):
    return client.post(reverse("trainings:register", args=[session.pk]), {**GOOD, **changes})


# --- The public page -----------------------------------------------------------------------------


def test_the_page_says_when_nothing_is_scheduled_and_offers_the_list(client):
    html = client.get(reverse("trainings:list")).content.decode()
    assert "No sessions are scheduled right now" in html
    assert reverse("trainings:interest") in html


def test_the_public_list_runs_in_date_order_whatever_order_sessions_were_made_in(client, today):
    # Made latest first, so that an unordered GROUP BY (the seat counts) would show them so.
    for days, venue in ((90, "Venue Ninety"), (10, "Venue Ten"), (45, "Venue FortyFive")):
        RegistrationFactory(
            session=SessionFactory(starts_on=today + datetime.timedelta(days), venue=venue)
        )
    html = client.get(reverse("trainings:list")).content.decode()
    positions = [html.index(venue) for venue in ("Venue Ten", "Venue FortyFive", "Venue Ninety")]
    assert positions == sorted(positions)


def test_drafts_cancelled_and_past_sessions_are_invisible_to_the_public(client, today):
    SessionFactory(status=Session.Status.DRAFT, venue="Draft Hall")
    SessionFactory(status=Session.Status.CANCELLED, venue="Cancelled Hall")
    SessionFactory(starts_on=today - datetime.timedelta(days=1), venue="Past Hall")
    SessionFactory(venue="Open Hall")
    html = client.get(reverse("trainings:list")).content.decode()
    assert "Open Hall" in html
    assert "Draft Hall" not in html and "Cancelled Hall" not in html and "Past Hall" not in html


def test_an_unpublished_session_cannot_be_registered_for(client):
    draft = SessionFactory(status=Session.Status.DRAFT)
    assert client.get(reverse("trainings:register", args=[draft.pk])).status_code == 404
    assert register(client, draft).status_code == 404
    assert not Registration.objects.exists()


def test_the_page_shows_seats_left_and_the_price(client):
    session = SessionFactory(capacity=3)
    RegistrationFactory(session=session)
    html = client.get(reverse("trainings:list")).content.decode()
    assert "2 seats left" in html and "$475.00" in html


def test_a_full_session_offers_the_waitlist(client):
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session)
    assert "Join the waitlist" in client.get(reverse("trainings:list")).content.decode()


# --- Registering ---------------------------------------------------------------------------------


def test_registering_books_a_seat_and_emails_a_calendar_invitation(
    client, django_capture_on_commit_callbacks
):
    session = SessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, session)
    assert response.status_code == 200 and "check your email" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.REGISTERED
    assert registration.phone == "+13125550142" and registration.fee == session.course.price
    assert not registration.paid
    (message,) = mail.outbox
    assert message.to == ["casey.rivera@agency.test"]
    assert message.attachments[0][0] == "training.ics"
    assert "/trainings/withdraw/" in message.body


def test_the_calendar_file_parses_back_to_the_right_dates_place_and_title(
    client, django_capture_on_commit_callbacks
):
    session = SessionFactory(
        starts_on=datetime.date(2027, 4, 12),
        ends_on=datetime.date(2027, 4, 15),
        venue="Schaumburg Training Center",
        address="1401 N Roselle Road, Schaumburg, IL 60195",
        course__slug="leadership",
    )
    with django_capture_on_commit_callbacks(execute=True):
        register(client, session)
    _, content, mimetype = mail.outbox[0].attachments[0]
    assert mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == datetime.date(2027, 4, 12)
    assert event.decoded("dtend") == datetime.date(2027, 4, 16)  # exclusive: four full days
    assert str(event["summary"]) == "WeNeverWalkAlone Leadership peer-support training"
    assert str(event["location"]) == (
        "Schaumburg Training Center, 1401 N Roselle Road, Schaumburg, IL 60195"
    )
    assert str(event["uid"]) == f"training-session-{session.pk}@weneverwalkalone.org"


def test_past_capacity_trainees_go_on_the_waitlist_without_a_calendar(
    client, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, session)
    assert "check your email" in response.content.decode()
    assert Registration.objects.get(email=GOOD["email"]).status == Registration.Status.WAITLISTED
    assert mail.outbox[0].attachments == [] and "waitlist" in mail.outbox[0].subject


def page(response) -> str:
    return re.sub(r' nonce="[^"]*"', "", response.content.decode())


@pytest.mark.parametrize("email", ["casey.rivera@agency.test", "Casey.Rivera@AGENCY.test "])
def test_a_second_registration_of_the_same_email_gets_the_answer_a_new_one_gets(
    client, email, django_capture_on_commit_callbacks
):
    session = SessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = register(client, session, email=email)
        again = register(client, session, email=email, name="Someone Else")
    assert again.status_code == first.status_code == 200
    assert page(again) == page(first)  # nothing says the address was registered already
    assert Registration.objects.get().name == GOOD["name"]
    assert len(mail.outbox) == 1  # and the address is not emailed twice within the hour


def test_an_address_gets_one_email_a_window_however_often_it_is_typed(
    client, django_capture_on_commit_callbacks
):
    sessions = SessionFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True):
        for session in [*sessions, *sessions]:
            register(client, session)
    assert [message.to for message in mail.outbox] == [[GOOD["email"]]]
    assert Registration.objects.count() == 2
    keys = cache_keys()
    assert keys and not any("casey" in key or "agency.test" in key for key in keys)


def test_after_the_window_a_second_registration_sends_the_details_again(
    client, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    session = SessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        register(client, session)
        cache.clear()  # the window has passed (and the rate limits with it)
        register(client, session, name="Casey again")
    assert len(mail.outbox) == 2
    assert Registration.objects.get().name == GOOD["name"]  # the registration is unchanged
    assert mail.outbox[1].subject == mail.outbox[0].subject


def test_the_same_email_may_register_for_another_session(client):
    register(client, SessionFactory())
    register(client, SessionFactory())
    assert Registration.objects.count() == 2


def test_a_cancelled_registration_may_register_again(client):
    session = SessionFactory()
    RegistrationFactory(session=session, email=GOOD["email"], status="cancelled")
    register(client, session)
    assert Registration.objects.filter(status="registered").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "valid email"),
        ("email", "", "required"),
        ("phone", "12", "phone number"),
        ("phone", "call me maybe", "phone number"),
        ("name", "", "required"),
        ("name", "x" * 151, "at most 150"),
        ("department", "d" * 201, "at most 200"),
        ("email", "a" * 250 + "@agency.test", "at most 254"),
        ("name", "Robert\x00Tables", "Null characters"),
    ],
)
def test_bad_registration_input_is_refused_and_the_rest_kept(client, field, value, message):
    session = SessionFactory()
    response = register(client, session, **{field: value})
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert not Registration.objects.exists()
    kept = "Springfield Police" if field != "department" else "Casey Rivera"
    assert kept in html


def test_hostile_text_is_stored_as_text_and_never_runs(client, django_capture_on_commit_callbacks):
    session = SessionFactory()
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, session, name=hostile, department=hostile)
    assert "<script>alert" not in response.content.decode()
    assert Registration.objects.get().name == hostile
    assert hostile in mail.outbox[0].body  # plain text email: shown as typed, not run
    assert "\n" not in mail.outbox[0].subject


def test_registration_is_rate_limited_per_address(client, settings):
    settings.TRAININGS_FORM_RATE_PER_HOUR = 3
    session = SessionFactory(capacity=50)
    codes = [register(client, session, email=f"t{n}@agency.test").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert Registration.objects.count() == 3
    other = client.__class__(REMOTE_ADDR="198.51.100.9")
    assert register(other, session, email="t9@agency.test").status_code == 200
    keys = cache_keys()
    assert keys and not any("198.51.100.9" in key for key in keys)


def test_mistakes_in_the_form_count_apart_from_registrations(client, settings):
    settings.TRAININGS_FORM_RATE_PER_HOUR = 3
    settings.TRAININGS_FORM_FAILED_RATE_PER_HOUR = 4
    session = SessionFactory(capacity=50)
    mistakes = [register(client, session, email="not-an-address").status_code for _ in range(3)]
    assert mistakes == [200, 200, 200]
    codes = [register(client, session, email=f"t{n}@agency.test").status_code for n in range(2)]
    assert codes == [200, 200]
    assert Registration.objects.count() == 2
    assert register(client, session, name="").status_code == 200  # the fourth mistake
    assert register(client, session, email="t5@agency.test").status_code == 429


def test_closed_registration_is_refused_with_a_message(client):
    session = SessionFactory(registration_open=False)
    response = register(client, session)
    assert response.status_code == 302
    assert not Registration.objects.exists()


# --- The waitlist --------------------------------------------------------------------------------


def test_a_freed_seat_goes_to_the_waitlist_in_order(django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=2)
    first, second = RegistrationFactory.create_batch(2, session=session)
    waiting = [
        RegistrationFactory(session=session, status="waitlisted", email=f"w{n}@agency.test")
        for n in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=second)
    assert promoted == [waiting[0]]
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["registered", "registered", "waitlisted"]
    assert [m.to for m in mail.outbox] == [["w0@agency.test"], ["w1@agency.test"]]
    assert all(m.attachments[0][0] == "training.ics" for m in mail.outbox)


def test_more_seats_promote_the_waitlist(django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session)
    RegistrationFactory.create_batch(3, session=session, status="waitlisted")
    fields = {name: getattr(session, name) for name in ("course", "starts_on", "venue")}
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, fields={**fields, "capacity": 3})
    assert session.registrations.filter(status="registered").count() == 3
    assert len(mail.outbox) == 2


def test_the_trainee_can_give_up_their_seat_from_the_email(
    client, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        register(client, session)
    RegistrationFactory(session=session, status="waitlisted", email="next@agency.test")
    link = next(line for line in mail.outbox[0].body.splitlines() if "/trainings/withdraw/" in line)
    path = "/" + link.split("/", 3)[3]
    assert "Give up your place?" in client.get(path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path)
    assert Registration.objects.get(email=GOOD["email"]).status == "cancelled"
    assert Registration.objects.get(email="next@agency.test").status == "registered"
    assert client.post(path).status_code == 302  # again: a message, nothing changes


@pytest.mark.parametrize("token", ["x", "1", "<script>", "a" * 300])
def test_forged_withdraw_links_do_nothing(client, token):
    registration = RegistrationFactory()
    assert client.post(f"/trainings/withdraw/{token}/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "registered"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_registrations_racing_for_the_last_seat_never_overbook():
    """Both threads reach the session at once; the row lock serves them one after the other."""
    session = SessionFactory(capacity=1)
    barrier = threading.Barrier(2)
    errors = []

    def take_the_seat(email: str) -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(10_000):
                try:
                    services.registration_create(
                        session=session, name="R", email=email, phone="+13125550142", department="X"
                    )
                    return
                except OperationalError as error:
                    # SQLite's shared in-memory test database reports "locked" at once where a
                    # file database (and PostgreSQL's row lock) waits: take our turn again.
                    if connection.vendor != "sqlite" or "locked" not in str(error):
                        raise
            raise AssertionError("never got a turn")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_the_seat, args=(f"r{n}@a.test",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = sorted(session.registrations.values_list("status", flat=True))
    assert statuses == ["registered", "waitlisted"]


def test_an_empty_registration_is_answered_with_errors(client):
    session = SessionFactory()
    response = client.post(reverse("trainings:register", args=[session.pk]), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Registration.objects.exists()


class Later:
    """django.core.signing's clock, `days` from now: links made now are that old."""

    def __init__(self, days: int):
        self.now = time.time() + days * 86400

    def time(self) -> float:
        return self.now


def withdraw_path() -> str:
    link = next(line for line in mail.outbox[0].body.splitlines() if "/trainings/withdraw/" in line)
    return "/" + link.split("/", 3)[3]


def test_a_withdrawal_link_expires_after_its_days(
    client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TRAININGS_WITHDRAW_LINK_DAYS = 30
    with django_capture_on_commit_callbacks(execute=True):
        register(client, SessionFactory())
    path = withdraw_path()
    monkeypatch.setattr("django.core.signing.time", Later(days=29))
    assert client.get(path).status_code == 200
    monkeypatch.setattr("django.core.signing.time", Later(days=31))
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert Registration.objects.get().status == "registered"


def test_a_withdrawal_link_stops_working_once_the_session_has_started(
    client, today, django_capture_on_commit_callbacks
):
    session = SessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        register(client, session)
    Session.objects.filter(pk=session.pk).update(starts_on=today)
    assert client.get(withdraw_path()).status_code == 404  # and shows nobody's registration
