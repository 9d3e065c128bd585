"""Family accounts (docs/product.md, "Families"; issue 22).

An officer or retiree invites adult family members from the account page with the same signed,
expiring invitation; a family member finds only the peers who talk with families, the
professionals who see officers' families first, the resources for families; the link to the
inviting officer is kept while that officer's account exists, and when it ends the family keeps
access for WNWA_FAMILY_GRACE_DAYS, told a month before it ends.
"""

import datetime
import html
import re

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from departments import services as department_services
from departments.models import Department
from tests.conftest import sign_in
from tests.factories import (
    PASSWORD,
    FamilyAccountFactory,
    UserFactory,
    family_member,
    listed_peer,
)
from wnwa.accounts import families, roles
from wnwa.accounts.models import FamilyAccount, User
from wnwa.accounts.services import retiree_access_end

NEW_PASSWORD = "steady-at-home-2026"


def text_of(response) -> str:
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words))


def invite(client, email="sam.home@example.test", **fields):
    data = {"email": email, "first_name": "Sam", "relation": "partner", "adult": "on", **fields}
    return client.post(reverse("accounts:family"), data)


def link_in(message) -> str:
    return re.search(r"http://\S+/account/invitation/\S+/", message.body)[0]


def accept(client, link, password=NEW_PASSWORD):
    path = link.split("127.0.0.1:8000", 1)[-1]
    return client.post(path, {"new_password1": password, "new_password2": password})


@pytest.fixture
def officer_client(cast):
    return sign_in(Client(), cast.officer, second_factor=False)


# --- Inviting and accepting -------------------------------------------------------------------


def test_an_officer_invites_a_family_member_who_accepts_and_signs_in(
    cast, officer_client, mailoutbox, django_capture_on_commit_callbacks
):
    assert "Invite your family" in text_of(officer_client.get(reverse("accounts:account")))
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(officer_client, email="Sam.Home@Example.test")
    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.to == ["sam.home@example.test"]
    assert "Sloane Vandermeulen invites you" in message.subject
    assert "works for 14 days" in message.body
    invited = User.objects.get(email="sam.home@example.test")
    # No department of its own: no roster, figure or export of the department lists it.
    assert invited.department_id is None and invited.is_invited
    family = invited.family_account
    assert family.department == cast.department_a and family.invited_by == cast.officer
    page = text_of(officer_client.get(reverse("accounts:family")))
    assert "sam.home@example.test" in page and "Invited, not yet accepted" in page

    visitor = Client()
    shown = text_of(visitor.get(link_in(message).split("127.0.0.1:8000", 1)[-1]))
    assert "An officer in your family has invited you" in shown
    assert accept(visitor, link_in(message)).status_code == 302
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)
    assert roles.is_family_member(invited) and not roles.is_officer(invited)
    landing = text_of(visitor.get(reverse("home")))
    assert "Peer support is for families too" in landing
    assert "Has an account" in text_of(officer_client.get(reverse("accounts:family")))


