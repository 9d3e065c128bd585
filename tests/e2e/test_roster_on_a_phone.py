"""The demo department admin on a phone: a whole-roster file of one row stops at the
count to type back, with the export to undo with; the invitations page counts and asks first.

Nothing here applies the roster (the demo officer would be deactivated for the other tests)."""

import os
from pathlib import Path

from tests.e2e.conftest import second_factor, sign_in

ADMIN = "deptadmin@demo.test"
SHOTS = os.environ.get("WNWA_SCREENSHOTS")


def shoot(phone, name: str) -> None:
    if SHOTS:
        top = {"x": 0, "y": 0, "width": 390, "height": 1700}  # the first two screens
        phone.page.screenshot(path=str(Path(SHOTS) / name), full_page=True, clip=top)


def fits(phone) -> bool:
    return phone.page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_mass_deactivation_asks_for_the_count_on_a_phone(phone, server, tmp_path):
    sign_in(phone, server, ADMIN)
    second_factor(phone, ADMIN)
    page = phone.page
    page.goto(server.url + "/department/roster/upload/")
    roster = tmp_path / "one-shift.csv"
    roster.write_text("Email,First name,Last name\nshift.one@oak-ridge-pd.demo.test,Shay,One\n")
    page.get_by_label("Roster file").set_input_files(str(roster))
    page.get_by_label("This file is my whole roster").check()
    page.get_by_role("button", name="Preview the changes").click()
    page.wait_for_load_state()
    assert page.get_by_text("Download the roster as it is now").is_visible()
    warning = page.get_by_role("alert").filter(has_text="This apply deactivates")
    assert warning.is_visible()
    assert page.get_by_text("far below the 48 your department declared").is_visible()
    count = page.get_by_label("To confirm, type the number of officers")
    count.fill("3")
    page.get_by_role("button", name="and apply").click()
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    assert "Nothing was changed" in page.locator("#error-summary").inner_text()
    assert fits(phone)
    shoot(phone, "roster-guard.png")


def test_the_invitations_page_counts_and_asks_before_sending(phone, server):
    sign_in(phone, server, ADMIN)
    second_factor(phone, ADMIN)
    page = phone.page
    page.goto(server.url + "/department/invitations/")
    assert page.get_by_role(
        "heading", name="Send again to everyone who has not accepted"
    ).is_visible()
    button = page.get_by_role("button", name="invitation")
    button.click()
    page.wait_for_load_state()
    assert "Tick the box" in page.locator("#error-summary").inner_text()
    assert fits(phone)
    shoot(phone, "invitations.png")
    page.get_by_label("Yes, email these").check()
    page.get_by_role("button", name="invitation").click()
    page.wait_for_load_state()
    assert (
        page.get_by_text("being sent now")
        .or_(page.get_by_text("background sender"))
        .first.is_visible()
    )
    page.goto(server.url + "/department/")
    assert fits(phone)
    shoot(phone, "roster-invitations.png")
