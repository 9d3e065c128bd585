"""Retired officers keep the network (docs/product.md, "Retired officers"; issue 21).

A department admin marks an officer retired in a roster upload (its status column) or on the
officer's page. Retirees keep their own sign-in and every officer page, count toward no figure of
the department, keep a peer listing if certified (shown "Retired", beside the quota and not in
it), are never deactivated by a whole roster, and lose access when their department leaves.
"""

import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from departments import services
from departments.models import Department, RosterPreview
from departments.selectors import department_compliance, roster_counts
from peers.selectors import listed_peer_count
from tests.conftest import admin_change, sign_in
from tests.departments.rosters import csv_bytes
from tests.factories import listed_peer
from wnwa.accounts import roles
from wnwa.accounts.models import User


def text_of(response) -> str:
    """The page's words, as a person reads them: no tags, entities read, spaces collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words))


HEADER = ["Email", "First name", "Last name", "Badge", "Rank", "Sworn", "Status"]


@pytest.fixture
def admin_client(client, cast):
    return sign_in(client, cast.admin_a)


def row_of(person, status: str = "") -> list[str]:
    return [person.email, person.first_name, person.last_name, "", "", "sworn", status]


def upload(client, content, *, full_roster=False) -> RosterPreview:
    data = {"roster": SimpleUploadedFile("roster.csv", content)}
    if full_roster:
        data["full_roster"] = "on"
    response = client.post(reverse("departments:roster-upload"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return RosterPreview.objects.latest("pk")


def apply(client, preview, confirm: int | None = None):
    data = {} if confirm is None else {"confirm_deactivations": str(confirm)}
    response = client.post(reverse("departments:roster-preview", args=[preview.pk]), data)
    assert response.status_code == 302
    return response


# --- The roster marks them, and never deactivates them -----------------------------------------


def test_a_roster_marks_an_officer_retired_and_a_later_whole_roster_leaves_them_so(
    admin_client, cast
):
    leaving = User.objects.create_user(
        "leaving@alpha.test",
        "pw-leaving-2026",
        department=cast.department_a,
        first_name="Lee",
        last_name="Oyelaran",
    )
    file = [row_of(cast.admin_a), row_of(cast.officer), row_of(leaving, "Retired")]
    preview = upload(admin_client, csv_bytes(file, HEADER), full_roster=True)
    assert (preview.retired, preview.changed, preview.deactivated) == (1, 1, 0)
    page = text_of(admin_client.get(reverse("departments:roster-preview", args=[preview.pk])))
    assert "1 to mark retired" in page and "To mark retired (1)" in page
    assert "leaving@alpha.test" in page
    assert "Status: serving → retired" in page
    # The cast's own retiree is not in the file either: a whole roster leaves them be.
    assert "1 retired officer is not in the file and stays retired" in page
    assert "retiree@a.test" not in page
    apply(admin_client, preview)
    leaving.refresh_from_db()
    assert leaving.is_active and leaving.retired_on == timezone.localdate()
    assert leaving.has_usable_password()  # their own credentials, kept

    # HR's next export does not list retirees: the whole roster leaves both of them as they are.
    later = upload(admin_client, csv_bytes([row_of(cast.admin_a), row_of(cast.officer)], HEADER))
    assert later.plan["absent"] == [] and later.plan["retirees_absent"] == 2
    whole = upload(
        admin_client, csv_bytes([row_of(cast.admin_a), row_of(cast.officer)]), full_roster=True
    )
    assert (whole.deactivated, whole.changed) == (0, 0)
    assert "2 retired officers are not in the file" in text_of(
        admin_client.get(reverse("departments:roster-preview", args=[whole.pk]))
    )
    for person in (leaving, cast.retiree):
        person.refresh_from_db()
        assert person.is_active and person.is_retired
        assert roles.is_retiree(person) and roles.is_officer(person)


@pytest.mark.parametrize(
    "spelling", ["retired", "Retired", "RETIREE", "ret", "Ret.", "Retired officer", " rtd "]
)
def test_the_status_column_takes_the_spellings_hr_and_admins_write(admin_client, cast, spelling):
    preview = upload(admin_client, csv_bytes([row_of(cast.officer, spelling)], HEADER))
    assert preview.errors == [] and preview.retired == 1
    apply(admin_client, preview)
    cast.officer.refresh_from_db()
    assert cast.officer.is_retired


def test_a_new_officer_can_be_enrolled_retired_and_the_export_uploads_back_unchanged(
    admin_client, cast
):
    file = [["old.hand@alpha.test", "Old", "Hand", "77", "Sergeant", "sworn", "retiree"]]
    apply(admin_client, upload(admin_client, csv_bytes(file, HEADER)))
    assert User.objects.get(email="old.hand@alpha.test").retired_on == timezone.localdate()
    export = admin_client.get(reverse("departments:roster-export")).content.decode()
    assert "old.hand@alpha.test,Old,Hand,77,Sergeant,sworn,retired" in export
    assert "retiree@a.test,Rowan,Ellingsworth,,,sworn,retired" in export
    again = upload(admin_client, export.encode(), full_roster=True)
    assert again.errors == []
    assert (again.added, again.changed, again.retired, again.deactivated) == (0, 0, 0, 0)


def test_serving_again_is_a_change_the_preview_shows(admin_client, cast):
    preview = upload(admin_client, csv_bytes([row_of(cast.retiree, "active")], HEADER))
    assert preview.changed == 1 and preview.retired == 0
    page = text_of(admin_client.get(reverse("departments:roster-preview", args=[preview.pk])))
    assert "Status: retired → serving" in page
    apply(admin_client, preview)
    cast.retiree.refresh_from_db()
    assert not cast.retiree.is_retired


@pytest.mark.parametrize(
    "status, message",
    [
        ("on leave", "“on leave” is not a status"),
        ("<script>alert(1)</script>", "is not a status"),
        ("r" * 41, "The status is longer than 40 characters"),
        ("ret\x07ired", "invisible control character"),
    ],
)
def test_a_status_the_roster_cannot_read_is_an_error_on_its_line(
    admin_client, cast, status, message
):
    preview = upload(admin_client, csv_bytes([row_of(cast.officer, status)], HEADER))
    assert [(e["line"], e["column"]) for e in preview.errors] == [(2, 'G ("Status")')]
    assert message in preview.errors[0]["message"]
    page = admin_client.get(reverse("departments:roster-preview", args=[preview.pk]))
    assert "<script>alert(1)" not in page.content.decode()  # escaped where it is shown
    assert admin_client.post(reverse("departments:roster-preview", args=[preview.pk])).status_code
    cast.officer.refresh_from_db()
    assert not cast.officer.is_retired


def test_an_admin_is_not_retired_by_a_roster_until_their_admin_role_is_removed(admin_client, cast):
    second = User.objects.create_user(
        "second.admin@alpha.test",
        None,
        department=cast.department_a,
        first_name="Quinn",
        last_name="Abernathy",
        is_department_admin=True,
    )
    preview = upload(admin_client, csv_bytes([row_of(second, "retired")], HEADER))
    assert "Remove their admin role on their page first" in preview.errors[0]["message"]


# --- The officer's page ------------------------------------------------------------------------


def test_the_officers_page_marks_them_retired_after_saying_what_it_means(admin_client, cast):
    officer_page = reverse("departments:officer", args=[cast.officer.pk])
    url = reverse("departments:officer-retirement", args=[cast.officer.pk])
    assert url in admin_client.get(officer_page).content.decode()
    ask = text_of(admin_client.get(url))
    assert "Mark Sloane Vandermeulen as retired?" in ask
    assert "They keep their own sign-in and every officer page" in ask
    assert "A whole-roster upload never deactivates them" in ask
    assert cast.officer.is_retired is False  # asking changed nothing
    response = admin_client.post(url, {"retired": "1"})
    assert response.headers["Location"] == officer_page
    cast.officer.refresh_from_db()
    assert cast.officer.is_active and cast.officer.retired_on == timezone.localdate()
    page = text_of(admin_client.get(officer_page))
    assert "is retired: they keep their access" in page and "retired since" in page
    assert "Mark as serving again" in page and "Make department admin" not in page
    # Undone, for a mistake or a return to duty.
    admin_client.post(url, {"retired": "0"})
    cast.officer.refresh_from_db()
    assert not cast.officer.is_retired


def test_an_admin_is_asked_to_remove_the_role_first_and_a_retiree_is_made_no_admin(
    admin_client, cast
):
    second = User.objects.create_user(
        "second.admin@alpha.test",
        None,
        department=cast.department_a,
        first_name="Quinn",
        last_name="Abernathy",
        is_department_admin=True,
    )
    url = reverse("departments:officer-retirement", args=[second.pk])
    assert "Remove their admin role first" in text_of(admin_client.get(url))
    admin_client.post(url, {"retired": "1"})
    second.refresh_from_db()
    assert not second.is_retired
    make_admin = reverse("departments:officer-admin", args=[cast.retiree.pk])
    response = admin_client.post(make_admin, {"make": "1"}, follow=True)
    assert "A retired officer cannot administer the department" in text_of(response)
    cast.retiree.refresh_from_db()
    assert not cast.retiree.is_department_admin


def test_a_retired_admins_flag_gives_no_admin_pages(cast):
    """Should a retiree ever carry the flag (set in the Django admin), roles.py still says no."""
    User.objects.filter(pk=cast.retiree.pk).update(is_department_admin=True)
    cast.retiree.refresh_from_db()
    assert not roles.is_department_admin(cast.retiree)
    assert roles.is_retiree(cast.retiree)


def test_the_retirement_form_refuses_what_it_cannot_read(admin_client, cast):
    url = reverse("departments:officer-retirement", args=[cast.officer.pk])
    for data in ({}, {"retired": "yes"}, {"retired": "1" * 5000}, {"retired": ["1", "0"]}):
        assert admin_client.post(url, data).status_code in (200, 302)
    cast.officer.refresh_from_db()
    assert not cast.officer.is_retired
    other = listed_peer(cast.department_b).peer
    assert (
        admin_client.post(
            reverse("departments:officer-retirement", args=[other.pk]), {"retired": "1"}
        ).status_code
        == 404
    )


# --- What they count toward --------------------------------------------------------------------


def test_retirees_count_toward_no_figure_and_retired_peers_stand_beside_the_quota(
    admin_client, cast
):
    department = cast.department_a
    serving = listed_peer(department)
    retired = listed_peer(department)
    User.objects.filter(pk=retired.peer_id).update(retired_on=datetime.date(2024, 1, 31))
    counts = roster_counts(department=department)
    # The officer, the admin and the serving peer; the two retirees apart.
    assert (counts["active"], counts["retired"]) == (3, 2)
    assert listed_peer_count(department=department) == 1
    assert listed_peer_count(department=department, retired=True) == 1
    figures = department_compliance(department=department, listed_peers=1, retired_peers=1)
    assert figures.sworn_enrolled == 3 and figures.peers_needed == 3
    page = text_of(admin_client.get(reverse("departments:compliance")))
    assert "1 active and listed; your department needs 4 to 5" in page
    assert "1 retired peer is listed" in page and "do not count toward the quota" in page
    roster = text_of(admin_client.get(reverse("departments:home")))
    assert "3 active" in roster and "2 retired" in roster
    retirees = text_of(admin_client.get(reverse("departments:home"), {"status": "retired"}))
    assert "Ellingsworth" in retirees and "Vandermeulen" not in retirees
    assert serving.pk != retired.pk


# --- A department leaving the network ----------------------------------------------------------


def test_a_leaving_department_tells_its_retirees_once_a_month_before_and_ends_their_access(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    department = cast.department_a
    today = datetime.date(2027, 3, 1)
    department.leaves_on = datetime.date(2027, 4, 15)
    department.save()
    run = lambda day: services.departures_run(today=day)  # noqa: E731
    with django_capture_on_commit_callbacks(execute=True):
        assert run(today)["notified"] == 0  # more than a month ahead: nothing yet
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        counts = run(datetime.date(2027, 3, 16))
    assert counts == {"notified": 1, "departments": 1, "lapsed": 0, "ended": 0}
    (notice,) = mailoutbox
    assert notice.to == [cast.retiree.email]
    assert "Alpha Police leaves" in notice.subject and "April 15, 2027" in notice.subject
    assert "your access ends with its membership that day" in notice.body
    with django_capture_on_commit_callbacks(execute=True):
        assert run(datetime.date(2027, 3, 17))["notified"] == 0  # once
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        counts = run(datetime.date(2027, 4, 15))
    assert counts["lapsed"] == 1 and counts["ended"] == 1
    cast.retiree.refresh_from_db()
    department.refresh_from_db()
    assert department.membership_status == Department.Status.LAPSED
    assert not cast.retiree.is_active and cast.retiree.deactivated_on == datetime.date(2027, 4, 15)
    cast.officer.refresh_from_db()
    assert cast.officer.is_active  # serving officers stay on the roster, without access
    assert not roles.is_officer(cast.officer)
    assert services.departures_run(today=datetime.date(2027, 4, 16))["ended"] == 0
    assert len(mailoutbox) == 1


def test_a_new_leaving_day_in_the_admin_sends_a_new_notice(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    department = cast.department_a
    department.leaves_on = timezone.localdate() + datetime.timedelta(days=10)
    department.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.departures_run()
    assert len(mailoutbox) == 1
    admin = sign_in(Client(), cast.network_admin)
    later = timezone.localdate() + datetime.timedelta(days=20)
    admin_change(
        admin, f"/network-admin/departments/department/{department.pk}/change/", leaves_on=later
    )
    department.refresh_from_db()
    assert department.leaves_on == later and department.leaving_notice_sent_on is None
    with django_capture_on_commit_callbacks(execute=True):
        services.departures_run()
    assert len(mailoutbox) == 2


def test_a_lapse_without_a_leaving_day_deactivates_nobody(cast):
    Department.objects.filter(pk=cast.department_a.pk).update(
        membership_status=Department.Status.LAPSED
    )
    assert services.departures_run()["ended"] == 0
    cast.retiree.refresh_from_db()
    assert cast.retiree.is_active and not roles.is_officer(cast.retiree)


def test_the_command_prints_counts_only(cast, capsys):
    from django.core.management import call_command

    Department.objects.filter(pk=cast.department_a.pk).update(leaves_on=timezone.localdate())
    call_command("departments_leaving")
    out = capsys.readouterr().out
    assert "1 departments left today, ending the access of 1 retired officers" in out
    assert cast.retiree.email not in out and "Alpha" not in out
