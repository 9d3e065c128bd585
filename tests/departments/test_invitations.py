"""Invitations as a department admin follows them: per officer when it was
sent, when its link expires and whether it was accepted (never when anyone signed in); "send
again to everyone who has not accepted" with the count first; honest words when the emails wait
for the background sender."""

import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from departments.models import Invitation, RosterPreview
from departments.selectors import invitation_counts, invitation_state, roster_officers
from tests.conftest import sign_in
from tests.departments.rosters import csv_bytes, officers
from tests.factories import UserFactory
from wnwa.accounts.invitations import invitation_path
from wnwa.accounts.models import User

INVITATIONS = reverse("departments:invitations")


@pytest.fixture
def admin_client(client, cast):
    return sign_in(client, cast.admin_a)


def text_of(response) -> str:
    """The page's text as read: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def apply_roster(client, rows, capture) -> str:
    client.post(
        reverse("departments:roster-upload"),
        {"roster": SimpleUploadedFile("roster.csv", csv_bytes(rows))},
    )
    preview = RosterPreview.objects.order_by("-pk").first()
    with capture(execute=True):
        response = client.post(
            reverse("departments:roster-preview", args=[preview.pk]), follow=True
        )
    return text_of(response)


def invited(cast, email: str, *, sent_days_ago: int | None = None, queued=False) -> User:
    """An officer of department A who has not chosen a password, invited so many days ago."""
    officer = UserFactory(department=cast.department_a, email=email, password=None)
    if sent_days_ago is not None or queued:
        Invitation.objects.create(
            officer=officer,
            sent_on=None
            if sent_days_ago is None
            else timezone.localdate() - datetime.timedelta(sent_days_ago),
            queued_at=timezone.now() if queued else None,
        )
    return officer


def test_a_small_roster_is_invited_at_once_and_the_roster_shows_when_it_expires(
    admin_client, cast, django_capture_on_commit_callbacks, mailoutbox, settings
):
    page = apply_roster(admin_client, officers(2), django_capture_on_commit_callbacks)
    assert "The new officers' invitations are being sent now" in page
    assert len(mailoutbox) == 2
    today = timezone.localdate()
    officer = User.objects.get(email="recruit0@alpha.test")
    record = Invitation.objects.get(officer=officer)
    assert (record.sent_on, record.queued_at) == (today, None)
    expires = today + datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    state = invitation_state(officer)
    assert (state.state, state.sent_on, state.expires_on) == ("valid", today, expires)
    roster = text_of(admin_client.get(reverse("departments:home")))
    assert f"Invited {today:%-d %b}" in roster and f"link works to {expires:%-d %b %Y}" in roster
    detail = text_of(admin_client.get(reverse("departments:officer", args=[officer.pk])))
    assert f"the link works until {expires:%b}" in detail and "not accepted yet" in detail


def test_a_roster_says_its_invitations_wait_for_the_background_sender(
    admin_client, cast, django_capture_on_commit_callbacks, mailoutbox, task_queue
):
    page = apply_roster(admin_client, officers(3), django_capture_on_commit_callbacks)
    assert "invitations are being sent now, about a hundred every few seconds" in page
    assert mailoutbox == [] and task_queue.waiting() == 1  # one task for up to a hundred
    assert Invitation.objects.queued().count() == 3
    waiting = text_of(admin_client.get(INVITATIONS))
    assert "3 invitations wait for the background sender" in waiting
    assert "the sender may not be running" in waiting  # says what to do if they never go
    roster = text_of(admin_client.get(reverse("departments:home")))
    assert "Invitation queued" in roster
    assert task_queue.run() == 1
    assert len(mailoutbox) == 3 and Invitation.objects.queued().count() == 0
    assert set(Invitation.objects.values_list("sent_on", flat=True)) == {timezone.localdate()}
    assert "wait for the background sender" not in text_of(admin_client.get(INVITATIONS))


def test_every_state_is_counted_and_accepting_writes_no_time(cast, settings):
    days = settings.INVITATION_MAX_AGE_DAYS
    fresh = invited(cast, "fresh@alpha.test", sent_days_ago=1)
    expiring = invited(cast, "expiring@alpha.test", sent_days_ago=days - 1)
    last_day = invited(cast, "lastday@alpha.test", sent_days_ago=days)  # expires today
    expired = invited(cast, "expired@alpha.test", sent_days_ago=days + 1)
    queued = invited(cast, "queued@alpha.test", sent_days_ago=days + 5, queued=True)
    never = invited(cast, "never@alpha.test")
    gone = invited(cast, "gone@alpha.test", sent_days_ago=2)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    states = {
        person.email: invitation_state(person).state
        for person in roster_officers(department=cast.department_a)
    }
    assert states == {
        fresh.email: "valid",
        expiring.email: "valid",
        last_day.email: "valid",
        expired.email: "expired",
        queued.email: "queued",
        never.email: "none",
        gone.email: "deactivated",
        cast.officer.email: "accepted",  # has a password
        cast.admin_a.email: "accepted",
        cast.retiree.email: "accepted",
    }
    assert invitation_state(expiring).expiring and not invitation_state(fresh).expiring
    counts = invitation_counts(department=cast.department_a)
    del counts["oldest_queued"]
    assert counts == {
        "not_accepted": 6,
        "queued": 1,
        "valid": 3,
        "expiring": 2,
        "expired": 1,
        "none": 1,
    }
    filtered = roster_officers(department=cast.department_a, status="expired")
    assert [person.email for person in filtered] == [expired.email]

    # Accepting is choosing a password: the invitation record is left exactly as it was.
    before = list(Invitation.objects.values())
    response = Client().post(
        invitation_path(fresh),
        {"new_password1": "steady-under-pressure-7", "new_password2": "steady-under-pressure-7"},
    )
    assert response.status_code == 302
    assert list(Invitation.objects.values()) == before
    assert invitation_state(User.objects.get(pk=fresh.pk)).state == "accepted"
    assert {field.name for field in Invitation._meta.get_fields()} == {
        "id",
        "officer",
        "queued_at",
        "sent_on",
    }


def test_sending_again_to_everyone_shows_the_count_and_asks_first(
    admin_client, cast, django_capture_on_commit_callbacks, mailoutbox, settings
):
    days = settings.INVITATION_MAX_AGE_DAYS
    invited(cast, "expired@alpha.test", sent_days_ago=days + 3)
    invited(cast, "fresh@alpha.test", sent_days_ago=2)
    invited(cast, "never@alpha.test")
    invited(cast, "today@alpha.test", sent_days_ago=0)  # left out: sent today
    invited(cast, "queued@alpha.test", queued=True)  # left out: already on its way
    page = text_of(admin_client.get(INVITATIONS))
    assert "This emails 3 officers a new link" in page and "Send 3 invitations" in page
    assert "5 not accepted" in page

    # Not confirmed, or confirmed for another count: nothing is sent.
    response = admin_client.post(INVITATIONS, {"expected": "3"})
    assert response.status_code == 200 and "Tick the box" in response.content.decode()
    response = admin_client.post(INVITATIONS, {"expected": "2", "confirm": "on"})
    assert "3 officers are waiting for an invitation now, not 2" in text_of(response)
    assert mailoutbox == [] and Invitation.objects.queued().count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(INVITATIONS, {"expected": "3", "confirm": "on"}, follow=True)
    assert "3 invitations are being sent now," in text_of(response)
    assert sorted(message.to[0] for message in mailoutbox) == [
        "expired@alpha.test",
        "fresh@alpha.test",
        "never@alpha.test",
    ]
    assert Invitation.objects.filter(sent_on=timezone.localdate()).count() == 4
    # Pressed again: everyone left was invited today or is queued, so nobody is emailed twice.
    again = text_of(admin_client.get(INVITATIONS))
    assert "Send again to everyone" not in again and "sent today" in again
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(INVITATIONS, {"expected": "3", "confirm": "on"})
    assert len(mailoutbox) == 3


def test_a_large_resend_goes_a_hundred_to_a_task(
    admin_client, cast, django_capture_on_commit_callbacks, mailoutbox, task_queue
):
    for n in range(205):
        invited(cast, f"late{n}@alpha.test")
    page = text_of(admin_client.get(INVITATIONS))
    assert "The background sender starts on them at once" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(INVITATIONS, {"expected": "205", "confirm": "on"}, follow=True)
    assert "205 invitations are being sent now, about a hundred every few seconds" in text_of(
        response
    )
    assert mailoutbox == [] and Invitation.objects.queued().count() == 205
    assert task_queue.waiting() == 3
    assert task_queue.run() == 3
    assert len(mailoutbox) == 205 and Invitation.objects.queued().count() == 0


def test_another_departments_admin_sees_and_sends_nothing_of_ours(client, cast, mailoutbox):
    invited(cast, "ours@alpha.test", sent_days_ago=30)
    other = sign_in(client, cast.admin_b)
    assert "ours@alpha.test" not in other.get(INVITATIONS).content.decode()
    other.post(INVITATIONS, {"expected": "1", "confirm": "on"})
    assert mailoutbox == [] and not Invitation.objects.queued().exists()
