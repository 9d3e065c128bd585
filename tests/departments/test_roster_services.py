"""Planning and applying a roster (departments.services), against the real database."""

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import TestCase

from departments import services
from departments.models import Invitation, RosterPreview
from tests.departments.rosters import csv_bytes, officers
from tests.factories import UserFactory
from wnwa.accounts.models import User


def preview_of(cast, rows, *, full_roster=False, uploader=None, header=None):
    return services.roster_preview_create(
        department=cast.department_a,
        content=csv_bytes(rows, header),
        file_name="roster.csv",
        full_roster=full_roster,
        uploader=uploader or cast.admin_a,
    )


def apply(cast, preview, by=None, confirm=None):
    """Apply as the web request does, running the after-commit callbacks (the emails)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.roster_apply(
            preview_id=preview.pk,
            department=cast.department_a,
            by=by or cast.admin_a,
            confirmed_deactivations=confirm,
        )


def messages_of(preview):
    return [(e["line"], e["message"]) for e in preview.errors]


def test_a_preview_plans_additions_and_changes_and_writes_no_officer(cast):
    cast.officer.badge_number, cast.officer.rank = "77", "Officer"
    cast.officer.save()
    before = User.objects.count()
    rows = [
        [
            cast.officer.email.upper(),
            cast.officer.first_name,
            cast.officer.last_name,
            "77",
            "Sgt",
            "",
        ],
        ["new@alpha.test", "Nia", "New", "78", "Officer", "civilian"],
    ]
    preview = preview_of(cast, rows)
    assert preview.errors == []
    assert (preview.added, preview.changed, preview.deactivated) == (1, 1, 0)
    assert preview.plan["change"][0]["fields"] == {"rank": ["Officer", "Sgt"]}
    assert preview.plan["add"][0]["email"] == "new@alpha.test"
    assert User.objects.count() == before
    assert RosterPreview.objects.get(pk=preview.pk).fingerprint == preview.fingerprint


def test_applying_enrolls_changes_and_invites_each_new_officer_once(cast, client):
    preview = preview_of(
        cast, officers(3) + [[cast.officer.email, "Renamed", "Officer", "", "", ""]]
    )
    apply(cast, preview)
    new = User.objects.filter(email__startswith="recruit", department=cast.department_a)
    assert new.count() == 3
    assert all(not person.has_usable_password() and person.is_invited for person in new)
    cast.officer.refresh_from_db()
    assert cast.officer.first_name == "Renamed"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in new)
    assert Invitation.objects.queued().count() == 0
    link = re.search(r"http://127\.0\.0\.1:8000(/account/invitation/\S+/)", mail.outbox[0].body)
    assert link and client.get(link.group(1)).status_code == 200
    assert "Alpha Police" in mail.outbox[0].subject


def test_enrollment_never_hashes_a_password(cast, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a password was hashed during enrollment")

    monkeypatch.setattr(MD5PasswordHasher, "encode", refuse)
    apply(cast, preview_of(cast, officers(20)))
    passwords = set(
        User.objects.filter(email__startswith="recruit").values_list("password", flat=True)
    )
    assert len(passwords) == 1 and passwords.pop().startswith("!")


def test_duplicate_emails_within_the_file_are_errors_whatever_their_case(cast):
    rows = officers(2) + [["RECRUIT0@alpha.test", "Again", "Twice", "", "", ""]]
    preview = preview_of(cast, rows)
    assert messages_of(preview) == [(4, "This email is also on line 2.")]


def test_an_email_enrolled_in_another_department_is_an_error_that_does_not_name_it(cast):
    preview = preview_of(cast, [[cast.peer.email, "Pat", "Peer", "", "", ""]])
    [(line, message)] = messages_of(preview)
    assert line == 2 and "already enrolled elsewhere in the network" in message
    assert cast.department_b.name not in message and "Bravo" not in message
    assert preview.errors[0]["column"] == 'A ("Email")'


def test_a_badge_number_already_held_in_the_department_is_an_error(cast):
    cast.officer.badge_number = "1001"
    cast.officer.save()
    preview = preview_of(cast, [["new@alpha.test", "Nia", "New", "1001", "", ""]])
    [(line, message)] = messages_of(preview)
    assert line == 2 and message.startswith("Badge 1001 already belongs to another officer")
    assert preview.errors[0]["column"] == 'D ("Badge")'


def test_a_badge_number_repeated_in_the_file_is_an_error(cast):
    rows = [["a@alpha.test", "A", "A", "9", "", ""], ["b@alpha.test", "B", "B", "9", "", ""]]
    assert messages_of(preview_of(cast, rows)) == [(3, "Badge 9 is also on line 2.")]


def test_two_officers_can_swap_badges_in_one_upload(cast):
    other = UserFactory(department=cast.department_a, badge_number="2")
    cast.officer.badge_number = "1"
    cast.officer.save()
    rows = [
        [cast.officer.email, cast.officer.first_name, cast.officer.last_name, "2", "", ""],
        [other.email, other.first_name, other.last_name, "1", "", ""],
    ]
    preview = preview_of(cast, rows)
    assert preview.errors == []
    apply(cast, preview)
    cast.officer.refresh_from_db()
    other.refresh_from_db()
    assert (cast.officer.badge_number, other.badge_number) == ("2", "1")


def test_a_file_with_any_bad_row_cannot_be_applied_and_writes_nothing(cast):
    preview = preview_of(cast, officers(5) + [["broken", "B", "C", "", "", ""]], full_roster=True)
    assert preview.errors
    counts = (User.objects.count(), User.objects.filter(is_active=True).count())
    with pytest.raises(services.RosterNotApplicable, match="has errors"):
        apply(cast, preview)
    assert (User.objects.count(), User.objects.filter(is_active=True).count()) == counts
    assert Invitation.objects.queued().count() == 0 and mail.outbox == []


def test_the_whole_roster_deactivates_the_missing_but_never_the_uploader(cast):
    preview = preview_of(cast, officers(2), full_roster=True)
    assert [entry["email"] for entry in preview.plan["deactivate"]] == [cast.officer.email]
    apply(cast, preview, confirm=1)  # one of two officers: more than a tenth
    cast.officer.refresh_from_db()
    cast.admin_a.refresh_from_db()
    assert not cast.officer.is_active and cast.officer.deactivated_on is not None
    assert cast.admin_a.is_active


def test_without_the_whole_roster_box_nobody_is_deactivated(cast):
    preview = preview_of(cast, officers(2))
    assert preview.deactivated == 0
    apply(cast, preview)
    cast.officer.refresh_from_db()
    assert cast.officer.is_active


def test_a_preview_cannot_be_applied_twice(cast):
    preview = preview_of(cast, officers(2))
    apply(cast, preview)
    with pytest.raises(services.RosterNotApplicable, match="already applied"):
        apply(cast, preview)
    assert User.objects.filter(email__startswith="recruit").count() == 2
    assert RosterPreview.objects.get(pk=preview.pk).plan == {}


def test_a_stale_preview_is_refused_with_an_explanation(cast):
    preview = preview_of(cast, officers(2))
    services.officer_deactivate(officer=cast.officer, by=cast.admin_a)
    with pytest.raises(services.RosterNotApplicable, match="changed since this preview"):
        apply(cast, preview)
    assert not User.objects.filter(email__startswith="recruit").exists()


def test_an_email_enrolled_elsewhere_after_the_preview_is_refused_cleanly(cast):
    preview = preview_of(cast, officers(2))
    UserFactory(email="recruit1@alpha.test", department=cast.department_b)
    with pytest.raises(services.RosterNotApplicable, match="enrolled elsewhere"):
        apply(cast, preview)
    assert not User.objects.filter(email="recruit0@alpha.test").exists()


def test_a_deactivated_officer_in_the_file_is_reactivated(cast):
    services.officer_deactivate(officer=cast.officer, by=cast.admin_a)
    row = [cast.officer.email, cast.officer.first_name, cast.officer.last_name, "", "", ""]
    preview = preview_of(cast, [row])
    assert preview.plan["change"][0]["fields"]["is_active"] == ["deactivated", "active"]
    apply(cast, preview)
    cast.officer.refresh_from_db()
    assert cast.officer.is_active and cast.officer.deactivated_on is None


def test_a_blank_cell_clears_an_optional_field_and_a_missing_column_keeps_it(cast):
    cast.officer.badge_number, cast.officer.rank = "55", "Detective"
    cast.officer.save()
    row = [cast.officer.email, cast.officer.first_name, cast.officer.last_name, ""]
    preview = preview_of(cast, [row], header=["Email", "First", "Last", "Rank"])
    apply(cast, preview)
    cast.officer.refresh_from_db()
    assert (cast.officer.badge_number, cast.officer.rank) == ("55", "")


def test_an_applied_roster_is_queued_for_the_worker_not_mailed_in_the_request(cast, task_queue):
    apply(cast, preview_of(cast, officers(3)))
    assert mail.outbox == [] and Invitation.objects.queued().count() == 3
    assert task_queue.waiting() == 1
    assert task_queue.run() == 1
    assert len(mail.outbox) == 3 and Invitation.objects.queued().count() == 0


def test_queued_invitations_skip_officers_deactivated_meanwhile(cast, task_queue):
    apply(cast, preview_of(cast, officers(2)))
    gone = User.objects.get(email="recruit0@alpha.test")
    services.officer_deactivate(officer=gone, by=cast.admin_a)
    task_queue.run()
    assert [m.to for m in mail.outbox] == [["recruit1@alpha.test"]]
    assert not Invitation.objects.queued().exists()


def test_an_invitation_queued_twice_is_sent_once(cast, task_queue):
    apply(cast, preview_of(cast, officers(1)))
    officer = User.objects.get(email="recruit0@alpha.test")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.invitation_resend(officer=officer)  # before the first went
    assert task_queue.waiting() == 2
    assert task_queue.run() == 2
    assert [m.to for m in mail.outbox] == [["recruit0@alpha.test"]]


def test_a_failed_invitation_stays_queued_and_its_task_is_retried(
    cast, task_queue, monkeypatch, log_output
):
    from django_tasks_db.models import DBTaskResult

    apply(cast, preview_of(cast, officers(2)))
    sent = []

    def first_refused(self, messages):
        if not sent:
            sent.append(None)
            raise OSError("connection refused by recruit0@alpha.test")
        return len(messages)

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", first_refused
    )
    task_queue.run()  # one sent, one refused: the task waits for its retry
    assert Invitation.objects.queued().count() == 1
    task = DBTaskResult.objects.get()
    assert (task.status, task.traceback) == ("READY", "")
    assert "invitation not sent: OSError" in log_output.getvalue()
    assert "@" not in log_output.getvalue()  # by kind, never the address
    DBTaskResult.objects.update(run_after=task.enqueued_at)  # its retry is due
    assert task_queue.run() == 1
    assert not Invitation.objects.queued().exists() and not DBTaskResult.objects.exists()


def test_a_whole_roster_upload_unlists_departing_peers_and_relists_returning_ones(cast):
    from peers.selectors import listed_peers
    from tests.factories import CertificationFactory, PeerListingFactory

    CertificationFactory(person=cast.officer)
    PeerListingFactory(peer=cast.officer)
    apply(cast, preview_of(cast, officers(2), full_roster=True), confirm=1)
    assert not listed_peers().filter(peer=cast.officer).exists()
    row = [cast.officer.email, cast.officer.first_name, cast.officer.last_name, "", "", ""]
    apply(cast, preview_of(cast, [row]))
    assert listed_peers().filter(peer=cast.officer).exists()