def test_the_link_works_once_and_expires_and_a_withdrawn_one_stops(
    cast, officer_client, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(officer_client, email="one@example.test")
        invite(officer_client, email="two@example.test")
        invite(officer_client, email="three@example.test")
    first, second, third = (link_in(message) for message in mailoutbox)
    assert accept(Client(), first).status_code == 302
    assert accept(Client(), first).status_code == 400  # reused

    withdrawn = User.objects.get(email="two@example.test")
    confirm = reverse("accounts:family-withdraw", args=[withdrawn.pk])
    assert officer_client.post(confirm, {}).status_code == 200  # the tick is asked for
    assert officer_client.post(confirm, {"confirm": "on"}).status_code == 302
    assert not User.objects.filter(email="two@example.test").exists()
    assert accept(Client(), second).status_code == 400  # withdrawn

    later = timezone.now().timestamp() + 15 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert accept(Client(), third).status_code == 400  # expired


def test_inviting_the_same_address_again_sends_it_again_and_only_four_are_allowed(
    cast, officer_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(officer_client, email="again@example.test")
        invite(officer_client, email="AGAIN@example.test ")
    assert len(mailoutbox) == 2  # sent again, one account
    assert User.objects.filter(email="again@example.test").count() == 1
    # The cast's family member and this one: two more make four.
    for email in ("c@example.test", "d@example.test"):
        assert invite(officer_client, email=email).status_code == 302
    fifth = invite(officer_client, email="e@example.test")
    assert fifth.status_code == 200
    assert "the most the network allows" in text_of(fifth)
    assert not User.objects.filter(email="e@example.test").exists()


def test_an_address_with_an_account_is_refused_without_saying_whose(cast, officer_client):
    for email in (cast.peer.email, cast.retiree.email.upper(), cast.vetter.email):
        response = invite(officer_client, email=email)
        assert response.status_code == 200
        assert "That address cannot be invited" in text_of(response)
    accepted = invite(officer_client, email=cast.family.email)
    assert "has already accepted your invitation" in text_of(accepted)
    assert FamilyAccount.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "not-an-address"},
        {"email": "x" * 250 + "@example.test"},
        {"first_name": "S" * 151},
        {"relation": "cousin"},
        {"adult": ""},
        {"email": ""},
    ],
)
def test_bad_invitations_are_refused_with_what_to_correct(cast, officer_client, fields):
    response = invite(officer_client, **fields)
    assert response.status_code == 200 and "Please check what you entered" in text_of(response)
    assert FamilyAccount.objects.count() == 1


def test_only_the_inviting_officer_withdraws_and_an_accepted_account_ends(cast):
    other = sign_in(Client(), cast.admin_a, second_factor=True)
    url = reverse("accounts:family-withdraw", args=[cast.family.pk])
    assert other.post(url, {"confirm": "on"}).status_code == 404
    officer = sign_in(Client(), cast.officer)
    assert "End the family account of Marisol" in text_of(officer.get(url))
    assert officer.post(url, {"confirm": "on"}).status_code == 302
    cast.family.refresh_from_db()
    assert not cast.family.is_active and cast.family.deactivated_on == timezone.localdate()
    assert cast.family.family_account.invited_by is None
    assert Client().login(email=cast.family.email, password=PASSWORD) is False


def test_a_family_member_ends_their_own_account(cast):
    client = sign_in(Client(), cast.family, second_factor=False)
    assert "End my account" in text_of(client.get(reverse("accounts:account")))
    page = client.get(reverse("accounts:end-access"))
    assert page.status_code == 200 and "erased" in text_of(page)
    assert client.post(reverse("accounts:end-access"), {}).status_code == 200
    assert client.post(reverse("accounts:end-access"), {"confirm": "on"}).status_code == 302
    cast.family.refresh_from_db()
    assert not cast.family.is_active
    assert client.get(reverse("accounts:account")).status_code == 302  # signed out


# --- What a family member sees ------------------------------------------------------------------


def test_a_family_member_finds_only_peers_who_talk_with_families_and_calls_from_the_card(cast):
    listed_peer(cast.department_b, shown_name="Quinn Family-Talker", talks_with_families=True)
    listed_peer(cast.department_b, shown_name="Avery Officers-Only")
    listed_peer(cast.department_a, shown_name="Rene Own-Department", talks_with_families=True)
    client = sign_in(Client(), cast.family, second_factor=False)
    page = client.get(reverse("peers:directory"))
    words = text_of(page)
    assert "Quinn Family-Talker" in words
    assert "Avery Officers-Only" not in words and "Pat Okonkwo" not in words
    assert "Rene Own-Department" not in words  # the own-department rule, as for the officer
    assert 'href="tel:' in page.content.decode()
    own = text_of(client.get(reverse("peers:directory"), {"include_own": "on"}))
    assert "Rene Own-Department" in own and "Avery Officers-Only" not in own
    officer = text_of(sign_in(Client(), cast.officer).get(reverse("peers:directory")))
    assert "Avery Officers-Only" in officer and "Quinn Family-Talker" in officer


