"""A staff account's lifecycle, as a network admin runs it from the staff pages: invited with a
role, a role removed, a lost second factor reset; each recorded, each ending sessions."""

import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client

from tests.conftest import sign_in
from tests.factories import PASSWORD as FACTORY_PASSWORD
from tests.factories import BackupCodeDeviceFactory, TOTPDeviceFactory, UserFactory
from tests.html import squashed
from wnwa.accounts.models import BackupCodeDevice, TOTPDevice, User
from wnwa.passkeys.models import Passkey
from wnwa.staff import services
from wnwa.staff.models import StaffAct

pytestmark = pytest.mark.django_db
PASSWORD = "steady-under-pressure-7"


def is_signed_in(client: Client) -> bool:
    return client.get("/account/").status_code == 200


@pytest.fixture
def admin(cast):
    return sign_in(Client(), cast.network_admin)


def invite(admin, django_capture_on_commit_callbacks, **fields):
    data = {"email": "New.Vetter@Network.test", "first_name": "Rowan", "last_name": "Quist"}
    data.update(fields)
    with django_capture_on_commit_callbacks(execute=True):
        return admin.post("/staff/invite/", data)


def test_an_invited_vetter_gets_the_officers_link_and_sets_up_a_second_factor_first(
    cast, admin, django_capture_on_commit_callbacks
):
    response = invite(admin, django_capture_on_commit_callbacks, role="is_vetter")
    person = User.objects.get(email="new.vetter@network.test")
    assert response.status_code == 302 and response["Location"] == f"/staff/accounts/{person.pk}/"
    assert person.is_vetter and person.is_invited and person.department is None
    (message,) = mail.outbox
    assert message.to == ["new.vetter@network.test"] and "vetter" in message.subject
    link = re.search(r"https?://\S+(/account/invitation/\S+/)", message.body)[1]
    # The officers' invitation: the same page, a password, then signed in...
    newcomer = Client()
    accepted = newcomer.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert accepted.status_code == 302
    # ...and, as staff, held at the second factor's setup before any page.
    held = newcomer.get("/professionals/vetting/")
    assert held.status_code == 302 and held["Location"].startswith("/account/two-factor/")
    act = StaffAct.objects.get(subject=person)
    assert (act.kind, act.role, act.actor) == ("invited", "is_vetter", cast.network_admin)


def test_a_department_admin_is_invited_to_a_department(
    cast, admin, django_capture_on_commit_callbacks
):
    missing = invite(admin, django_capture_on_commit_callbacks, role="is_department_admin")
    assert missing.status_code == 200 and "Choose the department" in missing.content.decode()
    assert not User.objects.filter(email="new.vetter@network.test").exists()
    invite(
        admin,
        django_capture_on_commit_callbacks,
        role="is_department_admin",
        department=cast.department_a.pk,
    )
    person = User.objects.get(email="new.vetter@network.test")
    assert person.is_department_admin and person.department == cast.department_a
    assert "Alpha Police" in mail.outbox[0].body


def test_inviting_an_existing_account_gives_it_the_role_and_ends_its_sessions(
    cast, admin, django_capture_on_commit_callbacks
):
    officer = sign_in(Client(), cast.officer)
    response = invite(
        admin, django_capture_on_commit_callbacks, email="officer@a.test", role="is_training_staff"
    )
    assert response.status_code == 302
    cast.officer.refresh_from_db()
    assert cast.officer.is_training_staff and cast.officer.has_usable_password()
    assert not is_signed_in(officer)
    assert mail.outbox == []  # an active officer's work address gets nothing (privacy rule 8)
    assert StaffAct.objects.get(subject=cast.officer).kind == "role_given"
    again = invite(
        admin, django_capture_on_commit_callbacks, email="officer@a.test", role="is_training_staff"
    )
    assert "already training staff" in again.content.decode()


def test_a_department_admin_role_is_only_for_their_own_department(cast, admin):
    with pytest.raises(services.StaffActionRefused):
        services.staff_invite(
            email="officer@a.test",
            first_name="",
            last_name="",
            role="is_department_admin",
            department=cast.department_b,
            by=cast.network_admin,
        )


def test_removing_a_role_asks_first_then_ends_every_session(cast, admin):
    vetter = sign_in(Client(), cast.vetter)
    url = f"/staff/accounts/{cast.vetter.pk}/roles/vetter/remove/"
    page = admin.get(url)
    assert page.status_code == 200 and "signed out at once" in page.content.decode()
    assert User.objects.get(pk=cast.vetter.pk).is_vetter  # asking changed nothing
    assert admin.post(url).status_code == 302
    assert not User.objects.get(pk=cast.vetter.pk).is_vetter
    assert not is_signed_in(vetter)
    act = StaffAct.objects.get(subject=cast.vetter)
    assert (act.kind, act.role, act.actor) == ("role_removed", "is_vetter", cast.network_admin)
    assert admin.get(url).status_code == 404  # the role is gone


def test_the_last_department_admin_is_named_on_the_confirmation(cast, admin):
    page = admin.get(f"/staff/accounts/{cast.admin_a.pk}/roles/department-admin/remove/")
    assert "last department admin" in page.content.decode()


