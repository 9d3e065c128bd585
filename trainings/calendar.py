"""The calendar invitation (.ics) sent with a registration, built with the icalendar library."""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone

from trainings.models import Session


def session_ics(session: Session) -> bytes:
    """An all-day event from the first to the last day (DTEND is exclusive in iCalendar).

    The UID is stable per session, so a calendar replaces the event when it is sent again.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Trainings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"training-session-{session.pk}@weneverwalkalone.org")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_on)
    event.add("dtend", session.ends_on + datetime.timedelta(days=1))
    event.add("summary", f"{settings.SITE_NAME} {session.course.name} peer-support training")
    event.add("location", f"{session.venue}, {session.address}")
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
