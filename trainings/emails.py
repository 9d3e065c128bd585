"""Every email the trainings part of the site sends, through wnwa.lib.mail: each goes once the
service's transaction commits, so nothing is sent for a change that was rolled back."""

from collections.abc import Iterator

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.urls import reverse

from trainings import calendar
from trainings.models import Interest, Registration, Session
from wnwa.lib.mail import email_message, email_send, email_send_batch

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


def _send(*, to: str, template: str, context: dict, what: str, ics: Session | None = None) -> None:
    email_send(
        template=f"trainings/email/{template}",
        to=[to],
        context=context,
        reply_to=[settings.NETWORK_STAFF_EMAIL],
        attachments=(lambda: [calendar.attachment(ics, attendee=to)]) if ics is not None else None,
        what=what,
    )


def first_email_in_window(email: str) -> bool:
    """True once per TRAININGS_EMAIL_WINDOW_SECONDS for a typed address: the public form sends
    an address at most one email in that time, however often anyone types it in. The cache key
    is an HMAC under the secret key (wnwa.lib.cache), so it names nobody."""
    return cache.add(
        f"wnwa:trainings-mail:{email.strip().lower()}",
        True,
        timeout=settings.TRAININGS_EMAIL_WINDOW_SECONDS,
    )


def send_registration_confirmation(registration: Registration) -> None:
    """The registration's details, to the address typed in the public form: at most one email
    to an address in a window (first_email_in_window)."""
    if not first_email_in_window(registration.email):
        return
    session = registration.session
    waitlisted = registration.status == Registration.Status.WAITLISTED
    _send(
        to=registration.email,
        template="registration_waitlisted" if waitlisted else "registration_confirmed",
        context={
            "registration": registration,
            "session": session,
            "withdraw_url": withdraw_url(registration),
        },
        ics=None if waitlisted else session,
        what="registration confirmation",
    )


def send_promotion(registration: Registration) -> None:
    session = registration.session
    _send(
        to=registration.email,
        template="registration_promoted",
        context={
            "registration": registration,
            "session": session,
            "withdraw_url": withdraw_url(registration),
        },
        ics=session,
        what="waitlist promotion",
    )


def send_exam_link(registration: Registration, token: str) -> None:
    _send(
        to=registration.email,
        template="exam_link",
        context={
            "registration": registration,
            "session": registration.session,
            "link": absolute(reverse("trainings:exam-link", args=[token])),
            "max_attempts": settings.TRAININGS_EXAM_MAX_ATTEMPTS,
            "pass_percent": settings.TRAININGS_EXAM_PASS_PERCENT,
        },
        what="exam link",
    )


def send_session_announcement(interest: Interest, session: Session) -> None:
    _send(
        to=interest.email,
        template="session_announced",
        context={
            "session": session,
            "list_url": absolute(reverse("trainings:list")),
            "unsubscribe_url": unsubscribe_url(interest.email),
            "unsubscribe_days": settings.TRAININGS_UNSUBSCRIBE_LINK_DAYS,
        },
        what="announcement",
    )


# --- What trainees are told when staff change their session or their place -----------------------


def _trainee_message(
    registration: Registration, *, template: str, context: dict, calendar_file: bool, cancel: bool
) -> EmailMessage:
    session = registration.session
    return email_message(
        template=f"trainings/email/{template}",
        to=[registration.email],
        context={"registration": registration, "session": session, **context},
        reply_to=[settings.NETWORK_STAFF_EMAIL],
        attachments=(
            [calendar.attachment(session, attendee=registration.email, cancel=cancel)]
            if calendar_file
            else []
        ),
    )


def _registrations(ids: list[int]) -> Iterator[Registration]:
    # Read after the commit, in pages, so a large session never sits in memory at once.
    for start in range(0, len(ids), 200):
        yield from Registration.objects.select_related("session__course").filter(
            pk__in=ids[start : start + 200]
        )


def send_session_changed(*, registration_ids: list[int], changes: list[str]) -> None:
    """The new dates or place, to everyone registered or waiting; those with a seat get the
    calendar file again (same UID, higher SEQUENCE), so their calendar moves the event."""

    def build() -> Iterator[EmailMessage]:
        for registration in _registrations(registration_ids):
            yield _trainee_message(
                registration,
                template="session_changed",
                context={"changes": changes, "withdraw_url": withdraw_url(registration)},
                calendar_file=registration.is_registered,
                cancel=False,
            )

    email_send_batch(build=build, what="session change notice")


def send_session_cancelled(*, registration_ids: list[int]) -> None:
    """The cancellation, to everyone registered or waiting; those with a seat get a
    METHOD:CANCEL calendar file, so their calendar removes the event."""

    def build() -> Iterator[EmailMessage]:
        for registration in _registrations(registration_ids):
            yield _trainee_message(
                registration,
                template="session_cancelled",
                context={},
                calendar_file=registration.is_registered,
                cancel=True,
            )

    email_send_batch(build=build, what="cancellation notice")


def send_registration_cancelled(registration: Registration, *, had_seat: bool) -> None:
    """Staff cancelled this trainee's registration: tell them, and take the event out of their
    calendar if they had a seat (a waitlisted trainee was never sent one)."""

    def build() -> Iterator[EmailMessage]:
        yield _trainee_message(
            registration,
            template="registration_cancelled",
            context={"had_seat": had_seat, "list_url": absolute(reverse("trainings:list"))},
            calendar_file=had_seat,
            cancel=True,
        )

    email_send_batch(build=build, what="registration cancellation notice")
