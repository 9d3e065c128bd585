"""A retired officer keeps the network (issue 21), tried as a new user would on a 390 x 844 phone.

The demo department admin marks an officer of Oak Ridge PD retired in a roster upload; the
retiree still signs in, finds a peer of another department and has the Call button in reach; a
later whole roster, as HR exports it (without retirees), leaves them retired; their visit writes
nothing and gunicorn names no one; then they end their own access from the account page, after a
confirmation. The officer is made for this test, so the other tests' demo accounts are untouched.
"""

import os
from pathlib import Path

from tests.e2e.conftest import _manage, second_factor, sign_in, snapshot_database

ADMIN = "deptadmin@demo.test"
LEAVING = "leaving.sergeant@oak-ridge-pd.demo.test"
PASSWORD = "walk-together-2026"
SHOTS = os.environ.get("WNWA_SCREENSHOTS")
MAKE_OFFICER = f"""
from departments.models import Department
from wnwa.accounts.models import User
if not User.objects.filter(email="{LEAVING}").exists():
    User.objects.create_user(
        "{LEAVING}", "{PASSWORD}", first_name="Morgan", last_name="Leavenworth",
        rank="Sergeant", department=Department.objects.get(slug="oak-ridge-pd"),
    )
"""


def shoot(phone, name: str) -> None:
    if SHOTS:
        top = {"x": 0, "y": 0, "width": 390, "height": 1200}  # the first screen and a half
        phone.page.screenshot(path=str(Path(SHOTS) / name), full_page=True, clip=top)


def fits(phone) -> bool:
    return phone.page.evaluate("document.documentElement.scrollWidth") <= 390


def upload(phone, server, path: Path, *, whole: bool = False) -> None:
    page = phone.page
    page.goto(server.url + "/department/roster/upload/")
    page.get_by_label("Roster file").set_input_files(str(path))
    if whole:
        page.get_by_label("This file is my whole roster").check()
    page.get_by_role("button", name="Preview the changes").click()
    page.wait_for_load_state()


def test_a_retired_officer_keeps_the_network_on_a_phone(phone, browser, server, tmp_path):
    from tests.e2e.conftest import PHONE, watched_page

    _manage(server.env, "shell", "-c", MAKE_OFFICER)
    sign_in(phone, server, ADMIN)
    second_factor(phone, ADMIN)
    page = phone.page

    # 1. A partial roster marks them retired; the preview counts it before anything is written.
    marked = tmp_path / "retirements.csv"
    marked.write_text(
        f"Email,First name,Last name,Rank,Status\n{LEAVING},Morgan,Leavenworth,Sergeant,Retired\n"
    )
    upload(phone, server, marked)
    assert page.get_by_text("1 to mark retired").is_visible()
    assert page.get_by_role("heading", name="To mark retired (1)").is_visible()
    assert page.get_by_text("Status: serving → retired").is_visible()
    assert fits(phone)
    shoot(phone, "retiree-1-roster-preview.png")
    page.get_by_role("button", name="Apply these changes").click()
    page.wait_for_load_state()
    assert page.get_by_text("(1 marked retired)").is_visible()
    page.goto(server.url + "/department/?q=Leavenworth")
    page.get_by_role("link", name="Leavenworth, Morgan").click()
    page.wait_for_load_state()
    assert page.get_by_text("retired since").is_visible()
    assert page.get_by_role("link", name="Mark as serving again").is_visible()
    assert fits(phone)
    shoot(phone, "retiree-2-officer-page.png")

    # 2. The retiree signs in on their own phone and finds a peer of another department.
    retiree = watched_page(browser, PHONE)
    try:
        before = snapshot_database(server.database)
        log_start = len(server.log_text())
        sign_in(retiree, server, LEAVING)
        own = retiree.page
        own.goto(server.url + "/directory/")
        card = own.locator("article.peer-card").first
        call = card.get_by_role("link", name="Call")
        assert call.is_visible() and call.get_attribute("href").startswith("tel:+1")
        assert "Oak Ridge" not in card.inner_text()  # their own department is left out
        assert call.bounding_box()["y"] + call.bounding_box()["height"] <= 844  # first screen
        assert fits(retiree)
        shoot(retiree, "retiree-3-directory.png")
        own.goto(server.url + "/directory/?q=Maple")
        retired_card = own.locator("article.peer-card", has=own.locator(".tag", has_text="Retired"))
        retired_card.first.scroll_into_view_if_needed()
        assert retired_card.first.is_visible()
        if SHOTS:
            retired_card.first.screenshot(
                path=str(Path(SHOTS) / "retiree-3b-retired-peer-card.png")
            )
        own.goto(server.url + "/account/")
        assert own.get_by_text("Oak Ridge Police Department (retired)").is_visible()
        if SHOTS:
            own.screenshot(path=str(Path(SHOTS) / "retiree-3c-account.png"), full_page=True)
        own.get_by_role("link", name="End my access").click()
        own.wait_for_load_state()
        assert own.get_by_role("heading", name="End your access to the network?").is_visible()
        assert fits(retiree)
        shoot(retiree, "retiree-4-end-access.png")
        # Their visit wrote nothing, and gunicorn's output names no one.
        assert snapshot_database(server.database) == before
        output = server.log_text()[log_start:]
        assert LEAVING not in output and "/directory/" not in output

        # 3. HR's next whole roster does not list retirees: they stay retired, with access.
        export = page.request.get(server.url + "/department/roster/export/").text()
        lines = [line for line in export.splitlines() if not line.endswith(",retired")]
        lines = [
            line.replace(",Officer,", ",Detective,", 1) if "officer40@" in line else line
            for line in lines
        ]
        whole = tmp_path / "hr-export.csv"
        whole.write_text("\n".join(lines) + "\n")
        upload(phone, server, whole, whole=True)
        assert page.get_by_text("0 to deactivate").is_visible()
        assert page.get_by_text("stay retired, with their access").is_visible()
        page.get_by_role("button", name="Apply these changes").click()
        page.wait_for_load_state()
        assert page.get_by_text("Roster applied: 0 added, 1 changed, 0 deactivated").is_visible()
        own.goto(server.url + "/directory/")
        assert own.url.startswith(server.url + "/directory/")  # still signed in, still an officer

        # 4. They end their own access, after the tick.
        own.goto(server.url + "/account/end-access/")
        own.get_by_role("button", name="End my access").click()
        own.wait_for_load_state()
        assert "Tick the box" in own.locator("#error-summary").inner_text()
        own.get_by_label("Yes, end my access to the network now").check()
        own.get_by_role("button", name="End my access").click()
        own.wait_for_load_state()
        assert "/accounts/login/" in own.url
        assert own.get_by_text("Your access has ended").is_visible()
        own.goto(server.url + "/directory/")
        assert "/accounts/login/" in own.url
    finally:
        retiree.page.context.close()
