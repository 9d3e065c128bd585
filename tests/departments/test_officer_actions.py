"""Per-officer actions: deactivate, reactivate, resend the invitation, make or unmake admin."""

import pytest
from django.test import Client
from django.urls import reverse

from departments import services
from departments.models import Invitation
from peers.selectors import listed_peers
from tests.conftest import sign_in
from tests.factories import CertificationFactory, PeerListingFactory, UserFactory


@pytest.fixture
def admin_client(client, cast):
    return sign_in(client, cast.admin_a)


def url(name, person):
    return reverse(f"departments:{name}", args=[person.pk])


def test_deactivation_asks_first_then_signs_the_officer_out_on_their_next_request(
    admin_client, cast
):
    officer_client = sign_in(Client(), cast.officer, second_factor=False)
    assert officer_client.get(reverse("accounts:account")).status_code == 200
    confirm = admin_client.get(url("officer-deactivate", cast.officer))
    assert "signed out at once" in confirm.content.decode()
    cast.officer.refresh_from_db()
    assert cast.officer.is_active  # the confirmation page changed nothing
    response = admin_client.post(url("officer-deactivate", cast.officer))
    assert response.headers["Location"] == url("officer", cast.officer)
    next_request = officer_client.get(reverse("accounts:account"))
    assert next_request.status_code == 302 and "/accounts/login/" in next_request["Location"]
    cast.officer.refresh_from_db()
    assert cast.officer.deactivated_on is not None


def test_deactivating_a_peer_removes_their_listing_at_once(admin_client, cast):
    peer = UserFactory(department=cast.department_a)
    CertificationFactory(person=peer)
    PeerListingFactory(peer=peer)
    assert listed_peers().filter(peer=peer).exists()
    admin_client.post(url("officer-deactivate", peer))
    assert not listed_peers().filter(peer=peer).exists()


def test_an_admin_cannot_deactivate_themself(admin_client, cast):
    response = admin_client.post(url("officer-deactivate", cast.admin_a), follow=True)
    assert "You cannot deactivate yourself" in response.content.decode()
    cast.admin_a.refresh_from_db()
    assert cast.admin_a.is_active


def test_reactivation_restores_sign_in(admin_client, cast):
    services.officer_deactivate(officer=cast.officer, by=cast.admin_a)
    admin_client.post(url("officer-reactivate", cast.officer))
    cast.officer.refresh_from_db()
    assert cast.officer.is_active and cast.officer.deactivated_on is None


def test_resending_an_invitation_sends_one_email(
    admin_client, cast, django_capture_on_commit_callbacks, mailoutbox
):
    invited = UserFactory(department=cast.department_a, email="late@alpha.test", password=None)
    assert "late@alpha.test" in admin_client.get(url("officer-invite", invited)).content.decode()
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url("officer-invite", invited))
    assert [m.to for m in mailoutbox] == [["late@alpha.test"]]
    assert "/account/invitation/" in mailoutbox[0].body
    assert Invitation.objects.queued().count() == 0


def test_an_activated_officer_gets_no_new_invitation(
    admin_client, cast, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("officer-invite", cast.officer), follow=True)
    assert "already activated" in response.content.decode()
    assert mailoutbox == []


def test_an_admin_makes_and_unmakes_another_admin(admin_client, cast):
    admin_client.post(url("officer-admin", cast.officer), {"make": "1"})
    cast.officer.refresh_from_db()
    assert cast.officer.is_department_admin
    admin_client.post(url("officer-admin", cast.officer), {"make": "0"})
    cast.officer.refresh_from_db()
    assert not cast.officer.is_department_admin


def test_the_last_admin_cannot_be_removed(admin_client, cast):
    page = admin_client.get(url("officer-admin", cast.admin_a)).content.decode()
    assert "only admin" in page
    response = admin_client.post(url("officer-admin", cast.admin_a), {"make": "0"}, follow=True)
    assert "at least one admin" in response.content.decode()
    cast.admin_a.refresh_from_db()
    assert cast.admin_a.is_department_admin


def test_an_admin_may_step_down_when_another_remains(admin_client, cast):
    UserFactory(department=cast.department_a, is_department_admin=True)
    response = admin_client.post(url("officer-admin", cast.admin_a), {"make": "0"})
    assert response.headers["Location"] == reverse("home")
    cast.admin_a.refresh_from_db()
    assert not cast.admin_a.is_department_admin


def test_a_deactivated_officer_cannot_be_made_admin(admin_client, cast):
    services.officer_deactivate(officer=cast.officer, by=cast.admin_a)
    admin_client.post(url("officer-admin", cast.officer), {"make": "1"})
    cast.officer.refresh_from_db()
    assert not cast.officer.is_department_admin


def test_a_malformed_admin_form_changes_nothing(admin_client, cast):
    response = admin_client.post(url("officer-admin", cast.officer), {"make": "<script>"})
    assert response.status_code == 200
    cast.officer.refresh_from_db()
    assert not cast.officer.is_department_admin


def test_deactivating_the_other_admin_keeps_one(cast):
    second = UserFactory(department=cast.department_a, is_department_admin=True)
    services.officer_deactivate(officer=second, by=cast.admin_a)
    second.refresh_from_db()
    assert not second.is_active


def test_a_reactivated_peer_is_listed_again_at_once(admin_client, cast):
    peer = UserFactory(department=cast.department_a)
    CertificationFactory(person=peer)
    PeerListingFactory(peer=peer)
    services.officer_deactivate(officer=peer, by=cast.admin_a)
    assert not listed_peers().filter(peer=peer).exists()
    admin_client.post(url("officer-reactivate", peer))
    assert listed_peers().filter(peer=peer).exists()
