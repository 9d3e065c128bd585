"""Every email the trainings part of the site sends. Plain text, absolute links, no tracking.

Each function sends at once; services call them inside `transaction.on_commit`, so nothing is
sent for a change that was rolled back.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from trainings.calendar import session_ics
from trainings.models import Interest, Registration, Session

UNSUBSCRIBE_SALT = "trainings.interest.unsubscribe"
WITHDRAW_SALT = "trainings.registration.withdraw"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(email: str) -> str:
    token = signing.dumps(email.lower(), salt=UNSUBSCRIBE_SALT, compress=True)
    return absolute(reverse("trainings:unsubscribe", args=[token]))


def withdraw_url(registration: Registration) -> str:
    token = signing.dumps(registration.pk, salt=WITHDRAW_SALT)
    return absolute(reverse("trainings:withdraw", args=[token]))


def _send(*, to: str, subject: str, template: str, context: dict, ics: Session | None = None):
    context = {"site_name": settings.SITE_NAME, **context}
    body = render_to_string(f"trainings/email/{template}.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[to])
    if ics is not None:
        message.attach("training.ics", session_ics(ics), "text/calendar; method=PUBLISH")
    message.send()


def send_registration_confirmation(registration: Registration) -> None:
    session = registration.session
    waitlisted = registration.status == Registration.Status.WAITLISTED
    _send(
        to=registration.email,
        subject=(
            f"You are on the waitlist: {session.course.name} training"
            if waitlisted
            else f"You are registered: {session.course.name} training"
        ),
        template="registration_waitlisted" if waitlisted else "registration_confirmed",
        context={
            "registration": registration,
            "session": session,
            "withdraw_url": withdraw_url(registration),
        },
        ics=None if waitlisted else session,
    )


def send_promotion(registration: Registration) -> None:
    session = registration.session
    _send(
        to=registration.email,
        subject=f"A seat opened for you: {session.course.name} training",
        template="registration_promoted",
        context={
            "registration": registration,
            "session": session,
            "withdraw_url": withdraw_url(registration),
        },
        ics=session,
    )


def send_session_cancelled(registration: Registration) -> None:
    session = registration.session
    _send(
        to=registration.email,
        subject=f"Cancelled: {session.course.name} training of {session.starts_on:%B %-d}",
        template="session_cancelled",
        context={"registration": registration, "session": session},
    )


def send_exam_link(registration: Registration, token: str) -> None:
    session = registration.session
    _send(
        to=registration.email,
        subject=f"Your {session.course.name} certification exam",
        template="exam_link",
        context={
            "registration": registration,
            "session": session,
            "link": absolute(reverse("trainings:exam-link", args=[token])),
            "max_attempts": settings.TRAININGS_EXAM_MAX_ATTEMPTS,
            "pass_percent": settings.TRAININGS_EXAM_PASS_PERCENT,
        },
    )


def send_session_announcement(interest: Interest, session: Session) -> None:
    _send(
        to=interest.email,
        subject=f"New {session.course.name} training: {session.starts_on:%B %-d, %Y}",
        template="session_announced",
        context={
            "session": session,
            "list_url": absolute(reverse("trainings:list")),
            "unsubscribe_url": unsubscribe_url(interest.email),
        },
    )