def test_a_peer_says_they_talk_with_families_on_their_listing(cast):
    client = sign_in(Client(), cast.peer)
    form = text_of(client.get(reverse("peers:my-listing-edit")))
    assert "I talk with family members" in form
    assert cast.peer.peer_listing.talks_with_families is False  # existing listings start without


def test_a_family_member_has_no_staff_or_department_pages(cast):
    client = sign_in(Client(), cast.family, second_factor=False)
    for name in ("departments:home", "staff:list", "professionals:queue", "trainings:staff"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get("/network-admin/").status_code in (302, 403)
    nav = client.get(reverse("home")).context["nav"]
    assert [link["label"] for link in nav] == [
        "Find a peer",
        "Professionals",
        "Resources",
        "Trainings",
        "Account",
    ]


# --- When the inviting officer's account ends ---------------------------------------------------


def test_a_deactivated_officers_family_keeps_access_for_the_grace_period_and_is_told(
    cast, settings
):
    department_services.officer_deactivate(officer=cast.officer, by=cast.admin_a)
    family = FamilyAccount.objects.get(user=cast.family)
    end = timezone.localdate() + datetime.timedelta(days=365)
    assert family.invited_by is None and family.ends_on == end
    client = Client()
    assert client.login(email=cast.family.email, password=PASSWORD)
    told = f"Your access ends after {end:%B} {end.day}, {end.year}"
    assert told in text_of(client.get(reverse("home")))
    assert told in text_of(client.get(reverse("accounts:account")))
    assert client.get(reverse("peers:directory")).status_code == 200


def test_a_retiree_ending_their_access_and_a_roster_deactivation_release_their_families(cast):
    theirs = family_member(cast.retiree)
    retiree_access_end(user=cast.retiree)
    assert FamilyAccount.objects.get(user=theirs).ends_on is not None
    # An admin's edit in the Django admin is caught by the daily run.
    other = UserFactory(department=cast.department_a)
    kin = family_member(other)
    User.objects.filter(pk=other.pk).update(is_active=False)
    assert families.families_run()["released"] == 1
    assert FamilyAccount.objects.get(user=kin).invited_by is None


def test_the_daily_run_tells_a_month_before_once_and_ends_after_the_last_day(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    today = datetime.date(2027, 5, 1)
    families.families_release(officer_ids=[cast.officer.pk], today=today)
    last = today + datetime.timedelta(days=365)
    run = families.families_run
    with django_capture_on_commit_callbacks(execute=True):
        assert run(today=last - datetime.timedelta(days=31))["notified"] == 0
        assert run(today=last - datetime.timedelta(days=30))["notified"] == 1
        assert run(today=last - datetime.timedelta(days=29))["notified"] == 0  # once
    (notice,) = mailoutbox
    assert notice.to == [cast.family.email]
    assert f"ends on {last:%B} {last.day}, {last.year}" in notice.subject
    assert "has ended" in notice.body and "info@weneverwalkalone.org" in notice.body
    assert run(today=last)["ended"] == 0  # the last day is still theirs
    assert run(today=last + datetime.timedelta(days=1))["ended"] == 1
    cast.family.refresh_from_db()
    assert not cast.family.is_active


def test_a_network_admin_extends_a_familys_access(cast, mailoutbox):
    families.families_release(officer_ids=[cast.officer.pk], today=datetime.date(2026, 1, 1))
    family = FamilyAccount.objects.get(user=cast.family)
    admin = sign_in(Client(), cast.network_admin)
    changelist = reverse("admin:accounts_familyaccount_changelist")
    response = admin.post(
        changelist, {"action": "extend_access", "_selected_action": [family.pk]}, follow=True
    )
    assert response.status_code == 200
    family.refresh_from_db()
    assert family.ends_on == timezone.localdate() + datetime.timedelta(days=365)
    admin.post(changelist, {"action": "end_access", "_selected_action": [family.pk]})
    cast.family.refresh_from_db()
    assert not cast.family.is_active


def test_a_leaving_department_ends_its_families_after_the_same_notice(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    department = cast.department_a
    department.leaves_on = datetime.date(2027, 4, 15)
    department.save()
    with django_capture_on_commit_callbacks(execute=True):
        department_services.departures_run(today=datetime.date(2027, 3, 16))
        assert families.families_run(today=datetime.date(2027, 3, 16))["notified"] == 1
    family_notice = next(m for m in mailoutbox if m.to == [cast.family.email])
    assert "leaves" in family_notice.body and "April 14, 2027" in family_notice.body
    department_services.departures_run(today=datetime.date(2027, 4, 15))
    assert department.family_accounts.get().ends_on == datetime.date(2027, 4, 14)
    assert families.families_run(today=datetime.date(2027, 4, 15))["ended"] == 1
    department.refresh_from_db()
    assert department.membership_status == Department.Status.LAPSED


def test_ended_family_accounts_are_erased_by_the_retention_purge(cast, settings):
    families.family_end_now(family=cast.family.family_account)
    later = timezone.localdate() + datetime.timedelta(days=settings.RETENTION_DAYS + 1)
    counts = department_services.deactivated_purge(today=later)
    assert counts["officers"] == 1
    assert not User.objects.filter(pk=cast.family.pk).exists()
    assert not FamilyAccount.objects.exists()


def test_the_command_prints_counts_only(cast, capsys):
    FamilyAccountFactory(invited_by=cast.retiree)
    call_command("families_ending")
    out = capsys.readouterr().out
    assert "family accounts" in out and "@" not in out and "Marisol" not in out


# --- The department sees a count, never who ------------------------------------------------------


def test_the_department_admin_sees_a_count_never_whose_family_nor_who(cast):
    family_member(cast.admin_a)
    admin = sign_in(Client(), cast.admin_a)
    page = text_of(admin.get(reverse("departments:home")))
    assert "Family accounts: 2" in page
    for url in (
        reverse("departments:home"),
        reverse("departments:home") + "?q=Quennell",  # the search box shows the words asked
        reverse("departments:roster-export"),
        reverse("departments:compliance"),
        reverse("departments:invitations"),
    ):
        body = admin.get(url)
        content = b"".join(body.streaming_content) if body.streaming else body.content
        for name in ("Marisol", "family@home.test"):
            assert name.encode() not in content, (name, url)
    officer_page = text_of(admin.get(reverse("departments:officer", args=[cast.officer.pk])))
    assert "Marisol" not in officer_page and "famil" not in officer_page.lower()


def test_every_email_a_family_member_can_receive_is_in_the_readmes_list():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text()
    sent = sorted((root / "templates" / "accounts" / "email").glob("family_*_subject.txt"))
    assert len(sent) == 2
    for subject in sent:
        name = f"accounts/email/{subject.name.removesuffix('_subject.txt')}"
        assert f"`{name}`" in readme, name
    assert "A family member receives exactly these emails" in readme


def test_a_new_last_day_set_in_the_admin_gets_its_own_notice(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.conftest import admin_change

    today = timezone.localdate()
    family = cast.family.family_account
    family.ends_on = today + datetime.timedelta(days=10)
    family.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert families.families_run()["notified"] == 1
    admin = sign_in(Client(), cast.network_admin)
    later = today + datetime.timedelta(days=20)
    admin_change(admin, f"/network-admin/accounts/familyaccount/{family.pk}/change/", ends_on=later)
    family.refresh_from_db()
    assert family.ends_on == later and family.ending_notice_sent_on is None
    with django_capture_on_commit_callbacks(execute=True):
        assert families.families_run()["notified"] == 1
    assert len(mailoutbox) == 2


def test_an_ended_family_account_may_be_invited_again(
    cast, officer_client, mailoutbox, django_capture_on_commit_callbacks
):
    families.family_access_end(user=cast.family)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(officer_client, email=cast.family.email)
    assert response.status_code == 302
    again = User.objects.get(email=cast.family.email)
    assert again.pk != cast.family.pk and again.is_invited
    assert again.family_account.invited_by == cast.officer
    assert len(mailoutbox) == 1
