"""Each staff role's landing page lists its work, each item linking to where it is done, in a
fixed number of queries however large the department (portal.work)."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from departments.models import Department
from tests.conftest import sign_in
from tests.factories import (
    ApplicationFactory,
    AssessmentFactory,
    AttendanceFactory,
    CertificationFactory,
    DepartmentFactory,
    LicenceFactory,
    ProfessionalFactory,
    RegistrationFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
    listed_peer,
)
from trainings.models import Certification
from wnwa.staff import services as staff_services

pytestmark = pytest.mark.django_db


def landing(user) -> str:
    response = sign_in(Client(), user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def designation_on_file(department):
    """A signed designation a network admin has verified (the status reads only these)."""
    Department.objects.filter(pk=department.pk).update(
        designation_document="designations/signed.pdf", designation_verified_at=timezone.now()
    )


def test_a_department_admin_sees_invitations_lapsing_listings_the_quota_and_designation(cast):
    UserFactory.create_batch(3, department=cast.department_a, password=None)
    almost = timezone.now() - datetime.timedelta(days=175)
    listed_peer(cast.department_a, confirmed_at=almost)
    listed_peer(cast.department_a, confirmed_at=timezone.now() - datetime.timedelta(days=200))
    page = landing(cast.admin_a)
    assert "3 officers have not accepted their invitation yet" in page
    assert 'href="/department/invitations/"' in page
    assert "1 peer&#x27;s listing lapses within 14 days" in page
    assert "1 peer&#x27;s listing has lapsed" in page
    days_left = cast.department_a.days_to_quota_deadline()
    assert f"Peer quota: 3 more listed peers needed; {days_left} days left" in page
    assert "designation of the network" in page and 'href="/department/compliance/"' in page
    assert "Find a peer" in page  # an officer's tiles still come first


def test_a_department_admin_is_told_of_invitations_expired_and_about_to_expire(cast):
    from departments.models import Invitation

    today = timezone.localdate()
    days = settings.INVITATION_MAX_AGE_DAYS
    for sent_on in [
        today - datetime.timedelta(days=days + 3),
        today - datetime.timedelta(days=days - 1),
        today,
    ]:
        officer = UserFactory(department=cast.department_a, password=None)
        Invitation.objects.create(officer=officer, sent_on=sent_on)
    page = landing(cast.admin_a)
    assert (
        "3 officers have not accepted their invitation yet (1 expired, 1 expiring within days)"
        in page
    )


def test_a_department_with_nothing_to_do_says_so(cast):
    department = cast.department_a
    designation_on_file(department)
    for _ in range(4):
        listed_peer(department)
    assert "Nothing to do for your department right now." in landing(cast.admin_a)


def test_the_department_list_costs_the_same_queries_for_3_or_300_officers(cast):
    def queries() -> int:
        client = sign_in(Client(), cast.admin_a)
        client.get("/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    UserFactory.create_batch(3, department=cast.department_a, password=None)
    listed_peer(cast.department_a)
    few = queries()
    UserFactory.create_batch(300, department=cast.department_a, password=None)
    for _ in range(20):
        listed_peer(cast.department_a, confirmed_at=timezone.now() - datetime.timedelta(days=175))
    assert queries() == few
    assert few <= 20


def test_a_vetter_sees_what_awaits_their_own_assessment(cast):
    ApplicationFactory()
    assessed = ApplicationFactory()
    AssessmentFactory(application=assessed, vetter=cast.vetter)
    AssessmentFactory(application=assessed)  # someone else's does not count for me
    ProfessionalFactory(availability_confirmed_on=timezone.localdate() - datetime.timedelta(100))
    LicenceFactory(expires_on=timezone.localdate() + datetime.timedelta(days=20))
    page = landing(cast.vetter)
    assert "1 application awaits your assessment." in page
    assert "1 listed professional has not confirmed" in page
    assert 'href="/professionals/vetting/#overdue"' in page
    assert "1 licence expires within 60 days" in page
    other = StaffFactory(is_vetter=True)
    assert "2 applications await your assessment." in landing(other)


def test_a_vetter_with_nothing_to_vet_is_told_so(cast):
    assert "Nothing to vet right now." in landing(cast.vetter)


def test_training_staff_see_attendance_to_take_exams_open_and_external_trainings(cast):
    today = timezone.localdate()
    running = SessionFactory(starts_on=today - datetime.timedelta(days=1))
    first, _second = RegistrationFactory.create_batch(2, session=running)
    AttendanceFactory(registration=first, day=running.starts_on)
    ended = SessionFactory(starts_on=today - datetime.timedelta(days=10))
    finished = RegistrationFactory(session=ended)
    for day in ended.days:
        AttendanceFactory(registration=finished, day=day)
    CertificationFactory(
        source=Certification.Source.EXTERNAL,
        status=Certification.Status.PENDING,
        person=cast.officer,
    )
    page = landing(cast.trainer)
    # Two trainees, two days so far, one mark taken.
    assert "3 marks missing" in page
    assert f'href="/trainings/staff/sessions/{running.pk}/attendance/"' in page
    assert "Exam open for" in page and f'href="/trainings/staff/sessions/{ended.pk}/"' in page
    assert "1 external training waits to be verified." in page
    assert f"/trainings/staff/sessions/{ended.pk}/attendance/" not in page  # all marks taken


def test_training_staff_with_nothing_to_do_are_told_so(cast):
    assert "Nothing to do for the trainings right now." in landing(cast.trainer)


def test_a_network_admin_sees_terms_designations_and_staff_invitations(cast):
    today = timezone.localdate()
    cast.department_a.term_ends_on = today + datetime.timedelta(days=20)
    cast.department_a.save()
    # Past its first term, it renews every year: this year's renewal is in a month.
    cast.department_b.joined_on = today.replace(year=today.year - 5) + datetime.timedelta(30)
    cast.department_b.save()
    staff_services.staff_invite(
        email="new@network.test",
        first_name="New",
        last_name="Person",
        role="is_vetter",
        department=None,
        by=cast.network_admin,
    )
    page = landing(cast.network_admin)
    assert "Alpha Police renews" in page and "Bravo Police renews" in page
    assert f'href="/network-admin/departments/department/{cast.department_a.pk}/change/"' in page
    assert "2 member departments have no designation on file (Alpha Police, Bravo Police)" in page
    Department.objects.filter(pk=cast.department_b.pk).update(designation_document="d/x.pdf")
    page = landing(cast.network_admin)
    assert "1 member department has no designation on file (Alpha Police)" in page
    assert "1 designation awaits your verification." in page
    assert "?membership_status=active&amp;designation=awaiting" in page
    assert "awaits a network admin" in landing(cast.admin_b)
    assert "1 staff invitation is not accepted yet." in page and 'href="/staff/"' in page


def test_a_department_far_from_renewal_needs_nothing(cast):
    for department in (cast.department_a, cast.department_b):
        designation_on_file(department)
    page = landing(cast.network_admin)
    assert "Nothing needs the network&#x27;s admins right now." in page
    assert "renews" not in page


def test_an_officer_has_no_work_list(cast):
    page = landing(cast.officer)
    assert "to do" not in page and "Nothing to" not in page


def test_the_network_list_costs_the_same_queries_for_13_or_40_departments(cast):
    def queries() -> int:
        client = sign_in(Client(), cast.network_admin)
        client.get("/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    soon = timezone.localdate() + datetime.timedelta(days=10)
    DepartmentFactory.create_batch(11, term_ends_on=soon)  # past the ten the page names
    few = queries()
    DepartmentFactory.create_batch(27, term_ends_on=soon)
    assert queries() == few
    assert "…and 28 more departments whose term needs action." in landing(cast.network_admin)
