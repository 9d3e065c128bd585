"""import_roster, send_invitations and purge_deactivated."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.utils import timezone

from departments.models import Invitation, RosterPreview
from peers.models import PeerListing
from tests.departments.rosters import csv_bytes, officers, xlsx_bytes
from tests.factories import CertificationFactory, PeerListingFactory, UserFactory
from wnwa.accounts.models import User


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def roster_file(tmp_path):
    def write(content: bytes, name: str = "hr-export.csv"):
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)

    return write


def test_import_roster_previews_without_writing(cast, roster_file):
    output = run("import_roster", "alpha-pd", roster_file(csv_bytes(officers(3))))
    assert (
        "3 rows read; 3 to add, 0 to change, 0 to deactivate, 0 to mark retired, 0 errors."
        in output
    )
    assert "run again with --apply" in output
    assert not User.objects.filter(email__startswith="recruit").exists()
    assert not RosterPreview.objects.exists()


def test_import_roster_lists_every_error_and_exits_1(cast, roster_file):
    rows = officers(2) + [["bad", "A", "B", "", "", ""], [cast.peer.email, "P", "Q", "", "", ""]]
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 errors: nothing was applied") as failure:
        call_command(
            "import_roster", "alpha-pd", roster_file(csv_bytes(rows)), "--apply", stdout=out
        )
    assert failure.value.returncode == 1
    text = out.getvalue()
    assert 'line 4, column A ("Email"): “bad” is not an email address.' in text
    assert "line 5, column A" in text and "Bravo" not in text
    assert not User.objects.filter(email__startswith="recruit").exists()


def test_import_roster_applies_a_full_roster_from_excel(cast, roster_file, settings):
    args = ["import_roster", "alpha-pd", roster_file(xlsx_bytes(officers(4)), "hr.xlsx")]
    args += ["--full-roster", "--apply"]
    # Both of the department's officers go: more than a tenth, so the count must be confirmed.
    with pytest.raises(CommandError, match="--confirm-deactivations 2 if that is what you mean"):
        run(*args)
    with pytest.raises(CommandError, match="needs that number confirmed"):
        run(*args, "--confirm-deactivations", "1")
    assert not User.objects.filter(email__startswith="recruit").exists()
    output = run(*args, "--confirm-deactivations", "2")
    assert "This deactivates 2 of 2 active officers (0 of them listed peers)" in output
    assert "Applied: 4 added, 0 changed, 2 deactivated." in output
    assert User.objects.filter(email__startswith="recruit").count() == 4
    assert not User.objects.get(pk=cast.admin_a.pk).is_active  # no uploader to spare
    assert Invitation.objects.queued().count() == 4
    with TestCase.captureOnCommitCallbacks(execute=True):  # the tasks are queued on commit
        assert run("send_invitations") == "Invitations handed to the worker: 4.\n"
    assert len(mail.outbox) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-pd", "x.csv"], "No department has the slug"),
        (["alpha-pd", "/nonexistent/roster.csv"], "Cannot read"),
    ],
)
def test_import_roster_refuses_a_bad_department_or_file(cast, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_roster", *args)


def test_import_roster_refuses_a_file_over_the_limit(cast, roster_file):
    with pytest.raises(CommandError, match="the limit is 10 MB"):
        call_command("import_roster", "alpha-pd", roster_file(b"x" * (10 * 1024 * 1024 + 1)))


def test_purge_erases_officers_past_retention_and_prints_counts_only(cast):
    today = timezone.localdate()
    old = UserFactory(
        department=cast.department_a,
        email="old@alpha.test",
        is_active=False,
        deactivated_on=today - datetime.timedelta(days=91),
    )
    CertificationFactory(person=old)
    PeerListingFactory(peer=old)
    recent = UserFactory(
        department=cast.department_a,
        email="recent@alpha.test",
        is_active=False,
        deactivated_on=today - datetime.timedelta(days=89),
    )
    output = run("purge_deactivated")
    assert output.startswith("Erased 1 officers deactivated more than 90 days ago")
    assert "@" not in output  # counts, never who
    assert not User.objects.filter(email="old@alpha.test").exists()
    assert not PeerListing.objects.filter(peer_id=old.pk).exists()
    assert User.objects.filter(pk=recent.pk).exists()
    assert User.objects.filter(pk=cast.officer.pk).exists()


def test_purge_follows_the_retention_setting_and_removes_old_previews(cast, settings):
    settings.RETENTION_DAYS = 10
    UserFactory(
        department=cast.department_a,
        is_active=False,
        deactivated_on=timezone.localdate() - datetime.timedelta(days=11),
    )
    old = RosterPreview.objects.create(department=cast.department_a, fingerprint="x")
    RosterPreview.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    fresh = RosterPreview.objects.create(department=cast.department_a, fingerprint="y")
    output = run("purge_deactivated")
    assert "Erased 1 officers deactivated more than 10 days ago" in output
    assert "deleted 1 old roster previews" in output
    assert list(RosterPreview.objects.values_list("pk", flat=True)) == [fresh.pk]
