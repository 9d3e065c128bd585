"""The guard on bulk roster changes: a mass deactivation, or one of a listed peer,
needs the count typed back; a roster far from the declared strength is warned about; the export
offered before the apply puts the roster back; a partial upload lists who is not in the file."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments import services
from departments.models import RosterPreview
from tests.conftest import sign_in
from tests.departments.rosters import csv_bytes, officers
from tests.factories import UserFactory, listed_peer
from wnwa.accounts.models import User


@pytest.fixture
def admin_client(client, cast):
    return sign_in(client, cast.admin_a)


def staff(cast, count: int, **fields) -> list[User]:
    """`count` more officers of department A (which has its admin and one officer already)."""
    return [
        UserFactory(department=cast.department_a, email=f"staff{n}@alpha.test", **fields)
        for n in range(count)
    ]


def row_of(user: User) -> list[str]:
    return [user.email, user.first_name, user.last_name, user.badge_number, user.rank, user.kind]


def upload(client, content, *, full_roster=False, name="roster.csv") -> RosterPreview:
    data = {"roster": SimpleUploadedFile(name, content)}
    if full_roster:
        data["full_roster"] = "on"
    response = client.post(reverse("departments:roster-upload"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return RosterPreview.objects.order_by("-pk").first()


def preview_url(preview) -> str:
    return reverse("departments:roster-preview", args=[preview.pk])


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Thresholds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("leaving", "needs"), [(0, False), (1, False), (2, False), (3, True)])
def test_more_than_a_tenth_of_the_officers_needs_the_count(cast, leaving, needs):
    # 20 active officers: the admin, the cast's officer and 18 more. Two leaving is a tenth.
    others = staff(cast, 18)
    kept = [cast.officer, *others][leaving:]
    preview = services.roster_preview_create(
        department=cast.department_a,
        content=csv_bytes([row_of(user) for user in kept]),
        file_name="roster.csv",
        full_roster=True,
        uploader=cast.admin_a,
    )
    guard = services.roster_guard(preview=preview, department=cast.department_a)
    assert (guard.officers, guard.deactivating) == (20, leaving)
    assert guard.needs_confirmation is needs


def test_deactivating_a_single_listed_peer_needs_the_count(cast):
    others = staff(cast, 40)
    peer = listed_peer(cast.department_a).peer
    preview = services.roster_preview_create(
        department=cast.department_a,
        content=csv_bytes([row_of(user) for user in [cast.officer, *others]]),
        file_name="roster.csv",
        full_roster=True,
        uploader=cast.admin_a,
    )
    guard = services.roster_guard(preview=preview, department=cast.department_a)
    assert guard.deactivating == 1 and guard.listed_peer_count == 1
    assert guard.listed_peers == [f"{peer.first_name} {peer.last_name}"]
    assert guard.needs_confirmation
    with pytest.raises(services.RosterConfirmationNeeded):
        services.roster_apply(preview_id=preview.pk, department=cast.department_a, by=None)
    peer.refresh_from_db()
    assert peer.is_active


def test_the_page_asks_for_the_count_and_the_server_checks_it(admin_client, cast):
    others = staff(cast, 30)
    listed_peer(cast.department_a)
    preview = upload(admin_client, csv_bytes(officers(3)), full_roster=True)
    assert preview.deactivated == 32  # everyone but the uploader
    page = text_of(admin_client.get(preview_url(preview)))
    assert "This apply deactivates 32 of your 33 active officers (97%)" in page
    assert "1 of them is a listed peer supporter" in page
    assert "type the number of officers this apply deactivates (32)" in page
    assert "Deactivate 32 and apply" in page
    for typed in ("", "31", "3", "thirty-two", "-32", "32" * 20):
        response = admin_client.post(preview_url(preview), {"confirm_deactivations": typed})
        assert response.status_code == 200, typed
        assert "error-summary" in response.content.decode()
    assert User.objects.get(pk=others[0].pk).is_active
    assert not User.objects.filter(email__startswith="recruit").exists()
    response = admin_client.post(preview_url(preview), {"confirm_deactivations": " 32 "})
    assert response.headers["Location"] == reverse("departments:home")
    # The uploader and the three in the file; and the cast's retiree, whom no roster deactivates.
    assert User.objects.filter(department=cast.department_a, is_active=True).count() == 5


def test_a_small_change_applies_without_a_count_and_shows_no_box(admin_client, cast):
    staff(cast, 30)
    rows = [row_of(user) for user in User.objects.filter(department=cast.department_a)][1:]
    preview = upload(admin_client, csv_bytes(rows), full_roster=True)
    assert preview.deactivated == 1
    page = admin_client.get(preview_url(preview)).content.decode()
    assert "confirm_deactivations" not in page and "Apply these changes" in page
    assert admin_client.post(preview_url(preview)).status_code == 302
    assert RosterPreview.objects.get(pk=preview.pk).is_applied


@pytest.mark.parametrize(
    ("declared", "new_sworn", "new_civilians", "warning"),
    [
        (48, 100, 0, "far above the 48 your department declared"),
        (48, 30, 0, None),  # 32 sworn of 48: below the whole, not far below
        (48, 20, 200, "far below the 48 your department declared"),  # civilians do not count
        (2, 0, 100, None),  # only civilians added: the sworn count does not move
    ],
)
def test_a_roster_far_from_the_declared_strength_is_warned_about(
    admin_client, cast, declared, new_sworn, new_civilians, warning
):
    cast.department_a.sworn_strength = declared
    cast.department_a.save()
    rows = officers(new_sworn) + [
        [f"civ{n}@alpha.test", "Civ", f"Ilian{n}", "", "", "civilian"] for n in range(new_civilians)
    ]
    page = text_of(admin_client.get(preview_url(upload(admin_client, csv_bytes(rows)))))
    if warning:
        assert warning in page
    else:
        assert "your department declared" not in page


# --- Restore from the export --------------------------------------------------------------------


def test_the_export_offered_before_a_mass_deactivation_puts_the_roster_back(admin_client, cast):
    others = staff(cast, 25, rank="Officer")
    peer = listed_peer(cast.department_a, shown_name="Robin Listed").peer
    civilian = UserFactory(department=cast.department_a, email="civ@alpha.test", kind="civilian")
    gone = UserFactory(department=cast.department_a, email="gone@alpha.test", is_active=False)
    columns = ("email", "first_name", "last_name", "badge_number", "rank", "kind", "is_active")
    before = list(User.objects.filter(department=cast.department_a).order_by("pk").values(*columns))

    # The mistake: a 3-row file ticked "whole roster", one row also promoting an officer.
    mistaken = [row_of(others[0]), *officers(2)]
    mistaken[0][4] = "Captain"
    preview = upload(admin_client, csv_bytes(mistaken), full_roster=True)
    page = admin_client.get(preview_url(preview)).content.decode()
    export_url = reverse("departments:roster-export")
    assert f'href="{export_url}"' in page and "Download the roster as it is now" in page
    export = admin_client.get(export_url).content  # what the admin downloads before applying
    response = admin_client.post(
        preview_url(preview), {"confirm_deactivations": str(preview.deactivated)}
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=peer.pk).is_active
    # The uploader and the three in the file; and the cast's retiree, whom no roster deactivates.
    assert User.objects.filter(department=cast.department_a, is_active=True).count() == 5

    # The undo: the export uploaded back as the whole roster.
    restore = upload(admin_client, export, full_roster=True)
    assert restore.errors == []
    assert (restore.added, restore.deactivated) == (0, 2)  # the two officers the mistake added
    assert restore.changed == len(others) + 3  # 26 reactivated (one also demoted back), 3 more
    admin_client.post(preview_url(restore), {"confirm_deactivations": "2"})
    after = list(
        User.objects.filter(department=cast.department_a, email__in=[p["email"] for p in before])
        .order_by("pk")
        .values(*columns)
    )
    assert after == before
    assert User.objects.get(pk=gone.pk).is_active is False  # was deactivated, stays so
    assert User.objects.get(pk=civilian.pk).kind == "civilian"
    assert not User.objects.filter(email__startswith="recruit", is_active=True).exists()
    from peers.selectors import listed_peers

    assert listed_peers().filter(peer=peer).exists()  # back in the directory


# --- Who a partial upload leaves out ------------------------------------------------------------


def test_a_partial_upload_lists_who_is_not_in_the_file_without_touching_them(admin_client, cast):
    others = staff(cast, 230)
    UserFactory(department=cast.department_a, email="left@alpha.test", is_active=False)
    preview = upload(admin_client, csv_bytes([row_of(others[0]), *officers(1)]))
    absent = preview.plan["absent"]
    assert len(absent) == 231  # the admin, the officer, 229 others; never a deactivated one
    assert "left@alpha.test" not in {entry["email"] for entry in absent}
    assert preview.deactivated == 0
    first = text_of(admin_client.get(preview_url(preview)))
    assert "Not in this file (231)" in first and "<strong>231</strong> not in the file" in first
    assert "This upload leaves them as they are" in first
    assert "1–100 of 231" in first and "?page=2#missing" in first
    people = User.objects.in_bulk([entry["id"] for entry in absent])
    order = [
        (people[e["id"]].last_name.lower(), people[e["id"]].first_name.lower()) for e in absent
    ]
    assert order == sorted(order)  # by name, as a roster is read
    last = text_of(admin_client.get(preview_url(preview), {"page": "3"}))
    assert "201–231 of 231" in last and absent[-1]["email"] in last
    assert absent[0]["email"] not in last
    assert admin_client.get(preview_url(preview), {"page": "<x>"}).status_code == 200
    admin_client.post(preview_url(preview))
    # 231 left alone, one added, and the cast's retiree, never listed as missing.
    assert User.objects.filter(department=cast.department_a, is_active=True).count() == 234
