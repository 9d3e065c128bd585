"""The steps between pages that the every-page pass cannot open by address, on a phone: the demo
department admin finds an officer by search and chooses them, then uploads the designation.
WNWA_E2E_SHOTS names a folder to keep screenshots of each step in."""

import os
from pathlib import Path

from tests.e2e.conftest import csp_violations, foreign_requests, second_factor, sign_in

ADMIN = "deptadmin@demo.test"
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def shot(page, name: str) -> None:
    if folder := os.environ.get("WNWA_E2E_SHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(folder) / f"{name}.png", full_page=True)


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_department_admin_chooses_an_officer_by_search_and_uploads_the_designation(
    phone, server, tmp_path
):
    sign_in(phone, server, ADMIN)
    second_factor(phone, ADMIN)
    page = phone.page
    page.goto(server.url + "/trainings/external/new/")
    assert page.locator("select").count() == 0
    page.get_by_label("Name, badge number or email").fill("a")
    page.get_by_role("button", name="Find").click()
    page.wait_for_load_state()
    matches = page.locator(".officer-matches > li")
    assert 1 <= matches.count() <= 20
    fits(page)
    shot(page, "picker-matches")
    first = matches.first.locator("p.help").inner_text()  # department · badge · email
    matches.first.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="2. The training").is_visible()
    assert page.locator(".officer-chosen p.help").inner_text() == first
    fits(page)
    shot(page, "picker-chosen")

    page.goto(server.url + "/department/compliance/designation/upload/")
    fits(page)
    shot(page, "designation-upload")
    page.get_by_label("Signed by").fill("Chief Dana Ortiz")
    page.get_by_label("Signed on").fill("2026-01-05")
    document = tmp_path / "designation.pdf"
    document.write_bytes(PDF)
    page.set_input_files('[name="document"]', str(document))
    page.get_by_role("button", name="Upload the designation").click()
    page.wait_for_load_state()
    section = page.locator("#designation")
    assert "Awaiting verification" in section.inner_text()
    assert "Chief Dana Ortiz" in section.inner_text()
    fits(page)
    shot(page, "designation-awaiting")
    assert foreign_requests(phone, server) == [] and csp_violations(phone) == []
