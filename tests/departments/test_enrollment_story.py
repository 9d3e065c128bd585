"""The issue's "done when", as a new department admin would live it.

A messy Excel export of 300 officers (a title block, odd headings, stray spaces, capitals, blank
rows, numeric badges, an extra column) with two bad rows; the admin reads the preview, fixes the
two rows, applies, every new officer gets an invitation, and the compliance page says how many
peers the department still needs and by when.
"""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from departments.models import RosterPreview
from tests.conftest import sign_in
from tests.departments.rosters import xlsx_bytes
from tests.html import squashed
from wnwa.accounts.models import User

HEADER = ["E-mail ", "Given Name", "Surname", "Badge #", "Title", "Sworn/Civilian", "Shift"]


def messy_export(fix: bool) -> bytes:
    rows: list[list[object]] = []
    for n in range(300):
        rows.append(
            [
                f"  Officer.{n}@Alpha.GOV ",
                f" First{n}",
                f"Last{n}  ",
                7000 + n,
                "Patrol Officer",
                "Civilian" if n % 25 == 0 else "Sworn",
                "Days",
            ]
        )
        if n % 60 == 0:
            rows.append([None] * 7)
    if not fix:
        rows[10][0] = "officer.10@alpha"  # a missing domain ending
        rows[20][0] = "officer.5@alpha.gov"  # pasted twice
    return xlsx_bytes([[], HEADER, *rows], header=["Alpha Police Department: sworn roster"])


def upload(client, content):
    return client.post(
        reverse("departments:roster-upload"),
        {"roster": SimpleUploadedFile("HR Export (final).xlsx", content)},
    )


def test_an_admin_enrolls_a_messy_excel_export_of_300_officers(
    client, cast, mailoutbox, django_capture_on_commit_callbacks
):
    admin = sign_in(client, cast.admin_a)

    first = upload(admin, messy_export(fix=False))
    preview = squashed(admin.get(first["Location"]).content.decode())
    errors = re.findall(
        r'<td data-label="Line">(\d+)</td><td data-label="Column">([^<]+)</td><td>([^<]+)</td>',
        preview,
    )
    assert len(errors) == 2
    assert [line for line, _, _ in errors] == ["14", "24"]
    assert "is not an email address" in errors[0][2] and "also on line" in errors[1][2]
    assert "Columns not used: Shift." in preview
    assert User.objects.filter(email__endswith="@alpha.gov").count() == 0

    second = upload(admin, messy_export(fix=True))
    page = admin.get(second["Location"]).content.decode()
    assert "To add (300)" in page and "Apply these changes" in page
    admin.post(second["Location"])
    enrolled = User.objects.filter(department=cast.department_a, email__endswith="@alpha.gov")
    assert enrolled.count() == 300
    assert enrolled.filter(kind="civilian").count() == 12
    assert enrolled.get(badge_number="7005").email == "officer.5@alpha.gov"
    assert RosterPreview.objects.filter(applied_at__isnull=False).count() == 1

    with django_capture_on_commit_callbacks(execute=True):  # the apply's tasks, run at once
        call_command("send_invitations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(m.to[0] for m in mailoutbox) == sorted(enrolled.values_list("email", flat=True))

    compliance = squashed(admin.get(reverse("departments:compliance")).content.decode())
    assert "<strong>4 more</strong> trained peers, by <strong>" in compliance
    assert "days left" in compliance
