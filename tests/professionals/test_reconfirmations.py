"""Reconfirmation: a cron command emails single-use links; a link confirms one listing once."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from professionals.models import InsuranceCarrier, ReconfirmationToken
from tests.factories import ProfessionalFactory


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def run_command(django_capture_on_commit_callbacks) -> str:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("request_reconfirmations", stdout=out)
    return out.getvalue()


def link_in(email) -> str:
    return re.search(r"http://testserver(/professionals/confirm/\S+/)", email.body).group(1)


@pytest.fixture
def due(db, settings):
    settings.SITE_URL = "http://testserver"
    # An unusual name: the test looks for it on the directory page, where a common one such as
    # "West" also appears in the state filter.
    return ProfessionalFactory(
        last_name="Quennevillea",
        email="due@practice.test",
        availability_confirmed_on=days_ago(91),
        phone="+16085550100",
    )


def test_the_command_emails_professionals_due_once_and_prints_counts_only(
    due, django_capture_on_commit_callbacks
):
    ProfessionalFactory(availability_confirmed_on=days_ago(10))
    ProfessionalFactory(availability_confirmed_on=days_ago(200), is_listed=False)
    output = run_command(django_capture_on_commit_callbacks)
    assert "Reconfirmation links sent: 1." in output
    assert "due@practice.test" not in output
    (email,) = mail.outbox
    assert email.to == ["due@practice.test"]
    assert "/professionals/confirm/" in email.body

    output = run_command(django_capture_on_commit_callbacks)  # tomorrow's cron run
    assert "Reconfirmation links sent: 0." in output
    assert len(mail.outbox) == 1


def test_only_a_hash_of_the_link_is_stored(due, django_capture_on_commit_callbacks):
    run_command(django_capture_on_commit_callbacks)
    token = link_in(mail.outbox[0]).split("/")[-2]
    stored = ReconfirmationToken.objects.get()
    assert token not in stored.token_hash
    assert stored.token_hash == ReconfirmationToken.hash(token)


def test_the_link_confirms_and_updates_phone_insurance_and_availability_once(
    client, due, django_capture_on_commit_callbacks
):
    run_command(django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[0])
    page = client.get(url)
    assert page.status_code == 200
    assert b'value="+16085550100"' in page.content
    bcbs = InsuranceCarrier.objects.get(slug="bcbs")
    response = client.post(
        url,
        {
            "phone": "608-555-0199",
            "insurance_carriers": [bcbs.pk],
            "plan_types": ["hmo"],
            "promises": ["answers_24_7"],
        },
    )
    assert response.status_code == 200
    assert b"Your listing is confirmed" in response.content
    due.refresh_from_db()
    assert due.phone == "+16085550199"
    assert list(due.insurance_carriers.all()) == [bcbs]
    assert (due.accepts_hmo, due.accepts_ppo) == (True, False)
    assert (due.answers_24_7, due.sees_within_24h) == (True, False)
    assert due.availability_confirmed_on == timezone.localdate()

    assert client.get(url).status_code == 400  # single use
    assert client.post(url, {"phone": "608-555-0111"}).status_code == 400
    due.refresh_from_db()
    assert due.phone == "+16085550199"


def test_a_hidden_listing_comes_back_once_confirmed(client, due, cast):
    from tests.conftest import sign_in

    due.availability_confirmed_on = days_ago(150)
    due.save()
    officer = sign_in(client.__class__(), cast.officer)
    assert due.last_name.encode() not in officer.get("/professionals/").content
    token = "a-known-token-for-this-test"
    ReconfirmationToken.objects.create(
        professional=due,
        token_hash=ReconfirmationToken.hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    client.post(
        reverse("professionals:reconfirm", args=[token]),
        {"phone": due.phone, "plan_types": ["ppo"], "promises": ["sees_within_24h"]},
    )
    assert due.last_name.encode() in officer.get("/professionals/").content


def test_an_expired_link_does_not_work(client, due):
    token = "expired-token"
    ReconfirmationToken.objects.create(
        professional=due,
        token_hash=ReconfirmationToken.hash(token),
        created_at=timezone.now() - datetime.timedelta(days=31),
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    response = client.get(reverse("professionals:reconfirm", args=[token]))
    assert response.status_code == 400
    assert b"This link no longer works" in response.content


def test_a_made_up_or_overlong_link_does_not_work(client, db):
    for token in ("guess", "x" * 500):
        assert client.get(reverse("professionals:reconfirm", args=[token])).status_code == 400


def test_a_link_cannot_touch_another_professional(client, due):
    other = ProfessionalFactory(phone="+16085550123")
    token = "dues-token"
    ReconfirmationToken.objects.create(
        professional=due,
        token_hash=ReconfirmationToken.hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    client.post(
        reverse("professionals:reconfirm", args=[token]),
        {
            "phone": "608-555-0177",
            "plan_types": ["ppo"],
            "promises": ["sees_within_24h"],
            "professional": other.pk,
            "id": other.pk,
            "email": "hijack@evil.test",
        },
    )
    other.refresh_from_db()
    due.refresh_from_db()
    assert other.phone == "+16085550123"
    assert due.phone == "+16085550177" and due.email == "due@practice.test"


def test_a_new_link_replaces_an_older_unused_one(due):
    from professionals.services import reconfirmation_request

    reconfirmation_request(professional=due)
    first = ReconfirmationToken.objects.get()
    reconfirmation_request(professional=due, now=timezone.now() + datetime.timedelta(days=40))
    assert not ReconfirmationToken.objects.filter(pk=first.pk).exists()
    assert ReconfirmationToken.objects.count() == 1


def test_bad_input_on_the_link_page_keeps_the_link_usable(client, due):
    token = "bad-input-token"
    ReconfirmationToken.objects.create(
        professional=due,
        token_hash=ReconfirmationToken.hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    url = reverse("professionals:reconfirm", args=[token])
    response = client.post(url, {"phone": "not a phone", "plan_types": [], "promises": []})
    assert response.status_code == 200
    assert b"Enter a phone number we can call" in response.content
    assert b"Choose at least one" in response.content
    assert client.get(url).status_code == 200
