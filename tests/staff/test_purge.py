"""The retention purge erases, with each officer, every record naming them: the staff pages'
record of acts and Django admin's own log (django_admin_log)."""

import datetime
import io

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from peers.models import PeerListing
from tests.factories import AssessmentFactory, PeerListingFactory, UserFactory
from wnwa.accounts.models import User
from wnwa.staff import services
from wnwa.staff.models import StaffAct

pytestmark = pytest.mark.django_db


def _log(obj, by) -> LogEntry:
    return LogEntry.objects.create(
        user=by,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj),
        action_flag=CHANGE,
    )


def _long_gone(**fields) -> User:
    old = timezone.localdate() - datetime.timedelta(days=settings.RETENTION_DAYS + 1)
    return UserFactory(is_active=False, deactivated_on=old, **fields)


def purge() -> None:
    call_command("purge_deactivated", stdout=io.StringIO())


def test_the_purge_erases_the_records_and_admin_log_naming_the_officer(cast):
    gone = _long_gone(department=cast.department_a, is_training_staff=True)
    listing = PeerListingFactory(peer=gone)
    services.staff_role_remove(user=gone, role="is_training_staff", by=cast.network_admin)
    services.staff_role_remove(user=cast.vetter, role="is_vetter", by=cast.network_admin)
    about_gone = _log(gone, cast.network_admin)
    about_listing = _log(listing, cast.network_admin)
    about_vetter = _log(cast.vetter, cast.network_admin)
    purge()
    assert not User.objects.filter(pk=gone.pk).exists()
    assert not PeerListing.objects.filter(pk=listing.pk).exists()
    assert list(StaffAct.objects.values_list("subject", flat=True)) == [cast.vetter.pk]
    assert set(LogEntry.objects.values_list("pk", flat=True)) == {about_vetter.pk}
    assert {about_gone.pk, about_listing.pk}.isdisjoint(LogEntry.objects.values_list("pk"))


def test_an_officer_kept_for_a_protected_record_loses_their_log_entries_too(cast):
    """A vetter's assessment protects their row, which the purge blanks instead of deleting."""
    gone = _long_gone(department=cast.department_a, is_vetter=True)
    AssessmentFactory(vetter=gone)
    services.staff_role_remove(user=gone, role="is_vetter", by=cast.network_admin)
    about_gone = _log(gone, cast.network_admin)
    by_gone = _log(cast.officer, gone)
    purge()
    gone.refresh_from_db()
    assert gone.email.endswith("@erased.invalid")
    assert not StaffAct.objects.exists()
    assert not LogEntry.objects.filter(pk__in=[about_gone.pk, by_gone.pk]).exists()
