"""An officer's family gets its own way in (issue 22), tried as a new user would on a 390 x 844
phone.

An officer of Oak Ridge PD invites their spouse from the account page; the spouse opens the
emailed link, chooses a password, finds only the peers who talk with family members and has the
Call button (a tel: link) in reach; their visit writes nothing and gunicorn names no one. The
department admin deactivates the officer: the spouse still signs in and is told when access
ends; the admin's roster page counts family accounts and names none. The officer is made for
this test, so the other tests' demo accounts are untouched.
"""

import os
import re
from pathlib import Path

from tests.e2e.conftest import _manage, second_factor, sign_in, snapshot_database, worker_done

ADMIN = "deptadmin@demo.test"
OFFICER = "family.officer@oak-ridge-pd.demo.test"
SPOUSE = "casey.home@family.demo.test"
PASSWORD = "walk-together-2026"
SPOUSE_PASSWORD = "kitchen-table-2026"
SHOTS = os.environ.get("WNWA_SCREENSHOTS")
MAKE_OFFICER = f"""
from departments.models import Department
from wnwa.accounts.models import User
if not User.objects.filter(email="{OFFICER}").exists():
    User.objects.create_user(
        "{OFFICER}", "{PASSWORD}", first_name="Jamie", last_name="Okafor-Lindqvist",
        rank="Officer", department=Department.objects.get(slug="oak-ridge-pd"),
    )
"""
FAMILY_PEERS = """
from peers.selectors import listed_peers
print(listed_peers().filter(talks_with_families=True).exclude(department__slug="oak-ridge-pd")
      .count())
"""


def shoot(phone, name: str) -> None:
    if SHOTS:
        top = {"x": 0, "y": 0, "width": 390, "height": 1200}  # the first screen and a half
        phone.page.screenshot(path=str(Path(SHOTS) / name), full_page=True, clip=top)


def fits(phone) -> bool:
    return phone.page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_officers_family_member_finds_family_peers_and_keeps_access_after_the_officer(
    phone, browser, server
):
    from tests.e2e.conftest import PHONE, watched_page

    _manage(server.env, "shell", "-c", MAKE_OFFICER)
    family_peers = int(_manage(server.env, "shell", "-c", FAMILY_PEERS).split()[-1])
    assert family_peers >= 3

    # 1. The officer invites their spouse from the account page.
    sign_in(phone, server, OFFICER)
    page = phone.page
    page.goto(server.url + "/account/")
    page.get_by_role("link", name="Invite your family").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Your family", exact=True).is_visible()
    page.get_by_label("Their first name (optional)").fill("Casey")
    page.get_by_label("Their email address").fill(SPOUSE)
    page.get_by_label("Spouse or partner").check()
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state()
    assert "/account/family/" in page.url
    assert "The network is for adults" in page.locator("#error-summary").inner_text()  # no tick
    page.get_by_label("They are 18 or older").check()
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"The invitation is on its way to {SPOUSE}").is_visible()
    assert page.get_by_text("Invited, not yet accepted").is_visible()
    assert fits(phone)
    shoot(phone, "family-1-invite.png")
    worker_done(server.database)  # the worker has sent it: its email is in the log
    log = server.log_text()
    sent = log.rfind(f"To: {SPOUSE}")
    assert sent != -1, "the invitation was not sent"
    link = re.search(r"http://localhost:\d+/account/invitation/[^/\s]+/", log[sent:]).group(0)

    # 2. The spouse opens the link on their own phone, chooses a password, finds family peers.
    spouse = watched_page(browser, PHONE)
    try:
        own = spouse.page
        own.goto(link)
        assert own.get_by_text("An officer in your family has invited you").is_visible()
        assert fits(spouse)
        shoot(spouse, "family-2-accept.png")
        own.get_by_label("New password", exact=True).fill(SPOUSE_PASSWORD)
        own.get_by_label("New password confirmation").fill(SPOUSE_PASSWORD)
        own.get_by_role("button", name="Activate my account").click()
        own.wait_for_load_state()
        assert own.get_by_text("Peer support is for families too").is_visible()
        assert fits(spouse)
        shoot(spouse, "family-3-landing.png")
        own.context.clear_cookies()  # signs in afresh, as on another day

        before = snapshot_database(server.database)
        log_start = len(server.log_text())
        sign_in(spouse, server, SPOUSE, SPOUSE_PASSWORD)
        own.get_by_role("link", name="Find a peer").first.click()
        own.wait_for_load_state()
        assert own.get_by_text("who talks with officers' families").is_visible()
        assert own.get_by_role("status").inner_text().startswith(f"{family_peers} peer")
        card = own.locator("article.peer-card").first
        call = card.get_by_role("link", name="Call")
        assert call.is_visible() and call.get_attribute("href").startswith("tel:+1")
        assert "Oak Ridge" not in card.inner_text()  # the officer's own department left out
        assert call.bounding_box()["y"] + call.bounding_box()["height"] <= 844  # first screen
        assert fits(spouse)
        shoot(spouse, "family-4-directory.png")
        own.goto(server.url + "/professionals/")
        assert own.get_by_role("link", name="Show every professional").is_visible()
        shoot(spouse, "family-5-professionals.png")
        assert own.goto(server.url + "/department/").status == 403  # nothing of the department's
        # Their visit wrote nothing, and gunicorn's output names no one.
        assert snapshot_database(server.database) == before
        output = server.log_text()[log_start:]
        assert SPOUSE not in output and "/directory/" not in output

        # 3. The department admin deactivates the officer; the roster counts families, names none.
        admin = watched_page(browser, PHONE)
        try:
            sign_in(admin, server, ADMIN)
            second_factor(admin, ADMIN)
            admin.page.goto(server.url + "/department/?q=Okafor")
            admin.page.get_by_role("link", name="Okafor-Lindqvist, Jamie").click()
            admin.page.wait_for_load_state()
            admin.page.get_by_role("link", name="Deactivate").click()
            admin.page.wait_for_load_state()
            admin.page.get_by_role("button", name="Deactivate").click()
            admin.page.wait_for_load_state()
            admin.page.goto(server.url + "/department/")
            roster = admin.page.content()
            assert re.search(r"Family accounts: <strong>\d+</strong>", roster)
            assert "Casey" not in roster and SPOUSE not in roster
            shoot(admin, "family-6-department-count.png")
        finally:
            admin.page.context.close()

        # 4. The spouse still signs in and is told when their access ends.
        own.context.clear_cookies()
        sign_in(spouse, server, SPOUSE, SPOUSE_PASSWORD)
        told = own.get_by_text(re.compile(r"Your access ends after \w+ \d+, \d{4}"))
        assert told.is_visible()
        assert fits(spouse)
        shoot(spouse, "family-7-access-ends.png")
        own.goto(server.url + "/directory/")
        assert own.locator("article.peer-card").first.is_visible()
        own.goto(server.url + "/account/")
        assert own.get_by_text(re.compile(r"Your access ends after")).is_visible()
        assert own.get_by_role("link", name="End my account").is_visible()
        shoot(spouse, "family-8-account.png")
    finally:
        spouse.page.context.close()
