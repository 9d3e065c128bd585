"""The roster pages as a department admin uses them: upload, preview, apply, export."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments.models import Invitation, RosterPreview
from tests.conftest import sign_in
from tests.departments.rosters import csv_bytes, officers, with_nested_entities, xlsx_bytes
from tests.factories import UserFactory
from wnwa.accounts.models import User


@pytest.fixture
def admin_client(client, cast):
    return sign_in(client, cast.admin_a)


def upload(client, content, name="roster.csv", full_roster=False):
    data = {"roster": SimpleUploadedFile(name, content)}
    if full_roster:
        data["full_roster"] = "on"
    return client.post(reverse("departments:roster-upload"), data)


def test_upload_shows_a_preview_and_apply_enrolls_everyone(
    admin_client, cast, django_capture_on_commit_callbacks, mailoutbox
):
    response = upload(admin_client, xlsx_bytes(officers(3)), "Export.xlsx")
    preview = RosterPreview.objects.get()
    assert response.headers["Location"] == reverse("departments:roster-preview", args=[preview.pk])
    page = admin_client.get(response.headers["Location"]).content.decode()
    assert "To add (3)" in page and "recruit2@alpha.test" in page and "Apply these changes" in page
    with django_capture_on_commit_callbacks(execute=True):
        applied = admin_client.post(reverse("departments:roster-preview", args=[preview.pk]))
    assert applied.headers["Location"] == reverse("departments:home")
    assert User.objects.filter(email__startswith="recruit").count() == 3
    assert len(mailoutbox) == 3
    roster = admin_client.get(reverse("departments:home")).content.decode()
    assert "Roster applied: 3 added, 0 changed, 0 deactivated" in roster


def test_a_preview_with_errors_lists_them_and_offers_no_apply(admin_client, cast):
    rows = officers(2) + [["recruit0@alpha.test", "Dup", "Row", "", "", ""], ["x@", "A", "B"]]
    upload(admin_client, csv_bytes(rows))
    preview = RosterPreview.objects.get()
    page = admin_client.get(reverse("departments:roster-preview", args=[preview.pk]))
    html = page.content.decode()
    assert "Nothing can be applied until every error is fixed" in html
    assert "This email is also on line 2." in html and "“x@” is not an email address." in html
    assert "Apply these changes" not in html
    before = User.objects.count()
    response = admin_client.post(reverse("departments:roster-preview", args=[preview.pk]))
    assert response.status_code == 302 and User.objects.count() == before


def test_a_stale_preview_explains_itself_and_refuses_the_apply(admin_client, cast):
    upload(admin_client, csv_bytes(officers(2)))
    preview = RosterPreview.objects.get()
    User.objects.filter(pk=cast.officer.pk).update(rank="Captain")
    url = reverse("departments:roster-preview", args=[preview.pk])
    assert (
        "The roster has changed since this preview was made"
        in admin_client.get(url).content.decode()
    )
    response = admin_client.post(url, follow=True)
    assert "Nothing was changed" in response.content.decode()
    assert not User.objects.filter(email__startswith="recruit").exists()


def test_applying_the_same_preview_twice_changes_nothing_the_second_time(admin_client, cast):
    upload(admin_client, csv_bytes(officers(2)))
    url = reverse("departments:roster-preview", args=[RosterPreview.objects.get().pk])
    admin_client.post(url)
    second = admin_client.post(url, follow=True).content.decode()
    assert "already applied" in second
    assert User.objects.filter(email__startswith="recruit").count() == 2


def test_an_oversized_upload_is_refused_with_the_limit(admin_client):
    response = upload(admin_client, b"x" * (10 * 1024 * 1024 + 1))
    assert response.status_code == 200
    assert "the limit is 10 MB" in response.content.decode()
    assert not RosterPreview.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"Name,Phone\r\nA,1\r\n", "roster.csv", "No email column"),
        (b"%PDF-1.4", "roster.pdf", "Upload the roster as a CSV file or an Excel workbook"),
        (b"", "roster.csv", "The submitted file is empty"),
    ],
)
def test_unusable_uploads_keep_the_form_with_a_reason(admin_client, content, name, message):
    response = upload(admin_client, content, name)
    assert response.status_code == 200 and message in response.content.decode()
    assert not RosterPreview.objects.exists()


def test_hostile_cells_are_shown_as_text(admin_client, cast):
    rows = [["evil@alpha.test", "<script>alert(1)</script>", "<b>Bold</b>", "", "", ""]]
    upload(admin_client, csv_bytes(rows))
    page = admin_client.get(
        reverse("departments:roster-preview", args=[RosterPreview.objects.get().pk])
    ).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_the_uploader_is_never_listed_for_deactivation(admin_client, cast):
    upload(admin_client, csv_bytes(officers(1)), full_roster=True)
    preview = RosterPreview.objects.get()
    emails = [entry["email"] for entry in preview.plan["deactivate"]]
    assert cast.admin_a.email not in emails and cast.officer.email in emails


def test_an_admin_of_another_department_cannot_see_or_apply_a_preview(client, cast):
    sign_in(client, cast.admin_a)
    upload(client, csv_bytes(officers(2)), full_roster=True)
    preview = RosterPreview.objects.get()
    other = sign_in(client.__class__(), cast.admin_b)
    url = reverse("departments:roster-preview", args=[preview.pk])
    assert other.get(url).status_code == 404
    assert other.post(url).status_code == 404
    assert not User.objects.filter(email__startswith="recruit").exists()


def test_every_roster_url_is_closed_to_an_admin_of_another_department(client, cast):
    preview = RosterPreview.objects.create(department=cast.department_a, fingerprint="x")
    other = sign_in(client, cast.admin_b)
    officer = {"officer_id": cast.officer.pk}
    # The officer page only shows: a POST to it is refused for everyone, before any lookup.
    for name, kwargs, post_status in [
        ("departments:roster-preview", {"preview_id": preview.pk}, 404),
        ("departments:officer", officer, 405),
        ("departments:officer-deactivate", officer, 404),
        ("departments:officer-reactivate", officer, 404),
        ("departments:officer-invite", officer, 404),
        ("departments:officer-admin", officer, 404),
    ]:
        url = reverse(name, kwargs=kwargs)
        assert other.get(url).status_code == 404, name
        assert other.post(url, {"make": "1"}).status_code == post_status, name
    cast.officer.refresh_from_db()
    assert cast.officer.is_active and not cast.officer.is_department_admin
    home = other.get(reverse("departments:home")).content.decode()
    assert cast.officer.email not in home
    export = other.get(reverse("departments:roster-export")).content.decode()
    assert cast.officer.email not in export and cast.admin_b.email in export


def test_the_roster_searches_and_filters(admin_client, cast):
    UserFactory(department=cast.department_a, email="civ@alpha.test", kind="civilian")
    UserFactory(department=cast.department_a, email="gone@alpha.test", is_active=False)
    UserFactory(department=cast.department_a, email="new@alpha.test", password=None)
    home = reverse("departments:home")

    def emails(query):
        page = admin_client.get(home, query)
        return {person.email for person in page.context["page"]}

    assert emails({"kind": "civilian"}) == {"civ@alpha.test"}
    assert emails({"status": "deactivated"}) == {"gone@alpha.test"}
    assert emails({"status": "invited"}) == {"new@alpha.test"}
    assert emails({"q": "civ"}) == {"civ@alpha.test"}
    assert cast.peer.email not in emails({})
    assert admin_client.get(home, {"status": "<script>", "page": "x"}).status_code == 200


def test_the_export_neutralises_formulas_and_reimports_cleanly(admin_client, cast):
    UserFactory(
        department=cast.department_a,
        email="formula@alpha.test",
        first_name='=HYPERLINK("http://evil")',
        last_name="+SUM(A1)",
        rank="@cmd",
        badge_number="-1",
    )
    UserFactory(
        department=cast.department_a, email="tabs@alpha.test", first_name="\tTab", last_name="\rCR"
    )
    UserFactory(department=cast.department_a, email="left@alpha.test", is_active=False)
    response = admin_client.get(reverse("departments:roster-export"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = {row["Email"]: row for row in csv.DictReader(io.StringIO(text))}
    assert "left@alpha.test" not in rows  # re-uploading the export must not reactivate anyone
    formula = rows["formula@alpha.test"]
    assert formula["First name"] == '\'=HYPERLINK("http://evil")'
    assert formula["Last name"] == "'+SUM(A1)"
    assert formula["Rank"] == "'@cmd" and formula["Badge number"] == "'-1"
    assert rows["tabs@alpha.test"]["First name"] == "'\tTab"
    assert rows["tabs@alpha.test"]["Last name"] == "'\rCR"
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
    # An unchanged export uploads back with nothing to change for the guarded formulas; the
    # names led by a tab or a line break come back trimmed, as every upload trims its cells.
    upload(admin_client, response.content)
    preview = RosterPreview.objects.get()
    assert (preview.errors, preview.added) == ([], 0)
    assert [change["email"] for change in preview.plan["change"]] == ["tabs@alpha.test"]


FORMULA_LIKE = ["+Anne", "=Bob", "-Carl", "@Dee", "'Quoted"]


@pytest.mark.parametrize("as_workbook", [False, True])
def test_the_export_uploads_back_unchanged_with_formula_like_names(admin_client, cast, as_workbook):
    for n, name in enumerate(FORMULA_LIKE):
        UserFactory(
            department=cast.department_a,
            email=f"odd{n}@alpha.test",
            first_name=name,
            last_name=f"{name}son",
            badge_number=f"-{n}",
            rank="=Chief" if n else "",
            kind="civilian" if n % 2 else "sworn",
        )
    export = admin_client.get(reverse("departments:roster-export")).content
    if as_workbook:
        # Saved as .xlsx by a spreadsheet that keeps each cell's text as the CSV had it.
        rows = list(csv.reader(io.StringIO(export.decode("utf-8-sig"))))
        export, name = xlsx_bytes(rows[1:], header=rows[0]), "roster.xlsx"
    else:
        name = "roster.csv"
    before = roster_snapshot(cast.department_a)
    upload(admin_client, export, name=name, full_roster=True)
    preview = RosterPreview.objects.get()
    assert (preview.errors, preview.added, preview.changed, preview.deactivated) == ([], 0, 0, 0)
    page = admin_client.get(reverse("departments:roster-preview", args=[preview.pk]))
    assert "The file matches the roster: there is nothing to change." in page.content.decode()
    assert roster_snapshot(cast.department_a) == before
    assert User.objects.get(email="odd4@alpha.test").first_name == "'Quoted"


def roster_snapshot(department) -> list[tuple]:
    return list(
        User.objects.filter(department=department)
        .order_by("pk")
        .values_list(
            "email", "first_name", "last_name", "badge_number", "rank", "kind", "is_active"
        )
    )


def test_department_pages_refuse_officers_and_other_staff(client, cast):
    for user in (cast.officer, cast.peer, cast.vetter, cast.trainer):
        signed = sign_in(client.__class__(), user)
        assert signed.get(reverse("departments:home")).status_code == 403
        assert signed.post(reverse("departments:roster-upload")).status_code == 403


def test_wrong_methods_are_refused(admin_client, cast):
    url = reverse("departments:officer-deactivate", args=[cast.officer.pk])
    assert admin_client.put(url).status_code == 405
    cast.officer.refresh_from_db()
    assert cast.officer.is_active
    assert Invitation.objects.queued().count() == 0


def test_an_empty_upload_is_answered_with_errors(admin_client):
    response = admin_client.post(reverse("departments:roster-upload"), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not RosterPreview.objects.exists()


def test_a_workbook_nesting_xml_entities_gets_a_form_error_not_a_server_error(admin_client):
    bomb = with_nested_entities(xlsx_bytes(officers(2)), "xl/worksheets/sheet1.xml")
    response = upload(admin_client, bomb, name="roster.xlsx")
    assert response.status_code == 200
    assert "XML entity declarations" in response.content.decode()
    assert not RosterPreview.objects.exists()
