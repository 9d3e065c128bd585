"""The calendar file (.ics) sent to trainees, built with the icalendar library (RFC 5546).

One event per session, with a stable UID: a registration sends it with METHOD:REQUEST, a change
of dates or place sends it again with a higher SEQUENCE (Session.calendar_sequence), so calendar
apps replace the event they hold, and a cancellation sends METHOD:CANCEL, so they remove it.
"""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone

from trainings.models import Session


def event_uid(session: Session) -> str:
    return f"training-session-{session.pk}@weneverwalkalone.org"


def session_ics(session: Session, *, attendee: str, cancel: bool = False) -> bytes:
    """An all-day event from the first to the last day (DTEND is exclusive in iCalendar), for
    one trainee. The organizer is the staff mailbox, which takes the replies."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Trainings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method(cancel=cancel))
    event = icalendar.Event()
    event.add("uid", event_uid(session))
    event.add("sequence", session.calendar_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_on)
    event.add("dtend", session.ends_on + datetime.timedelta(days=1))
    event.add("summary", f"{settings.SITE_NAME} {session.course.name} peer-support training")
    event.add("location", f"{session.venue}, {session.address}")
    event.add(
        "organizer",
        icalendar.vCalAddress(f"mailto:{settings.NETWORK_STAFF_EMAIL}"),
        parameters={"CN": f"{settings.SITE_NAME} trainings"},
    )
    event.add(
        "attendee",
        icalendar.vCalAddress(f"mailto:{attendee}"),
        parameters={"ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"},
    )
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    description = [
        f"{session.course.days}-day {session.course.name} training. Attend every day: "
        "only trainees present on each day may sit the certification exam."
    ]
    if session.lodging_note:
        description.append(f"Lodging: {session.lodging_note}")
    event.add("description", "\n\n".join(description))
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical()


def method(*, cancel: bool) -> str:
    return "CANCEL" if cancel else "REQUEST"


def attachment(session: Session, *, attendee: str, cancel: bool = False) -> tuple[str, bytes, str]:
    """The file as wnwa.lib.mail attaches it, its MIME type naming the method as RFC 6047 asks."""
    content = session_ics(session, attendee=attendee, cancel=cancel)
    return ("training.ics", content, f"text/calendar; method={method(cancel=cancel)}")
