"""The Django admin's user pages give no account without a way in, and record role changes in
the staff record as the staff pages do (wnwa.staff.services)."""

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from tests.conftest import sign_in
from tests.factories import StaffFactory
from wnwa.accounts.models import User
from wnwa.staff.models import StaffAct

pytestmark = pytest.mark.django_db

FIELDS = [
    "email",
    "first_name",
    "last_name",
    "department",
    "kind",
    "rank",
    "badge_number",
    "is_active",
    "deactivated_on",
    "is_department_admin",
    "is_vetter",
    "is_training_staff",
    "is_network_admin",
]


@pytest.fixture
def admin(cast):
    return sign_in(Client(), cast.network_admin)


def change(admin: Client, user: User, **changes):
    data = {k: v for k, v in model_to_dict(user, fields=FIELDS).items() if v not in (None, False)}
    data = {k: (v if v is not True else "on") for k, v in data.items()}
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return admin.post(f"/network-admin/accounts/user/{user.pk}/change/", data)


def test_the_admins_add_page_sends_to_the_staff_invitation_and_makes_no_account(admin):
    before = User.objects.count()
    response = admin.get("/network-admin/accounts/user/add/", follow=True)
    assert response.redirect_chain == [("/staff/invite/", 302)]
    page = response.content.decode()
    assert "Accounts are not made here" in page and "department&#x27;s roster" in page
    posted = admin.post("/network-admin/accounts/user/add/", {"email": "nobody@example.test"})
    assert posted.status_code == 302 and posted["Location"] == "/staff/invite/"
    assert User.objects.count() == before


def test_a_role_given_and_removed_in_the_admin_is_in_the_staff_record(cast, admin):
    person = StaffFactory(is_vetter=True)
    response = change(admin, person, is_vetter=False, is_training_staff=True)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert not person.is_vetter and person.is_training_staff
    acts = {(act.kind, act.role, act.actor) for act in StaffAct.objects.filter(subject=person)}
    assert acts == {
        ("role_removed", "is_vetter", cast.network_admin),
        ("role_given", "is_training_staff", cast.network_admin),
    }
    records = admin.get("/staff/records/").content.decode()
    assert "Role given: training staff" in records and "Role removed: vetter" in records


def test_a_change_without_a_change_of_role_records_nothing(admin):
    person = StaffFactory(is_vetter=True)
    assert change(admin, person, first_name="Renamed").status_code == 302
    assert not StaffAct.objects.filter(subject=person).exists()


def test_a_network_admin_role_removed_in_the_admin_takes_the_superuser_flag(admin):
    person = StaffFactory(is_network_admin=True, is_superuser=True)
    assert change(admin, person, is_network_admin=False).status_code == 302
    person.refresh_from_db()
    assert not person.is_network_admin and not person.is_superuser
    assert StaffAct.objects.get(subject=person).kind == "role_removed"


def test_a_network_admin_cannot_remove_their_own_role_in_the_admin(cast, admin):
    me = cast.network_admin
    response = change(admin, me, is_network_admin=False)
    assert response.status_code == 200
    assert "cannot remove your own network-admin role" in response.content.decode()
    me.refresh_from_db()
    assert me.is_network_admin and not StaffAct.objects.filter(subject=me).exists()
