import pytest
from django.apps import apps
from django.core.management import call_command

from wnwa.accounts import roles
from wnwa.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=False)

DEMO_ACCOUNTS = {
    "officer@demo.test": roles.Role.OFFICER,
    "retiree@demo.test": roles.Role.RETIREE,
    "family@demo.test": roles.Role.FAMILY,
    "peer@demo.test": roles.Role.PEER_SUPPORTER,
    "deptadmin@demo.test": roles.Role.DEPARTMENT_ADMIN,
    "vetter@demo.test": roles.Role.VETTER,
    "trainer@demo.test": roles.Role.TRAINING_STAFF,
    "admin@demo.test": roles.Role.NETWORK_ADMIN,
}


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_builds_a_network_with_one_account_per_role(capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    for email, role in DEMO_ACCOUNTS.items():
        user = User.objects.get(email=email)
        assert roles.has_role(user, role), email
        assert email in output
        assert user.check_password("walk-together-2026")
        assert roles.requires_two_factor(user) == roles.has_two_factor(user), email
    assert output.count("  TOTP secret ") == 4
    assert 250 <= User.objects.count() <= 450
    assert roles.is_officer(User.objects.get(email="officer@demo.test"))
    officer, peer = (
        User.objects.get(email="officer@demo.test"),
        User.objects.get(email="peer@demo.test"),
    )
    assert officer.department != peer.department
    retiree = User.objects.get(email="retiree@demo.test")
    assert retiree.department == officer.department and retiree.is_retired  # Oak Ridge PD
    from peers.selectors import listed_peers

    (retired_peer,) = listed_peers().filter(retired=True)
    assert "Retired peer: " in output and retired_peer.peer.email in output
    # The officer's family member, and a few peers and professionals who serve families.
    family = User.objects.get(email="family@demo.test")
    assert family.department is None and not roles.is_officer(family)
    assert family.family_account.invited_by == officer
    assert family.family_account.department == officer.department
    assert "family member of officer@demo.test" in output
    assert 3 <= listed_peers().filter(talks_with_families=True).count() < listed_peers().count()
    assert listed_peers().filter(talks_with_families=True, peer=peer).exists()
    from professionals.selectors import listed_professionals

    assert listed_professionals().filter(sees_families=True).exists()


def test_running_seed_demo_twice_creates_nothing_twice():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = row_counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert row_counts() == first


def test_the_demo_shows_invitations_in_every_state_and_sends_a_few(
    mailoutbox, django_capture_on_commit_callbacks
):
    from departments.models import Department
    from departments.selectors import invitation_counts

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    home = Department.objects.get(slug="oak-ridge-pd")
    counts = invitation_counts(department=home)
    assert counts["valid"] and counts["expiring"] and counts["expired"] and counts["none"]
    accepted = User.objects.filter(department=home, email__startswith="officer")
    assert any(officer.has_usable_password() for officer in accepted)
    invitations = [m for m in mailoutbox if m.to[0].endswith("@oak-ridge-pd.demo.test")]
    assert len(invitations) == 3  # through the worker's tasks, as `make run` shows on its console