def test_a_network_admin_cannot_remove_their_own_admin_role(cast, admin):
    response = admin.post(f"/staff/accounts/{cast.network_admin.pk}/roles/network-admin/remove/")
    assert response.status_code == 302
    assert User.objects.get(pk=cast.network_admin.pk).is_network_admin
    assert not StaffAct.objects.exists()


def test_removing_the_network_admin_role_takes_the_superuser_flag_too(cast):
    other = UserFactory(is_network_admin=True, is_superuser=True)
    services.staff_role_remove(user=other, role="is_network_admin", by=cast.network_admin)
    other.refresh_from_db()
    assert not other.is_network_admin and not other.is_superuser


def test_resetting_a_second_factor_asks_then_emails_and_ends_every_session(
    cast, admin, django_capture_on_commit_callbacks
):
    BackupCodeDeviceFactory(user=cast.trainer)
    Passkey.objects.create(
        user=cast.trainer, name="Lost phone", credential_id=b"lost", public_key=b"k"
    )
    trainer = sign_in(Client(), cast.trainer)
    url = f"/staff/accounts/{cast.trainer.pk}/second-factor/reset/"
    page = admin.get(url)
    assert page.status_code == 200 and "emailed" in page.content.decode()
    assert TOTPDevice.objects.filter(user=cast.trainer).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.trainer).exists()
    assert not BackupCodeDevice.objects.filter(user=cast.trainer).exists()
    assert not Passkey.objects.filter(user=cast.trainer).exists()  # no way past the reset
    assert not is_signed_in(trainer)
    (message,) = mail.outbox
    assert message.to == ["trainer@network.test"] and "reset" in message.subject
    assert "set up an authenticator app again" in message.body
    assert StaffAct.objects.get(subject=cast.trainer).kind == "second_factor_reset"
    # Signing in again with the password leads to setting up a new authenticator first.
    again = Client()
    again.post("/accounts/login/", {"login": "trainer@network.test", "password": FACTORY_PASSWORD})
    held = again.get("/trainings/staff/")
    assert held.status_code == 302 and held["Location"].startswith("/account/two-factor/")
    assert again.get("/account/two-factor/").status_code == 200


def test_an_admin_cannot_reset_their_own_second_factor(cast, admin):
    admin.post(f"/staff/accounts/{cast.network_admin.pk}/second-factor/reset/")
    assert TOTPDevice.objects.filter(user=cast.network_admin).exists()


def test_a_pending_invitation_can_be_sent_again_and_shows_when_it_expires(
    cast, admin, django_capture_on_commit_callbacks
):
    invite(admin, django_capture_on_commit_callbacks, role="is_vetter")
    person = User.objects.get(email="new.vetter@network.test")
    page = squashed(admin.get(f"/staff/accounts/{person.pk}/").content.decode())
    assert "Invited, not accepted yet" in page and "expires" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(f"/staff/accounts/{person.pk}/invitation/").status_code == 302
    assert len(mail.outbox) == 2
    assert StaffAct.objects.filter(subject=person, kind="invited").count() == 2
    # An active account has no invitation to resend.
    assert admin.get(f"/staff/accounts/{cast.vetter.pk}/invitation/").status_code == 404


def test_the_record_names_who_did_what_to_whom(cast, admin):
    services.staff_role_remove(user=cast.vetter, role="is_vetter", by=cast.network_admin)
    page = admin.get("/staff/records/").content.decode()
    assert "Role removed: vetter" in page
    assert "vetter@network.test" in page and "root@network.test" in page


def test_an_account_is_found_by_its_email(cast, admin):
    found = admin.get("/staff/", {"email": "OFFICER@a.test"})
    assert found.status_code == 302 and found["Location"] == f"/staff/accounts/{cast.officer.pk}/"
    unknown = admin.get("/staff/", {"email": "nobody@a.test"})
    assert unknown.status_code == 200 and "No account has this email" in unknown.content.decode()


def test_records_naming_an_account_are_erased_with_it(cast):
    """The retention purge's step (departments.services.deactivated_purge calls it): our
    records, and Django admin's log of changes to the account, by it, and to what goes with it."""
    services.staff_role_remove(user=cast.admin_a, role="is_department_admin", by=cast.network_admin)
    services.staff_role_remove(user=cast.vetter, role="is_vetter", by=cast.network_admin)
    device = TOTPDeviceFactory(user=cast.officer)
    user_type = ContentType.objects.get_for_model(User)
    device_type = ContentType.objects.get_for_model(TOTPDevice)

    def log(content_type, object_id, by):
        return LogEntry.objects.create(
            user=by,
            content_type=content_type,
            object_id=str(object_id),
            object_repr="Sloane Vandermeulen",
            action_flag=CHANGE,
        )

    about_officer = log(user_type, cast.officer.pk, cast.network_admin)
    about_device = log(device_type, device.pk, cast.network_admin)
    by_admin = log(user_type, cast.vetter.pk, cast.admin_a)
    kept = log(user_type, cast.vetter.pk, cast.network_admin)
    services.records_erase(user_ids=[cast.officer.pk, cast.admin_a.pk])
    assert list(StaffAct.objects.values_list("subject", flat=True)) == [cast.vetter.pk]
    remaining = set(LogEntry.objects.values_list("pk", flat=True))
    assert remaining == {kept.pk}
    assert {about_officer.pk, about_device.pk, by_admin.pk}.isdisjoint(remaining)
