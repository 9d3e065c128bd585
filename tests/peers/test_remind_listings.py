"""`manage.py remind_listings`: one email, 14 days before a listing lapses, and never twice."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from peers.models import RECONFIRM_DAYS


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the command; emails leave on commit, so run those callbacks as a commit would."""

    def run_command() -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("remind_listings", stdout=out)
        return out.getvalue()

    return run_command


def age(listing, days: float) -> None:
    listing.confirmed_at = timezone.now() - datetime.timedelta(days=days)
    listing.save()


def test_a_listing_lapsing_within_14_days_is_reminded_once(cast, settings, run):
    settings.SITE_URL = "https://portal.example.org"
    listing = cast.peer.peer_listing
    age(listing, RECONFIRM_DAYS - 10)
    assert run().strip().endswith("Reminders sent: 1")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.peer.email]
    assert "https://portal.example.org/directory/my-listing/" in message.body
    assert cast.peer.email not in run()
    assert len(mail.outbox) == 1  # second run: nothing more
    listing.refresh_from_db()
    assert listing.reminder_sent_at is not None


def test_confirming_arms_the_reminder_for_the_next_cycle(cast, run):
    listing = cast.peer.peer_listing
    age(listing, RECONFIRM_DAYS - 5)
    run()
    from peers.services import listing_confirm

    listing_confirm(listing=listing)
    age(listing, RECONFIRM_DAYS - 5)
    run()
    assert len(mail.outbox) == 2


def test_fresh_lapsed_and_ineligible_listings_get_no_email(cast, run):
    age(cast.peer.peer_listing, 30)
    assert run().strip().endswith("Reminders sent: 0")
    age(cast.peer.peer_listing, RECONFIRM_DAYS + 1)  # already hidden: too late to remind
    assert run().strip().endswith("Reminders sent: 0")
    age(cast.peer.peer_listing, RECONFIRM_DAYS - 3)
    cast.peer.is_active = False
    cast.peer.save()
    assert run().strip().endswith("Reminders sent: 0")
    assert mail.outbox == []
