"""The public site in a real browser: valid HTML (the Nu checker), no axe-core violation at phone
and desktop sizes, and self-checks whose answers never reach the server."""

import json
import subprocess
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP

from tests.e2e.conftest import DESKTOP, PHONE, csp_violations, sign_in, watched_page
from wnwa.management.commands.seed_demo import demo_key

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

PUBLIC_PATHS = [
    "/",
    "/faq/",
    "/membership/",
    "/privacy/",
    "/terms/",
    "/self-checks/",
    "/self-checks/phq-9/",
    "/self-checks/pcl-5/",
    "/contact/",
    "/contact/demo/",
    "/contact/member-agencies/",
    "/contact/thanks/demo/",
]
OFFICER = "officer@demo.test"
DEPARTMENT_ADMIN = "deptadmin@demo.test"


def vnu_errors(documents: dict[str, str], workdir: Path) -> list[str]:
    """Run the Nu Html Checker once over every document; return its errors, by page."""
    assert VNU.exists(), "vnu.jar is missing: run `make e2e` (it runs npm install first)"
    names = {}
    for index, (name, html) in enumerate(documents.items()):
        path = workdir / f"page{index}.html"
        path.write_text(html)
        names[path.name] = name
    command = ["java", "-jar", str(VNU), "--format", "json", "--errors-only"]
    result = subprocess.run(
        command + [str(workdir / file) for file in names],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{names.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))} "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") in {"error", "non-document-error"}
    ]


def second_factor(watched, server, email: str) -> None:
    totp = TOTP(bytes.fromhex(demo_key(email)), 30, 0, 6, 0)
    page = watched.page
    page.get_by_label("Code").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_every_public_page_is_valid_html(server, tmp_path):
    documents = {
        path: urllib.request.urlopen(server.url + path).read().decode()  # noqa: S310 - ours
        for path in PUBLIC_PATHS
    }
    assert vnu_errors(documents, tmp_path) == []


def test_the_officer_and_department_admin_pages_are_valid_html(browser, server, tmp_path):
    officer = watched_page(browser, PHONE)
    sign_in(officer, server, OFFICER)
    documents = {"/resources/": officer.page.request.get(server.url + "/resources/").text()}
    officer.page.context.close()
    admin = watched_page(browser, PHONE)
    sign_in(admin, server, DEPARTMENT_ADMIN)
    second_factor(admin, server, DEPARTMENT_ADMIN)
    response = admin.page.request.get(server.url + "/department/poster/")
    assert response.status == 200
    documents["/department/poster/"] = response.text()
    admin.page.context.close()
    assert vnu_errors(documents, tmp_path) == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_public_page_has_an_axe_violation(browser, server, viewport):
    watched = watched_page(browser, viewport)
    axe = Axe()
    found = {}
    for path in PUBLIC_PATHS:
        watched.page.goto(server.url + path)
        results = axe.run(watched.page)
        if results.violations_count:
            found[path] = [v["id"] for v in results.response["violations"]]
        if viewport is PHONE:
            width = watched.page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} scrolls sideways ({width}px)"
    assert csp_violations(watched) == []
    watched.page.context.close()
    assert found == {}


def test_a_phq9_is_scored_on_the_phone_and_no_request_carries_an_answer(phone, server):
    page = phone.page
    page.goto(server.url + "/self-checks/phq-9/")
    page.wait_for_load_state("networkidle")
    log_before = server.log_text()
    phone.requests.clear()
    for number in range(1, 10):
        page.locator(f'[data-question="{number}"]').get_by_label("More than half the days").check()
    page.keyboard.press("Enter")  # an implicit submission must go nowhere either
    page.get_by_role("button", name="Show my result").click()
    result = page.locator("[data-result]")
    assert result.is_visible()
    assert "18 out of 27" in result.inner_text()
    assert page.locator("[data-band]:visible").inner_text().startswith("Moderately severe")
    assert page.locator("[data-urgent]").is_visible()  # item 9 answered above zero
    assert page.url == server.url + "/self-checks/phq-9/"
    assert phone.requests == []  # not one request after the page loaded
    assert server.log_text() == log_before
    assert csp_violations(phone) == []


def test_clearing_answers_hides_the_result(phone, server):
    page = phone.page
    page.goto(server.url + "/self-checks/phq-9/")
    page.get_by_role("button", name="Show my result").click()
    assert "9 questions are still unanswered" in page.locator("[data-missing]").inner_text()
    for number in range(1, 10):
        page.locator(f'[data-question="{number}"]').get_by_label("Not at all").check()
    page.get_by_role("button", name="Show my result").click()
    assert page.locator("[data-band]:visible").inner_text().startswith("Minimal")
    assert not page.locator("[data-urgent]").is_visible()
    page.get_by_role("button", name="Clear my answers").click()
    assert not page.locator("[data-result]").is_visible()
    assert page.locator("input:checked").count() == 0


def test_an_officer_at_3am_takes_the_ptsd_check_and_is_pointed_to_help(phone, server):
    sign_in(phone, server, OFFICER)
    page = phone.page
    page.goto(server.url + "/resources/")
    page.get_by_role("link", name="Post-traumatic stress self-check (PCL-5)").click()
    page.wait_for_load_state("networkidle")
    phone.requests.clear()
    for number in range(1, 21):
        page.locator(f'[data-question="{number}"]').get_by_label("Quite a bit").check()
    page.get_by_role("button", name="Show my result").click()
    assert "60 out of 80" in page.locator("[data-result]").inner_text()
    assert page.locator("[data-band]:visible").inner_text().startswith("At or above")
    turn = page.get_by_role("region", name="Where to turn")
    assert turn.get_by_role("link", name="988").first.get_attribute("href") == "tel:988"
    assert page.get_by_role("complementary", name="Crisis lines").is_visible()
    assert phone.requests == []


def test_without_javascript_the_page_says_so_and_shows_where_to_turn(browser, server):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + "/self-checks/pcl-5/")
    assert page.get_by_text("needs JavaScript").is_visible()
    assert not page.get_by_role("button", name="Show my result").is_visible()
    turn = page.get_by_role("region", name="Where to turn")
    assert turn.get_by_role("link", name="988").first.is_visible()
    page.locator('[data-question="1"]').get_by_label("Extremely").check()
    page.keyboard.press("Enter")
    assert page.url == server.url + "/self-checks/pcl-5/"  # still nothing sent
    context.close()


def test_resources_open_for_an_officer_with_links_that_send_no_referrer(phone, server):
    sign_in(phone, server, OFFICER)
    phone.page.goto(server.url + "/resources/")
    links = phone.page.locator("main a[href^='http']")
    assert links.count() >= 1
    for index in range(links.count()):
        assert "noreferrer" in links.nth(index).get_attribute("rel")
