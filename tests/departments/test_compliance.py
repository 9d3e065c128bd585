"""The compliance page: enrollment, the peer quota, deadlines and the designation. No usage."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from departments.models import Department
from departments.selectors import department_compliance
from tests.conftest import sign_in
from tests.factories import CertificationFactory, PeerListingFactory, UserFactory
from tests.html import squashed


@pytest.fixture
def admin_client(client, cast):
    return sign_in(client, cast.admin_a)


def test_the_page_says_how_many_peers_are_still_needed_and_by_when(admin_client, cast):
    department = cast.department_a
    department.joined_on = timezone.localdate() - datetime.timedelta(days=100)
    department.save()
    peer = UserFactory(department=department)
    CertificationFactory(person=peer)
    PeerListingFactory(peer=peer)
    html = squashed(admin_client.get(reverse("departments:compliance")).content.decode())
    assert "1</strong> active and listed; your department needs 4 to 5" in html
    assert "<strong>3 more</strong> trained peers" in html
    deadline = department.quota_deadline()
    assert (deadline - timezone.localdate()).days > 200
    assert f"{(deadline - timezone.localdate()).days} days left" in html
    assert "Missing</span>." in html


def test_enrolled_sworn_officers_are_counted_against_declared_strength(cast):
    UserFactory(department=cast.department_a, kind="civilian")
    UserFactory(department=cast.department_a, is_active=False)
    figures = department_compliance(department=cast.department_a, listed_peers=0)
    assert figures.sworn_enrolled == 2  # the officer and the admin
    assert figures.sworn_strength == 50 and figures.enrolled_percent == 4
    assert figures.peers_needed == 4 and not figures.quota_met


def test_a_passed_deadline_and_the_renewals_are_shown(cast):
    today = datetime.date(2026, 6, 1)
    department = cast.department_a
    department.joined_on, department.term_ends_on = datetime.date(2022, 3, 15), None
    figures = department_compliance(department=department, listed_peers=5, today=today)
    assert figures.deadline == datetime.date(2023, 3, 15)
    assert figures.days_overdue == (today - datetime.date(2023, 3, 15)).days
    assert figures.term_end == datetime.date(2025, 3, 15)
    assert figures.next_renewal == datetime.date(2027, 3, 15)
    assert figures.quota_met


def test_a_prospective_department_has_no_deadline_yet(admin_client, cast):
    Department.objects.filter(pk=cast.department_a.pk).update(joined_on=None)
    html = admin_client.get(reverse("departments:compliance")).content.decode()
    assert "The deadline is set when your membership starts" in html


def test_the_designation_on_file_is_shown_and_downloadable_by_its_admins_only(
    admin_client, cast, client, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    department = cast.department_a
    department.designation_signed_on = datetime.date(2026, 1, 5)
    department.designation_signed_by = "Chief Dana Ortiz"
    department.designation_document.save("designation.pdf", ContentFile(b"%PDF-1.4 signed"))
    department.designation_verified_at = timezone.now()
    department.save()
    html = admin_client.get(reverse("departments:compliance")).content.decode()
    assert "On file</span>." in html and "Chief Dana Ortiz" in html
    download = admin_client.get(reverse("departments:designation-document"))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    other = sign_in(client.__class__(), cast.admin_b)
    assert other.get(reverse("departments:designation-document")).status_code == 404
    officer = sign_in(client.__class__(), cast.officer)
    assert officer.get(reverse("departments:designation-document")).status_code == 403


def test_the_page_shows_no_usage_figure(admin_client):
    html = admin_client.get(reverse("departments:compliance")).content.decode().lower()
    for word in ("sign-ins", "logins", "last seen", "calls made", "searches", "visits"):
        assert word not in html


def test_viewing_the_roster_and_compliance_writes_nothing(admin_client):
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(reverse("departments:home"))
        admin_client.get(reverse("departments:compliance"))
        admin_client.get(reverse("departments:roster-export"))
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
