"""A retiree keeps every officer page, and ends their own access when they choose to
(docs/product.md, "Retired officers")."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from peers.selectors import listed_peers
from tests.conftest import sign_in
from tests.factories import listed_peer
from tests.html import squashed
from wnwa.accounts.models import User

pytestmark = pytest.mark.django_db

END = reverse("accounts:end-access")


def test_a_retiree_finds_a_peer_of_another_department_and_calls_from_the_card(cast):
    retired_peer = listed_peer(cast.department_b, shown_name="Jo Retired-Peer")
    User.objects.filter(pk=retired_peer.peer_id).update(retired_on=datetime.date(2024, 5, 1))
    own = listed_peer(cast.department_a, shown_name="Own Department Peer")
    retiree = sign_in(Client(), cast.retiree)
    page = squashed(retiree.get(reverse("peers:directory")).content.decode())
    listing = cast.peer.peer_listing
    assert listing.shown_name in page and f'href="tel:{listing.call_number}"' in page
    assert "Jo Retired-Peer" in page and '<span class="tag">Retired</span>' in page
    # The own-department rule holds through the department they retired from.
    assert "Own Department Peer" not in page
    asked = retiree.get(reverse("peers:directory"), {"include_own": "on"}).content.decode()
    assert "Own Department Peer" in asked
    for name in ("professionals:directory", "resources:index", "resources:self-checks"):
        assert retiree.get(reverse(name)).status_code == 200
    assert own.pk


def test_only_a_retiree_is_offered_to_end_their_access(cast):
    retiree = sign_in(Client(), cast.retiree)
    account = squashed(retiree.get(reverse("accounts:account")).content.decode())
    assert END in account and "Alpha Police (retired)" in account
    officer = sign_in(Client(), cast.officer)
    assert END not in officer.get(reverse("accounts:account")).content.decode()
    assert officer.post(END, {"confirm": "on"}).status_code == 403
    admin = sign_in(Client(), cast.network_admin)
    assert admin.post(END, {"confirm": "on"}).status_code == 403
    for person in (cast.officer, cast.network_admin):
        person.refresh_from_db()
        assert person.is_active


def test_ending_access_asks_first_then_signs_out_everywhere_and_the_purge_follows(
    cast, settings, mailoutbox
):
    listing = listed_peer(cast.department_a)
    User.objects.filter(pk=listing.peer_id).update(retired_on=datetime.date(2024, 5, 1))
    peer = User.objects.get(pk=listing.peer_id)
    phone, laptop = sign_in(Client(), peer), sign_in(Client(), peer)
    ask = phone.get(END).content.decode()
    assert "End your access to the network?" in ask
    assert f"erased {settings.RETENTION_DAYS} days from now" in ask
    assert "Keep my access" in ask
    refused = phone.post(END, {})  # no tick: nothing ends
    assert refused.status_code == 200 and "Tick the box" in refused.content.decode()
    peer.refresh_from_db()
    assert peer.is_active and listed_peers().filter(pk=listing.pk).exists()
    done = phone.post(END, {"confirm": "on"}, follow=True)
    assert done.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "Your access has ended" in done.content.decode()
    peer.refresh_from_db()
    assert not peer.is_active and peer.deactivated_on is not None
    assert not listed_peers().filter(pk=listing.pk).exists()  # gone from the directory at once
    assert laptop.get(reverse("peers:directory")).status_code == 302  # every session ended
    assert mailoutbox == []  # nothing is sent about it
    # The retention purge applies as for any deactivated officer.
    User.objects.filter(pk=peer.pk).update(
        deactivated_on=datetime.date.today() - datetime.timedelta(days=settings.RETENTION_DAYS + 1)
    )
    call_command("purge_deactivated", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not User.objects.filter(pk=peer.pk).exists()
